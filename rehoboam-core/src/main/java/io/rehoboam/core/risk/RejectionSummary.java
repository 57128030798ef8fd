package io.rehoboam.core.risk;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Keeps a stream of refusals from flooding a log: the first refusal of each period (a minute by
 * default) is logged with its reason, the others are only counted, and the next refusal after the
 * period says how many there were, by reason. Every refusal is still counted in the metrics ({@code
 * rehoboam_risk_rejections_total}) and published as a {@code risk} event.
 *
 * <p>Thread-safe.
 */
public final class RejectionSummary {
  private final Clock clock;
  private final Duration period;
  private Instant periodStart;
  private final Map<String, Long> counted = new TreeMap<>();

  public RejectionSummary(Clock clock, Duration period) {
    this.clock = clock;
    this.period = period;
  }

  /** One a minute. */
  public RejectionSummary(Clock clock) {
    this(clock, Duration.ofMinutes(1));
  }

  /**
   * Records a refusal.
   *
   * @param kind what refused it (a risk limit's name), for the summary
   * @param line the full log line for this refusal
   * @return the line to log now, if any: this refusal's line when it opens a period, preceded by
   *     the summary of the period before when that one counted refusals beyond its first
   */
  public synchronized Optional<String> record(String kind, String line) {
    Instant now = clock.instant();
    if (periodStart != null && now.isBefore(periodStart.plus(period))) {
      counted.merge(kind == null ? "other" : kind, 1L, Long::sum);
      return Optional.empty();
    }
    String summary = summary();
    periodStart = now;
    counted.clear();
    return Optional.of(summary == null ? line : summary + "; then " + line);
  }

  private String summary() {
    if (counted.isEmpty()) {
      return null;
    }
    long total = counted.values().stream().mapToLong(Long::longValue).sum();
    return total
        + " more refused in the "
        + (period.toSeconds() == 60 ? "minute" : period.toSeconds() + " s")
        + " after "
        + periodStart
        + " "
        + counted;
  }
}
