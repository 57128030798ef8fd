package io.rehoboam.core.metrics;

/**
 * The meters an {@link io.rehoboam.core.ArbitrageService} records when it is built with {@code
 * ArbitrageService.builder().meterRegistry(registry)}; without a registry it records nothing and
 * never loads a Micrometer class. Names are Micrometer's dotted names; a Prometheus registry shows
 * them with underscores and unit suffixes ({@code rehoboam.executions} becomes {@code
 * rehoboam_executions_total}).
 *
 * <p>Counters that follow events (opportunities, executions, risk) are updated on the service's
 * event thread, so they move a moment after the action that caused them. The meters are removed
 * from the registry when the service closes.
 */
public final class RehoboamMeters {
  /** Gauge: bots in each state; tag {@code state} (lower-case state name, every state present). */
  public static final String BOTS = "rehoboam.bots";

  /** Counter: opportunities published; tag {@code strategy}. */
  public static final String OPPORTUNITIES_FOUND = "rehoboam.opportunities.found";

  /**
   * Counter: executions reaching a status; tags {@code status} (lower-case) and {@code mode}
   * ({@code paper} or {@code live}).
   */
  public static final String EXECUTIONS = "rehoboam.executions";

  /**
   * Gauge: the sum of realized profit in the quote currency (USD) of every finished execution since
   * the service started (paper trades included, dry runs have none); negative after net losses.
   */
  public static final String REALIZED_PROFIT = "rehoboam.profit.realized";

  /** Counter: executions the risk policy refused; tag {@code limit}. */
  public static final String RISK_REJECTIONS = "rehoboam.risk.rejections";

  /** Counter: kill switch trips; tag {@code limit} ({@code kill_switch} or daily_loss_limit). */
  public static final String RISK_TRIPS = "rehoboam.risk.trips";

  /** Function counter: events dropped for slow subscribers. */
  public static final String EVENT_DROPS = "rehoboam.events.dropped";

  /**
   * Timer: how long the live monitor takes to scan one batch of pool updates (the time from taking
   * the batch to having published what it found); tags {@code bot} and {@code source}.
   */
  public static final String SCAN_LATENCY = "rehoboam.scan.latency";

  private RehoboamMeters() {}
}
