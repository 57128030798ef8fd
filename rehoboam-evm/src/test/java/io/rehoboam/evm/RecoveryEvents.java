package io.rehoboam.evm;

import io.rehoboam.core.events.EventListener;
import io.rehoboam.spi.event.Event;
import io.rehoboam.spi.event.SystemEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** Collects the service's {@code recovery} events (delivered on the subscription's thread). */
final class RecoveryEvents implements EventListener {
  private final List<String> messages = new ArrayList<>();

  @Override
  public synchronized void onEvent(Event event) {
    if (event instanceof SystemEvent s && s.kind().equals("recovery")) {
      messages.add(s.message());
      notifyAll();
    }
  }

  /** Waits (bounded) for a recovery event whose message matches, and returns that message. */
  synchronized String await(Predicate<String> wanted) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      for (String m : messages) {
        if (wanted.test(m)) {
          return m;
        }
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("no such recovery event among " + messages);
      }
      wait(Math.max(1, left / 1_000_000));
    }
  }
}
