package io.rehoboam.core.testing;

import io.rehoboam.core.events.EventListener;
import io.rehoboam.spi.event.BotState;
import io.rehoboam.spi.event.BotStatusEvent;
import io.rehoboam.spi.event.Event;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** Records delivered events and lets a test wait for one without sleeping. */
public final class EventRecorder implements EventListener {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private final List<Event> events = new ArrayList<>();

  @Override
  public synchronized void onEvent(Event event) {
    events.add(event);
    notifyAll();
  }

  public synchronized List<Event> events() {
    return List.copyOf(events);
  }

  /** Waits until a recorded event matches, and returns the first match. */
  public synchronized Event await(Predicate<Event> match) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      for (Event e : events) {
        if (match.test(e)) {
          return e;
        }
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("no matching event within " + WAIT + "; got " + events);
      }
      try {
        wait(Math.max(1, left / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted");
      }
    }
  }

  /** Waits until the {@code n}th transition of {@code botId} into {@code to} (1-based). */
  public synchronized BotStatusEvent awaitState(String botId, BotState to, int n) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      int seen = 0;
      for (Event e : events) {
        if (e instanceof BotStatusEvent s
            && s.botId().equals(botId)
            && s.to() == to
            && ++seen == n) {
          return s;
        }
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError(
            "bot "
                + botId
                + " did not reach "
                + to
                + " "
                + n
                + " times; transitions: "
                + transitions(botId));
      }
      try {
        wait(Math.max(1, left / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted");
      }
    }
  }

  public BotStatusEvent awaitState(String botId, BotState to) {
    return awaitState(botId, to, 1);
  }

  /** The states {@code botId} moved into, in order. */
  public synchronized List<BotState> transitions(String botId) {
    List<BotState> out = new ArrayList<>();
    for (Event e : events) {
      if (e instanceof BotStatusEvent s && s.botId().equals(botId)) {
        out.add(s.to());
      }
    }
    return out;
  }
}
