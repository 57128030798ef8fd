package io.rehoboam.core.events;

import io.rehoboam.spi.event.Event;
import java.time.Instant;

/**
 * Builds an event once the bus has assigned its sequence number and timestamp. Runs on the
 * publishing thread while the seq is reserved: subscribers wait for this seq until it returns, so
 * it should only construct the event.
 *
 * @param <E> the event type
 */
@FunctionalInterface
public interface SeqEventFactory<E extends Event> {
  /**
   * @param seq the event's global sequence number; the returned event's {@code seq()} must equal it
   * @param at the bus clock's instant for the event
   * @return the event, never null
   */
  E create(long seq, Instant at);
}
