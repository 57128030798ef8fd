package io.rehoboam.bot.layer2;

import io.rehoboam.core.events.EventListener;
import io.rehoboam.spi.event.Event;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** Records a service's events; waits for one that matches (no sleeping: it waits on a monitor). */
final class Events implements EventListener {
  private final List<Event> events = new ArrayList<>();

  @Override
  public synchronized void onEvent(Event event) {
    events.add(event);
    notifyAll();
  }

  /** The sequence number of the last event recorded so far, 0 before any. */
  synchronized long lastSeq() {
    return events.isEmpty() ? 0 : events.get(events.size() - 1).seq();
  }

  synchronized List<Event> all() {
    return List.copyOf(events);
  }

  /** Waits up to 60 s for an event of {@code type} matching {@code test}; fails otherwise. */
  <T extends Event> T await(Class<T> type, Predicate<T> test) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    synchronized (this) {
      int seen = 0;
      while (true) {
        for (; seen < events.size(); seen++) {
          Event e = events.get(seen);
          if (type.isInstance(e) && test.test(type.cast(e))) {
            return type.cast(e);
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("no matching " + type.getSimpleName() + " in " + events);
        }
        try {
          wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError("interrupted", e);
        }
      }
    }
  }

  /** Every recorded event of {@code type} matching {@code test}. */
  synchronized <T extends Event> List<T> matching(Class<T> type, Predicate<T> test) {
    List<T> out = new ArrayList<>();
    for (Event e : events) {
      if (type.isInstance(e) && test.test(type.cast(e))) {
        out.add(type.cast(e));
      }
    }
    return out;
  }
}
