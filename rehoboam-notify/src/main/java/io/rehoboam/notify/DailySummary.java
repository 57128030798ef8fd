package io.rehoboam.notify;

import io.rehoboam.core.history.PnlFigures;
import io.rehoboam.core.history.PnlQuery;
import io.rehoboam.core.history.PnlReport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The daily PnL summary: at {@code at} in {@code zone} (by the injected clock) a {@code daily_pnl}
 * notice with the last 24 hours' executions, wins, realized profit and gas cost, in all and by bot.
 */
final class DailySummary {
  private final LocalTime at;
  private final ZoneId zone;
  private final Clock clock;
  private final ScheduledExecutorService timer;
  private final Function<PnlQuery, PnlReport> pnl;
  private final Consumer<Notice> out;
  private volatile ScheduledFuture<?> next;
  private volatile boolean closed;

  DailySummary(
      LocalTime at,
      ZoneId zone,
      Clock clock,
      ScheduledExecutorService timer,
      Function<PnlQuery, PnlReport> pnl,
      Consumer<Notice> out) {
    this.at = at;
    this.zone = zone;
    this.clock = clock;
    this.timer = timer;
    this.pnl = pnl;
    this.out = out;
  }

  void start() {
    scheduleNext();
  }

  /** The next instant the summary is due, strictly after now. */
  Instant nextRun() {
    ZonedDateTime now = clock.instant().atZone(zone);
    ZonedDateTime candidate = now.toLocalDate().atTime(at).atZone(zone);
    if (!candidate.isAfter(now)) {
      candidate = now.toLocalDate().plusDays(1).atTime(at).atZone(zone);
    }
    return candidate.toInstant();
  }

  private void scheduleNext() {
    if (closed) {
      return;
    }
    long delay = Math.max(0, Duration.between(clock.instant(), nextRun()).toMillis());
    try {
      next = timer.schedule(this::run, delay, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // closing
    }
  }

  private void run() {
    try {
      Instant now = clock.instant();
      PnlReport report =
          pnl.apply(new PnlQuery(null, null, now.minus(Duration.ofDays(1)), now, null));
      out.accept(new Notice(NoticeKind.DAILY_PNL, Severity.INFO, now, null, text(report)));
    } catch (RuntimeException e) {
      out.accept(
          new Notice(
              NoticeKind.DAILY_PNL,
              Severity.WARNING,
              clock.instant(),
              null,
              "daily PnL summary unavailable: " + e.getMessage()));
    } finally {
      scheduleNext();
    }
  }

  static String text(PnlReport report) {
    StringBuilder s = new StringBuilder("daily PnL (24 h): ").append(figures(report.totals()));
    for (Map.Entry<String, PnlFigures> e : report.byBot().entrySet()) {
      s.append("; ").append(e.getKey()).append(": ").append(figures(e.getValue()));
    }
    return s.toString();
  }

  private static String figures(PnlFigures f) {
    return f.executions()
        + " executions, "
        + f.succeeded()
        + " succeeded, "
        + f.wins()
        + " wins, realized "
        + f.realizedProfitUsd().toPlainString()
        + " USD, gas "
        + f.gasCostUsd().toPlainString()
        + " USD";
  }

  void close() {
    closed = true;
    ScheduledFuture<?> n = next;
    if (n != null) {
      n.cancel(false);
    }
  }
}
