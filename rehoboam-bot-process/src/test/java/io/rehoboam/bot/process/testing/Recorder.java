package io.rehoboam.bot.process.testing;

import io.rehoboam.core.events.EventListener;
import io.rehoboam.spi.event.BotLogEvent;
import io.rehoboam.spi.event.BotState;
import io.rehoboam.spi.event.BotStatusEvent;
import io.rehoboam.spi.event.Event;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Records delivered events so a test can wait for one without sleeping. Log events are kept only
 * for the most recent {@value #LOG_WINDOW} (a flooding bot produces millions); all others are kept.
 */
public final class Recorder implements EventListener {
  public static final int LOG_WINDOW = 20_000;
  private static final Duration WAIT = Duration.ofSeconds(30);

  private final List<Event> events = new ArrayList<>();
  private final ArrayDeque<BotLogEvent> logs = new ArrayDeque<>();
  private long logCount;

  @Override
  public synchronized void onEvent(Event event) {
    if (event instanceof BotLogEvent l) {
      if (logs.size() == LOG_WINDOW) {
        logs.removeFirst();
      }
      logs.addLast(l);
      logCount++;
    } else {
      events.add(event);
    }
    notifyAll();
  }

  /** Every event but the log lines. */
  public synchronized List<Event> events() {
    return List.copyOf(events);
  }

  /** The recent log lines of {@code botId}, oldest first. */
  public synchronized List<String> logLines(String botId) {
    List<String> out = new ArrayList<>();
    for (BotLogEvent l : logs) {
      if (l.botId().equals(botId)) {
        out.add(l.level() + " " + l.message());
      }
    }
    return out;
  }

  public synchronized long logCount() {
    return logCount;
  }

  /** Waits until a non-log event matches and returns the first match. */
  public synchronized Event await(Predicate<Event> match) {
    return waitFor(
        () -> {
          for (Event e : events) {
            if (match.test(e)) {
              return e;
            }
          }
          return null;
        },
        "a matching event; got " + events);
  }

  /** Waits until a log line of {@code botId} contains {@code text}; returns the line. */
  public synchronized BotLogEvent awaitLog(String botId, String text) {
    return waitFor(
        () -> {
          for (BotLogEvent l : logs) {
            if (l.botId().equals(botId) && l.message().contains(text)) {
              return l;
            }
          }
          return null;
        },
        "a log line of " + botId + " containing '" + text + "'");
  }

  /** Waits for the {@code n}th transition of {@code botId} into {@code to} (1-based). */
  public synchronized BotStatusEvent awaitState(String botId, BotState to, int n) {
    return waitFor(
        () -> {
          int seen = 0;
          for (Event e : events) {
            if (e instanceof BotStatusEvent s
                && s.botId().equals(botId)
                && s.to() == to
                && ++seen == n) {
              return s;
            }
          }
          return null;
        },
        "bot " + botId + " in " + to + " " + n + " times; transitions: " + transitions(botId));
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

  private interface Probe<T> {
    T find();
  }

  private <T> T waitFor(Probe<T> probe, String what) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      T found = probe.find();
      if (found != null) {
        return found;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("waited " + WAIT + " for " + what);
      }
      try {
        wait(Math.max(1, left / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for " + what);
      }
    }
  }
}
