package io.rehoboam.core.events;

import static org.junit.jupiter.api.Assertions.fail;

import io.rehoboam.spi.event.Event;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/** A listener that keeps what it receives and lets a test wait for it. */
final class Recorder implements EventListener {
  static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final List<Event> events = new ArrayList<>();
  private volatile Thread thread;

  @Override
  public synchronized void onEvent(Event event) {
    thread = Thread.currentThread();
    events.add(event);
    notifyAll();
  }

  /** Waits until at least {@code count} events arrived; returns all received so far. */
  synchronized List<Event> awaitCount(int count) throws InterruptedException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (events.size() < count) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        fail("received " + events.size() + " events, expected " + count);
      }
      wait(Math.max(1, left / 1_000_000));
    }
    return List.copyOf(events);
  }

  synchronized List<Event> events() {
    return List.copyOf(events);
  }

  synchronized List<Long> seqs() {
    return events.stream().map(Event::seq).toList();
  }

  /** The subscription thread that called this listener, null before the first event. */
  Thread thread() {
    return thread;
  }

  /** Waits, without sleeping, until the condition holds. */
  static void awaitCondition(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        fail("timed out waiting until " + what);
      }
      Thread.yield();
    }
  }
}
