package io.rehoboam.core.history;

import io.rehoboam.spi.RehoboamException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * Which executions a PnL report sums and how its time series is bucketed. Filters are optional
 * (null); executions count at their finish time.
 *
 * @param from executions that finished at or after this instant
 * @param to executions that finished before this instant
 */
public record PnlQuery(String botId, String strategy, Instant from, Instant to, Bucket bucket) {

  /** The width of the time series' buckets, aligned to UTC. */
  public enum Bucket {
    MINUTE(ChronoUnit.MINUTES),
    HOUR(ChronoUnit.HOURS),
    DAY(ChronoUnit.DAYS);

    private final ChronoUnit unit;

    Bucket(ChronoUnit unit) {
      this.unit = unit;
    }

    /** The start of the bucket holding {@code at}. */
    public Instant start(Instant at) {
      return at.truncatedTo(unit);
    }

    public Duration width() {
      return unit.getDuration();
    }

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** {@code minute}, {@code hour} or {@code day}. */
    public static Bucket parse(String text) {
      for (Bucket b : values()) {
        if (b.wireName().equalsIgnoreCase(text == null ? "" : text.trim())) {
          return b;
        }
      }
      throw RehoboamException.invalid(
          "bucket", "expected minute, hour or day but was '" + text + "'");
    }
  }

  /** Most buckets one report may have; a longer series needs a wider bucket or a range. */
  public static final int MAX_BUCKETS = 10_000;

  public PnlQuery {
    if (bucket == null) {
      bucket = Bucket.HOUR;
    }
    if (from != null && to != null && !from.isBefore(to)) {
      throw RehoboamException.invalid("from", "must be before to");
    }
  }

  /** Everything, bucketed by hour. */
  public static PnlQuery all() {
    return new PnlQuery(null, null, null, null, Bucket.HOUR);
  }
}
