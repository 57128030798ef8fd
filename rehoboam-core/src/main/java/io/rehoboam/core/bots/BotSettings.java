package io.rehoboam.core.bots;

import io.rehoboam.core.bots.internal.LiveMonitorConfig;
import io.rehoboam.core.bots.internal.RealExecutorConfig;
import io.rehoboam.core.scan.ScanConfig;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.Settings;
import io.rehoboam.spi.SettingsSchema;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The settings of the built-in bots as the bots themselves read them, for tools that run the same
 * logic outside a service (the backtester replays {@code live_monitor} and {@code real_executor}):
 * checked against the bot type's settings schema first, as a service does.
 */
public final class BotSettings {
  private BotSettings() {}

  /**
   * A {@code live_monitor}'s settings.
   *
   * @param sources source ids, empty for all of the service's sources
   * @param startTokens start token addresses, empty for each source's native (WETH) tokens
   * @param scan the scan settings (start tokens as given, no source bot)
   */
  public record Monitor(List<String> sources, List<String> startTokens, ScanConfig scan) {}

  /**
   * A {@code real_executor}'s settings.
   *
   * @param executor the trade executor's id, or null for the default
   * @param strategies the strategies to execute, empty for all
   * @param minProfit the least net profit in the quote currency
   * @param maxInFlight executions at a time
   * @param maxInput the most to put into one execution in the quote currency, or null
   */
  public record Executor(
      String executor,
      Set<String> strategies,
      BigDecimal minProfit,
      int maxInFlight,
      BigDecimal maxInput) {}

  /**
   * Reads a {@code live_monitor}'s settings.
   *
   * @throws RehoboamException INVALID_CONFIG naming the setting that is wrong ({@code
   *     gas_price_from_source} too: a replay has no live fee estimate)
   */
  public static Monitor liveMonitor(Settings settings) {
    LiveMonitorConfig.SCHEMA.validate(settings, Map.of());
    LiveMonitorConfig c = LiveMonitorConfig.from(settings);
    if (c.gasPriceFromSource()) {
      // A replay has no node to estimate fees with: pricing gas at 0 instead would be silent.
      throw new RehoboamException(
          ErrorCode.INVALID_CONFIG,
          "gas_price_from_source: a replay has no live fee estimate; give gas_price_gwei for the"
              + " backtest instead");
    }
    return new Monitor(c.sources(), c.startTokens(), c.scan());
  }

  /** The settings a {@code live_monitor} reads. */
  public static SettingsSchema liveMonitorSchema() {
    return LiveMonitorConfig.SCHEMA;
  }

  /**
   * Reads a {@code real_executor}'s settings.
   *
   * @throws RehoboamException INVALID_CONFIG naming the setting that is wrong
   */
  public static Executor realExecutor(Settings settings) {
    RealExecutorConfig.SCHEMA.validate(settings, Map.of());
    RealExecutorConfig c = RealExecutorConfig.from(settings);
    return new Executor(c.executor(), c.strategies(), c.minProfit(), c.maxInFlight(), c.maxInput());
  }

  /** The settings a {@code real_executor} reads. */
  public static SettingsSchema realExecutorSchema() {
    return RealExecutorConfig.SCHEMA;
  }
}
