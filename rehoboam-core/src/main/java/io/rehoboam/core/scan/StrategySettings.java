package io.rehoboam.core.scan;

import io.rehoboam.spi.SettingSpec;
import io.rehoboam.spi.SettingType;
import java.time.Duration;
import java.util.List;

/**
 * The settings a scanning bot ({@code live_monitor}) reads for its strategies: the one list behind
 * the bot's settings schema and the parameters {@link ScanEngine#strategies()} shows.
 */
public final class StrategySettings {
  private StrategySettings() {}

  /** Default time to live of a published opportunity. */
  public static final Duration DEFAULT_TTL = Duration.ofSeconds(30);

  /** The settings every strategy reads. */
  public static final List<SettingSpec> COMMON =
      List.of(
          SettingSpec.of(
              "start_tokens",
              SettingType.LIST,
              "Token addresses an opportunity may start in, in priority order; empty = each"
                  + " source's native token (WETH)"),
          SettingSpec.of(
                  "gas_price_gwei",
                  SettingType.DECIMAL,
                  "Gas price of the native token; gas cost (gas_per_tx + legs * gas_per_leg) *"
                      + " gas_price is converted into the start token")
              .defaultValue(0)
              .unit("gwei")
              .min(0),
          SettingSpec.of("gas_per_leg", SettingType.INTEGER, "Gas units per swap")
              .defaultValue(ScanConfig.DEFAULT_GAS_PER_LEG)
              .unit("gas")
              .min(0)
              .max(Long.MAX_VALUE),
          SettingSpec.of(
                  "gas_per_tx",
                  SettingType.INTEGER,
                  "Gas units per transaction on top of the swaps")
              .defaultValue(ScanConfig.DEFAULT_GAS_PER_TX)
              .unit("gas")
              .min(0)
              .max(Long.MAX_VALUE),
          SettingSpec.of(
                  "min_profit",
                  SettingType.DECIMAL,
                  "Minimum net profit in the quote currency; unset = no quote threshold (when set,"
                      + " opportunities without a quote value are left out)")
              .unit("usd"),
          SettingSpec.of(
                  "min_profit_base_units",
                  SettingType.INTEGER,
                  "Minimum net profit in base units of the start token")
              .defaultValue(1)
              .unit("base units")
              .min(0),
          SettingSpec.of(
                  "max_per_pair",
                  SettingType.INTEGER,
                  "Opportunities published per token pair (cyclic: per start token and route): the"
                      + " most profitable, then the next most profitable sharing no pool with those"
                      + " before it, so that everything published for a pair can be executed side"
                      + " by side")
              .defaultValue(ScanConfig.DEFAULT_MAX_PER_PAIR)
              .min(1)
              .max(ScanConfig.MAX_MAX_PER_PAIR),
          SettingSpec.of(
                  "ttl",
                  SettingType.DURATION,
                  "How long a published opportunity stays valid after detection")
              .defaultValue("30s"));

  /** The setting only the cyclic strategy reads. */
  public static final SettingSpec MAX_CYCLE_LENGTH =
      SettingSpec.of("max_cycle_length", SettingType.INTEGER, "Longest cycle searched: 3 or 4")
          .defaultValue(3)
          .unit("pools")
          .min(3)
          .max(4);
}
