package io.rehoboam.core.history;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Profit and loss over the trade history.
 *
 * @param totals every execution the query selects; {@code totals.realized_profit_usd} is the sum of
 *     {@code by_bot}'s (and, without filters, of the bots' {@code total_profit}) plus what API
 *     callers executed ({@code by_bot["api"]})
 * @param byBot the same per bot id; executions placed through the API are under {@code api}
 * @param byStrategy the same per strategy
 * @param series the totals per time bucket, oldest first, only buckets with executions
 */
public record PnlReport(
    Instant from,
    Instant to,
    String bucket,
    PnlFigures totals,
    Map<String, PnlFigures> byBot,
    Map<String, PnlFigures> byStrategy,
    List<Bucket> series) {

  /** The key of executions placed through the API (no bot) in {@link #byBot()}. */
  public static final String API = "api";

  /** One bucket of the series. */
  public record Bucket(Instant start, Instant end, PnlFigures figures) {}

  public PnlReport {
    byBot = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(byBot));
    byStrategy = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(byStrategy));
    series = List.copyOf(series);
  }
}
