package io.rehoboam.core.metrics.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.rehoboam.core.BotStatus;
import io.rehoboam.core.events.EventListener;
import io.rehoboam.core.metrics.RehoboamMeters;
import io.rehoboam.spi.event.BotState;
import io.rehoboam.spi.event.Event;
import io.rehoboam.spi.event.ExecutionEvent;
import io.rehoboam.spi.event.OpportunityFoundEvent;
import io.rehoboam.spi.event.RiskEvent;
import io.rehoboam.spi.trade.Execution;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The service's meters in a Micrometer registry (see {@link RehoboamMeters}): gauges read the
 * service when scraped, counters follow its events, the scan timer is fed by the live monitor.
 * Thread-safe.
 */
public final class MicrometerMetrics implements EngineMetrics, EventListener {
  private final MeterRegistry registry;
  private final Set<Meter.Id> registered = ConcurrentHashMap.newKeySet();
  private final Object profitLock = new Object();
  private BigDecimal realizedProfit = BigDecimal.ZERO;

  public MicrometerMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /**
   * Registers the gauges that read the service.
   *
   * @param bots every bot's status
   * @param eventDrops the service's dropped-event count
   */
  public void bind(Supplier<List<BotStatus>> bots, LongSupplier eventDrops) {
    for (BotState state : BotState.values()) {
      remember(
          Gauge.builder(RehoboamMeters.BOTS, bots, b -> count(b.get(), state))
              .tag("state", state.wireName())
              .description("Bots in each state")
              .strongReference(true)
              .register(registry));
    }
    remember(
        FunctionCounter.builder(RehoboamMeters.EVENT_DROPS, eventDrops, d -> d.getAsLong())
            .description("Events dropped for slow subscribers")
            .register(registry));
    remember(
        Gauge.builder(RehoboamMeters.REALIZED_PROFIT, this, m -> m.realizedProfit().doubleValue())
            .baseUnit("usd")
            .description("Realized profit of finished executions")
            .strongReference(true)
            .register(registry));
  }

  private static double count(List<BotStatus> bots, BotState state) {
    int n = 0;
    for (BotStatus b : bots) {
      if (b.status() == state) {
        n++;
      }
    }
    return n;
  }

  private BigDecimal realizedProfit() {
    synchronized (profitLock) {
      return realizedProfit;
    }
  }

  @Override
  public void onEvent(Event event) {
    if (event instanceof OpportunityFoundEvent found) {
      counter(
              RehoboamMeters.OPPORTUNITIES_FOUND,
              "Opportunities published",
              "strategy",
              found.opportunity().strategy())
          .increment();
    } else if (event instanceof ExecutionEvent executed) {
      Execution e = executed.execution();
      remember(
              Counter.builder(RehoboamMeters.EXECUTIONS)
                  .description("Executions reaching each status")
                  .tag("status", e.status().name().toLowerCase(Locale.ROOT))
                  .tag("mode", e.mode().name().toLowerCase(Locale.ROOT))
                  .register(registry))
          .increment();
      // Dry runs have no realized profit; paper trades do, and count as the bots' total_profit
      // counts them.
      if (e.status().isTerminal() && e.realizedProfitUsd() != null) {
        synchronized (profitLock) {
          realizedProfit = realizedProfit.add(e.realizedProfitUsd());
        }
      }
    } else if (event instanceof RiskEvent risk) {
      String limit = risk.limit() == null ? "none" : risk.limit();
      if (risk.decisionKind() == RiskEvent.Decision.REJECT) {
        counter(
                RehoboamMeters.RISK_REJECTIONS,
                "Executions refused by a risk limit",
                "limit",
                limit)
            .increment();
      } else if (risk.decisionKind() == RiskEvent.Decision.TRIP) {
        counter(RehoboamMeters.RISK_TRIPS, "Kill switch trips", "limit", limit).increment();
      }
    }
  }

  private Counter counter(String name, String description, String tag, String value) {
    return remember(
        Counter.builder(name).description(description).tag(tag, value).register(registry));
  }

  @Override
  public void scanned(String botId, String sourceId, long nanos) {
    remember(
            Timer.builder(RehoboamMeters.SCAN_LATENCY)
                .description("Time to scan one batch of pool updates")
                .tag("bot", botId)
                .tag("source", sourceId)
                .publishPercentiles(0.5, 0.99)
                .distributionStatisticExpiry(Duration.ofMinutes(1))
                .register(registry))
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  private <M extends Meter> M remember(M meter) {
    registered.add(meter.getId());
    return meter;
  }

  /** Removes every meter this service registered, so a closed service is no longer reported. */
  public void unbind() {
    for (Meter.Id id : registered) {
      registry.remove(id);
    }
    registered.clear();
  }
}
