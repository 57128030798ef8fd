package io.rehoboam.core.bots.internal;

import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.SettingSpec;
import io.rehoboam.spi.SettingType;
import io.rehoboam.spi.Settings;
import io.rehoboam.spi.SettingsSchema;
import java.math.BigDecimal;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The settings of a {@code real_executor} bot, parsed and checked (grammar on {@link
 * io.rehoboam.core.bots.RealExecutorProvider}).
 *
 * @param executor the trade executor's id, or null for the service's default
 * @param strategies the strategies to execute, empty for all (any name: process bots publish their
 *     own)
 * @param minProfit the least net profit in the quote currency an opportunity must show
 * @param maxInFlight executions at a time; opportunities arriving while all are busy are skipped
 * @param maxInput the most to put into one execution, in the quote currency, or null for the
 *     opportunity's own input
 * @param maxTradesPerMinute the bot's own pace: at most this many executions in any sliding minute
 *     (opportunities beyond it are skipped, not sent to be refused by the risk policy; one that was
 *     gone before anything was sent takes no place); 0 = no pace of its own
 */
public record RealExecutorConfig(
    String executor,
    Set<String> strategies,
    BigDecimal minProfit,
    int maxInFlight,
    BigDecimal maxInput,
    int maxTradesPerMinute) {

  /** The settings the bot reads: the one list of them. */
  public static final SettingsSchema SCHEMA =
      SettingsSchema.of(
          SettingSpec.of(
              "executor",
              SettingType.STRING,
              "The trade executor to use; default the service's default executor"),
          SettingSpec.of(
              "strategies",
              SettingType.LIST,
              "Only opportunities of these strategies (any name: process bots publish their own);"
                  + " default all"),
          SettingSpec.of(
                  "min_profit",
                  SettingType.DECIMAL,
                  "Only opportunities whose net_profit_usd is at least this; without a quote value"
                      + " only when this is 0")
              .defaultValue(0)
              .unit("usd")
              .min(0),
          SettingSpec.of(
                  "max_in_flight",
                  SettingType.INTEGER,
                  "Executions at a time; opportunities arriving while all are busy are skipped"
                      + " (and counted), never queued")
              .defaultValue(1)
              .min(1)
              .max(1024),
          SettingSpec.of(
                  "max_trades_per_minute",
                  SettingType.INTEGER,
                  "The bot's own pace: at most this many executions in any sliding minute, the rest"
                      + " skipped, leaving room under the risk policy's shared max_trades_per_minute"
                      + " for other bots and callers; 0 = no pace of its own")
              .defaultValue(0)
              .min(0)
              .max(100_000),
          SettingSpec.of(
                  "max_input",
                  SettingType.DECIMAL,
                  "At most this much into one execution (less than the opportunity's optimal"
                      + " input, valued at its own prices); unset = the opportunity's own input")
              .unit("usd"));

  public RealExecutorConfig {
    strategies = Set.copyOf(strategies);
  }

  /**
   * Parses the settings.
   *
   * @throws RehoboamException INVALID_CONFIG naming the setting that is wrong
   */
  public static RealExecutorConfig from(Settings settings) {
    try {
      String executor = settings.string("executor").map(String::trim).orElse(null);
      if (executor != null && executor.isEmpty()) {
        throw RehoboamException.invalid("executor", "must not be blank");
      }
      Set<String> strategies = new LinkedHashSet<>();
      for (String s : settings.stringList("strategies")) {
        String id = s.trim().toLowerCase(Locale.ROOT);
        if (id.isEmpty()) {
          throw RehoboamException.invalid("strategies", "must not contain a blank name");
        }
        strategies.add(id);
      }
      if (settings.has("strategies") && strategies.isEmpty()) {
        throw RehoboamException.invalid("strategies", "must name at least one strategy");
      }
      BigDecimal minProfit = settings.decimal("min_profit", BigDecimal.ZERO);
      if (minProfit.signum() < 0) {
        throw RehoboamException.invalid("min_profit", "must not be negative");
      }
      int maxInFlight = settings.intValue("max_in_flight", 1);
      if (maxInFlight < 1 || maxInFlight > 1024) {
        throw RehoboamException.invalid("max_in_flight", "must be 1..1024, was " + maxInFlight);
      }
      BigDecimal maxInput = settings.decimal("max_input", null);
      if (maxInput != null && maxInput.signum() <= 0) {
        throw RehoboamException.invalid("max_input", "must be positive");
      }
      int pace = settings.intValue("max_trades_per_minute", 0);
      if (pace < 0 || pace > 100_000) {
        throw RehoboamException.invalid(
            "max_trades_per_minute", "must be 0 (no pace) ..100000, was " + pace);
      }
      return new RealExecutorConfig(executor, strategies, minProfit, maxInFlight, maxInput, pace);
    } catch (RehoboamException e) {
      throw e.code() == ErrorCode.INVALID_CONFIG
          ? e
          : new RehoboamException(ErrorCode.INVALID_CONFIG, e.getMessage(), e);
    }
  }
}
