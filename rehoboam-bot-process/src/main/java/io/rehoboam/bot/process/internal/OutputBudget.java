package io.rehoboam.bot.process.internal;

import java.util.function.LongSupplier;

/**
 * How much of a program's output may go to memory (the bot's log lines, its events, the server
 * log): a token bucket of {@code bytesPerSecond}, holding at most {@code burstBytes} (the most one
 * batch of lines may take at once). What is over budget is not kept in memory (it is in the bot's
 * log file when it has one) and is counted; {@link #summary} says how much, at most once per
 * second. Not thread-safe: one per output stream's reader.
 */
public final class OutputBudget {
  private static final long SECOND = 1_000_000_000L;

  private final long bytesPerSecond;
  private final long burstBytes;
  private final LongSupplier nanos;
  private double tokens;
  private long refilledAt;
  private long overLines;
  private long overBytes;
  private long lastSummary;

  public OutputBudget(long bytesPerSecond, long burstBytes, LongSupplier nanos) {
    this.bytesPerSecond = bytesPerSecond;
    this.burstBytes = burstBytes;
    this.nanos = nanos;
    this.tokens = burstBytes;
    this.refilledAt = nanos.getAsLong();
    this.lastSummary = refilledAt;
  }

  /** Whether a line of this many bytes may go to memory; if not, it is counted as over budget. */
  public boolean take(long bytes) {
    long now = nanos.getAsLong();
    tokens = Math.min(burstBytes, tokens + (now - refilledAt) * (double) bytesPerSecond / SECOND);
    refilledAt = now;
    if (tokens >= bytes) {
      tokens -= bytes;
      return true;
    }
    overLines++;
    overBytes += bytes;
    return false;
  }

  /**
   * What went over budget since the last summary, when there was some and a second has passed (or
   * {@code force}); null otherwise. {@code where} says where that output is (the log file, or
   * nowhere).
   */
  public String summary(String where, boolean force) {
    long now = nanos.getAsLong();
    if (overLines == 0 || (!force && now - lastSummary < SECOND)) {
      return null;
    }
    String text =
        overLines
            + " line(s) ("
            + overBytes
            + " bytes) over the output budget of "
            + bytesPerSecond
            + " bytes/s in the last "
            + Math.max(1, (now - lastSummary) / SECOND)
            + " s: "
            + where;
    overLines = 0;
    overBytes = 0;
    lastSummary = now;
    return text;
  }
}
