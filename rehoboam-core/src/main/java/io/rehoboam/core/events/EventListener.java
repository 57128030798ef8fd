package io.rehoboam.core.events;

import io.rehoboam.spi.event.Event;

/**
 * Receives the events of one {@link EventSubscription}. Called on the subscription's own thread,
 * one event at a time, in increasing {@link Event#seq()} order; never concurrently with itself. A
 * listener that throws is logged and skipped: it still receives the following events.
 */
@FunctionalInterface
public interface EventListener {
  void onEvent(Event event);
}
