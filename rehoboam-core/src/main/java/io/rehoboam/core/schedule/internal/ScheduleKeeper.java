package io.rehoboam.core.schedule.internal;

import io.rehoboam.core.schedule.Schedule;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts and stops scheduled bots at their schedules' transitions, on the injected clock and
 * scheduler. It acts only at a transition (a window opening or closing), so a manual start or stop
 * in between holds until the next one.
 */
public final class ScheduleKeeper implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ScheduleKeeper.class);

  /** What a transition does to a bot. */
  public interface Control {
    /**
     * Brings the bot to run ({@code run}) or to rest, giving {@code reason} as the state reason.
     */
    void apply(String botId, boolean run, String reason);

    /** The next start and stop of the bot's schedule changed (either may be null: none). */
    void times(String botId, Instant nextStart, Instant nextStop);
  }

  private final Clock clock;
  private final ScheduledExecutorService scheduler;
  private final Control control;
  private final Map<String, Tracked> tracked = new ConcurrentHashMap<>();
  private volatile boolean closed;

  private static final class Tracked {
    final Schedule schedule;
    ScheduledFuture<?> timer;
    Instant due;

    Tracked(Schedule schedule) {
      this.schedule = schedule;
    }
  }

  public ScheduleKeeper(Clock clock, ScheduledExecutorService scheduler, Control control) {
    this.clock = clock;
    this.scheduler = scheduler;
    this.control = control;
  }

  /**
   * Whether a desired state recorded at {@code recordedAt} (by an operator or by the schedule
   * itself) still holds at {@code now}: no transition of the schedule has passed since. After a
   * transition the schedule decides again.
   */
  public static boolean stillHolds(Schedule schedule, Instant recordedAt, Instant now) {
    if (recordedAt == null || recordedAt.isAfter(now)) {
      return false;
    }
    Instant next = schedule.nextTransition(recordedAt);
    return next == null || next.isAfter(now);
  }

  /** Follows {@code botId}'s schedule from now on: arms its next transition. */
  public void track(String botId, Schedule schedule) {
    Tracked t = new Tracked(schedule);
    Tracked old = tracked.put(botId, t);
    if (old != null) {
      cancel(old);
    }
    arm(botId, t);
  }

  /** Stops following {@code botId}. */
  public void untrack(String botId) {
    Tracked t = tracked.remove(botId);
    if (t != null) {
      cancel(t);
    }
  }

  /** Whether {@code botId} has a schedule. */
  public boolean tracks(String botId) {
    return tracked.containsKey(botId);
  }

  private void arm(String botId, Tracked t) {
    if (closed) {
      return;
    }
    Instant now = clock.instant();
    Instant next = t.schedule.nextTransition(now);
    control.times(botId, t.schedule.nextStart(now), t.schedule.nextStop(now));
    synchronized (t) {
      t.due = next;
      if (next == null) {
        t.timer = null;
        return;
      }
      long delay = Math.max(0, Duration.between(now, next).toNanos());
      t.timer = scheduler.schedule(() -> fire(botId, t), delay, TimeUnit.NANOSECONDS);
    }
  }

  private void fire(String botId, Tracked t) {
    if (closed || tracked.get(botId) != t) {
      return;
    }
    Instant now = clock.instant();
    Instant due;
    synchronized (t) {
      due = t.due;
    }
    if (due != null && now.isBefore(due)) {
      arm(botId, t); // woke early (the scheduler's clock is not ours): wait the rest
      return;
    }
    boolean open = t.schedule.isOpen(now);
    try {
      control.apply(botId, open, open ? "schedule: window opened" : "schedule: window closed");
    } catch (RuntimeException e) {
      log.error("Schedule of bot {} could not {} it", botId, open ? "start" : "stop", e);
    }
    arm(botId, t);
  }

  private static void cancel(Tracked t) {
    synchronized (t) {
      if (t.timer != null) {
        t.timer.cancel(false);
        t.timer = null;
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    tracked.values().forEach(ScheduleKeeper::cancel);
    tracked.clear();
  }
}
