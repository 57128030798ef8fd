package io.rehoboam.core.internal;

import io.rehoboam.core.BotStatus;
import io.rehoboam.spi.BotHealth;
import io.rehoboam.spi.event.BotState;
import io.rehoboam.spi.event.MonitoringSnapshotEvent;
import io.rehoboam.spi.event.SystemEvent;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The periodic system snapshot ({@code monitoring.snapshot}) with each bot's health check.
 * Switching it on or off does not touch supervision, which always runs.
 */
public final class Monitoring {
  private static final Logger log = LoggerFactory.getLogger(Monitoring.class);

  private final EngineServices engine;
  private final Supplier<Collection<BotRunner>> runners;
  private final Duration interval;
  private final Instant startedAt;
  private ScheduledFuture<?> task;

  public Monitoring(
      EngineServices engine, Supplier<Collection<BotRunner>> runners, Duration interval) {
    this.engine = engine;
    this.runners = runners;
    this.interval = interval;
    this.startedAt = engine.clock().instant();
  }

  /** Switches snapshots on; returns false when they already were. */
  public synchronized boolean start() {
    if (task != null) {
      return false;
    }
    long nanos = interval.toNanos();
    task = engine.scheduler().scheduleAtFixedRate(this::emitSafely, 0, nanos, TimeUnit.NANOSECONDS);
    engine
        .events()
        .publish(
            (seq, at) ->
                new SystemEvent(
                    seq,
                    at,
                    SystemEvent.Kind.MONITORING_STARTED,
                    "snapshots every " + BotRunner.human(interval)));
    return true;
  }

  /** Switches snapshots off; returns false when they already were off. */
  public synchronized boolean stop() {
    if (task == null) {
      return false;
    }
    task.cancel(false);
    task = null;
    engine
        .events()
        .publish(
            (seq, at) ->
                new SystemEvent(seq, at, SystemEvent.Kind.MONITORING_STOPPED, "snapshots off"));
    return true;
  }

  public synchronized boolean isOn() {
    return task != null;
  }

  private void emitSafely() {
    try {
      emit();
    } catch (RuntimeException e) {
      log.error("Monitoring snapshot failed", e);
    }
  }

  /** Publishes one snapshot now. */
  public MonitoringSnapshotEvent emit() {
    Map<String, Integer> byState = new LinkedHashMap<>();
    for (BotState s : BotState.values()) {
      byState.put(s.wireName(), 0);
    }
    Map<String, BotHealth> health = new LinkedHashMap<>();
    BigDecimal profit = BigDecimal.ZERO;
    for (BotRunner r : runners.get()) {
      BotStatus status = r.status();
      byState.merge(status.status().wireName(), 1, Integer::sum);
      health.put(status.botId(), status.health());
      profit = profit.add(status.totalProfit());
    }
    Runtime rt = Runtime.getRuntime();
    long used = rt.totalMemory() - rt.freeMemory();
    long perMinute = engine.opportunityRate().lastMinute();
    long drops = engine.events().totalDropped();
    BigDecimal total = profit;
    Duration uptime = Duration.between(startedAt, engine.clock().instant());
    return engine
        .events()
        .publish(
            (seq, at) ->
                new MonitoringSnapshotEvent(
                    seq,
                    at,
                    byState,
                    health,
                    perMinute,
                    total,
                    drops,
                    uptime,
                    used,
                    rt.maxMemory()));
  }
}
