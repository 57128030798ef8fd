package io.rehoboam.bot.process.internal;

import java.util.function.LongSupplier;

/**
 * Rate-limits one kind of warning: the first {@code perInterval} of an interval are shown in full,
 * the rest are counted and summed up in one line per interval ({@link #summary}). A program that
 * prints fifty thousand bad lines costs a few log lines, not fifty thousand. Thread-safe.
 */
public final class WarningThrottle {
  private final long intervalNanos;
  private final int perInterval;
  private final LongSupplier nanos;
  private long windowStart;
  private int shown;
  private long suppressed;
  private String lastSuppressed;

  public WarningThrottle(long intervalNanos, int perInterval, LongSupplier nanos) {
    this.intervalNanos = intervalNanos;
    this.perInterval = perInterval;
    this.nanos = nanos;
    this.windowStart = nanos.getAsLong();
  }

  /** Whether this warning may be shown; if not, it is counted (its text kept as the example). */
  public synchronized boolean allow(String text) {
    long now = nanos.getAsLong();
    if (now - windowStart >= intervalNanos && suppressed == 0) {
      windowStart = now;
      shown = 0;
    }
    if (shown < perInterval && suppressed == 0) {
      shown++;
      return true;
    }
    suppressed++;
    lastSuppressed = text;
    return false;
  }

  /**
   * The summary of the suppressed warnings once the interval is over (or {@code force}), then a new
   * interval; null when there is nothing to say yet.
   */
  public synchronized String summary(String what, boolean force) {
    long now = nanos.getAsLong();
    if (suppressed == 0 || (!force && now - windowStart < intervalNanos)) {
      return null;
    }
    String text =
        suppressed
            + " more "
            + what
            + " in the last "
            + Math.max(1, (now - windowStart) / 1_000_000_000L)
            + " s (last: "
            + lastSuppressed
            + ")";
    suppressed = 0;
    lastSuppressed = null;
    windowStart = now;
    shown = 0;
    return text;
  }
}
