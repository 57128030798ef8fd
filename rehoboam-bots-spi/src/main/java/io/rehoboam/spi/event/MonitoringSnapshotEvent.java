package io.rehoboam.spi.event;

import io.rehoboam.spi.BotHealth;
import io.rehoboam.spi.Checks;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * A periodic picture of the service ({@code monitoring.snapshot}), emitted while monitoring is on.
 *
 * @param botsByState number of bots in each state (lower-case state name)
 * @param botHealth each bot's health check, by bot id
 * @param opportunitiesPerMinute opportunities found in the last minute
 * @param totalProfit sum of all bots' realized profit, quote currency
 * @param eventDrops events dropped for slow subscribers since start
 */
public record MonitoringSnapshotEvent(
    long seq,
    Instant at,
    Map<String, Integer> botsByState,
    Map<String, BotHealth> botHealth,
    long opportunitiesPerMinute,
    BigDecimal totalProfit,
    long eventDrops,
    Duration uptime,
    long heapUsedBytes,
    long heapMaxBytes)
    implements Event {
  public static final String TYPE = "monitoring.snapshot";

  public MonitoringSnapshotEvent {
    Checks.notNull(at, "at");
    botsByState = Map.copyOf(botsByState);
    botHealth = Map.copyOf(botHealth);
    Checks.notNull(totalProfit, "total_profit");
    Checks.notNull(uptime, "uptime");
  }

  @Override
  public String botId() {
    return null;
  }

  @Override
  public String type() {
    return TYPE;
  }
}
