package io.rehoboam.core.risk;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Keeps a stream of refusals from flooding a log: the first refusal of each period (a minute by
 * default) is logged with its reason, the others are only counted, and at the end of the period a
 * timer on the injected scheduler writes how many there were, by reason (nothing when the first was
 * the only one). Every refusal is still counted in the metrics ({@code
 * rehoboam_risk_rejections_total}) and published as a {@code risk} event.
 *
 * <p>Thread-safe.
 */
public final class RejectionSummary {
  private final Clock clock;
  private final ScheduledExecutorService scheduler;
  private final Duration period;
  private final Consumer<String> log;
  private Instant periodStart;
  private ScheduledFuture<?> timer;
  private boolean closed;
  private final Map<String, Long> counted = new TreeMap<>();

  /**
   * @param clock the time periods are measured by (the service's)
   * @param scheduler runs the end-of-period timer; its delays are read against {@code clock}
   * @param log where the lines go (the first refusal of a period and the period's summary)
   */
  public RejectionSummary(
      Clock clock, ScheduledExecutorService scheduler, Duration period, Consumer<String> log) {
    this.clock = clock;
    this.scheduler = scheduler;
    this.period = period;
    this.log = log;
  }

  /** One a minute. */
  public RejectionSummary(Clock clock, ScheduledExecutorService scheduler, Consumer<String> log) {
    this(clock, scheduler, Duration.ofMinutes(1), log);
  }

  /**
   * Records a refusal: logs {@code line} when it opens a period, else only counts it.
   *
   * @param kind what refused it (a risk limit's name), for the summary
   * @param line the full log line for this refusal
   */
  public void record(String kind, String line) {
    recordLine(kind, line).ifPresent(log);
  }

  private synchronized Optional<String> recordLine(String kind, String line) {
    Instant now = clock.instant();
    if (periodStart != null && now.isBefore(periodStart.plus(period))) {
      counted.merge(kind == null ? "other" : kind, 1L, Long::sum);
      return Optional.empty();
    }
    // A period the timer has not closed yet (its task late): close it here first.
    String summary = takeSummary();
    periodStart = now;
    if (!closed) {
      try {
        timer = scheduler.schedule(() -> endOfPeriod(now), period.toNanos(), TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException e) {
        timer = null; // shutting down: the next refusal or close() writes the summary
      }
    }
    return Optional.of(summary == null ? line : summary + "; then " + line);
  }

  /** The timer: writes the summary of the period that started at {@code start}, if still open. */
  private void endOfPeriod(Instant start) {
    String summary;
    synchronized (this) {
      if (!start.equals(periodStart)) {
        return;
      }
      summary = takeSummary();
      periodStart = null;
      timer = null;
    }
    if (summary != null) {
      log.accept(summary);
    }
  }

  /** Stops the timer and writes the open period's summary now (a bot stopping). */
  public void close() {
    String summary;
    synchronized (this) {
      closed = true;
      if (timer != null) {
        timer.cancel(false);
        timer = null;
      }
      summary = takeSummary();
      periodStart = null;
    }
    if (summary != null) {
      log.accept(summary);
    }
  }

  /** Allows timers again after {@link #close()} (a bot started again). */
  public synchronized void open() {
    closed = false;
  }

  private String takeSummary() {
    if (counted.isEmpty()) {
      return null;
    }
    long total = counted.values().stream().mapToLong(Long::longValue).sum();
    String s =
        total
            + " more refused in the "
            + (period.toSeconds() == 60 ? "minute" : period.toSeconds() + " s")
            + " after "
            + periodStart
            + " "
            + counted;
    counted.clear();
    return s;
  }
}
