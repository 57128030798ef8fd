package io.rehoboam.bot.analyst;

import io.rehoboam.spi.trade.Opportunity;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The opportunities seen since the last analysis: counts by strategy, the best, the last few. */
final class OpportunityWindow {
  record Snapshot(
      long count,
      Duration span,
      Map<String, Long> byStrategy,
      BigDecimal bestNetProfitUsd,
      List<Opportunity> recent) {}

  private final int keep;
  private final Clock clock;
  private final Deque<Opportunity> recent = new ArrayDeque<>();
  private Map<String, Long> byStrategy = new HashMap<>();
  private long count;
  private BigDecimal best;
  private Instant since;

  OpportunityWindow(int keep, Clock clock) {
    this.keep = keep;
    this.clock = clock;
    this.since = clock.instant();
  }

  synchronized void add(Opportunity o) {
    count++;
    byStrategy.merge(o.strategy(), 1L, Long::sum);
    if (o.netProfitUsd() != null && (best == null || o.netProfitUsd().compareTo(best) > 0)) {
      best = o.netProfitUsd();
    }
    if (keep > 0) {
      if (recent.size() == keep) {
        recent.removeFirst();
      }
      recent.addLast(o);
    }
  }

  /** What was seen, and starts a new window. */
  synchronized Snapshot drain() {
    Instant now = clock.instant();
    Snapshot s =
        new Snapshot(
            count, Duration.between(since, now), byStrategy, best, new ArrayList<>(recent));
    byStrategy = new HashMap<>();
    count = 0;
    best = null;
    since = now;
    return s;
  }
}
