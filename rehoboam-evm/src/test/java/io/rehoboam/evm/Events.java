package io.rehoboam.evm;

import io.rehoboam.core.events.EventListener;
import io.rehoboam.spi.event.Event;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/** Records a service's events with their arrival time; tests wait for the ones they expect. */
final class Events implements EventListener {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition arrived = lock.newCondition();
  private final List<Event> events = new ArrayList<>();
  private final List<Long> nanos = new ArrayList<>();

  @Override
  public void onEvent(Event event) {
    long now = System.nanoTime();
    lock.lock();
    try {
      events.add(event);
      nanos.add(now);
      arrived.signalAll();
    } finally {
      lock.unlock();
    }
  }

  int size() {
    lock.lock();
    try {
      return events.size();
    } finally {
      lock.unlock();
    }
  }

  List<Event> all() {
    lock.lock();
    try {
      return List.copyOf(events);
    } finally {
      lock.unlock();
    }
  }

  /** The first event at index {@code from} or later that matches, waiting for it. */
  <T extends Event> T await(int from, Class<T> type, Predicate<T> match, Duration timeout) {
    return type.cast(events.get(awaitIndex(from, type, match, timeout)));
  }

  /** The arrival time (System.nanoTime) of the first matching event from {@code from} on. */
  <T extends Event> long awaitArrival(
      int from, Class<T> type, Predicate<T> match, Duration timeout) {
    int i = awaitIndex(from, type, match, timeout);
    lock.lock();
    try {
      return nanos.get(i);
    } finally {
      lock.unlock();
    }
  }

  private <T extends Event> int awaitIndex(
      int from, Class<T> type, Predicate<T> match, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    lock.lock();
    try {
      int checked = from;
      while (true) {
        for (; checked < events.size(); checked++) {
          Event e = events.get(checked);
          if (type.isInstance(e) && match.test(type.cast(e))) {
            return checked;
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError(
              "no matching "
                  + type.getSimpleName()
                  + " within "
                  + timeout
                  + "; last events: "
                  + events.subList(Math.max(from, events.size() - 10), events.size()));
        }
        arrived.await(left, TimeUnit.NANOSECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until {@code condition} holds, checking it on every event and at least every 20 ms (for
   * state that changes without an event, such as a source's health).
   */
  void awaitTrue(String what, BooleanSupplier condition, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    lock.lock();
    try {
      while (!condition.getAsBoolean()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("timed out after " + timeout + " waiting for " + what);
        }
        arrived.await(Math.min(left, TimeUnit.MILLISECONDS.toNanos(20)), TimeUnit.NANOSECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    } finally {
      lock.unlock();
    }
  }
}
