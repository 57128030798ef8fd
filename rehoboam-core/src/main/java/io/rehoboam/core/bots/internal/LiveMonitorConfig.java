package io.rehoboam.core.bots.internal;

import io.rehoboam.core.scan.ScanConfig;
import io.rehoboam.core.scan.ScanStrategy;
import io.rehoboam.core.scan.StrategySettings;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.SettingSpec;
import io.rehoboam.spi.SettingType;
import io.rehoboam.spi.Settings;
import io.rehoboam.spi.SettingsSchema;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The settings of a {@code live_monitor} bot, parsed and checked (grammar on {@link
 * io.rehoboam.core.bots.LiveMonitorProvider}).
 *
 * @param sources source ids, empty for all of the service's sources
 * @param startTokens start token addresses, empty for each source's native (WETH) tokens
 * @param scan the scan settings without start tokens and source bot (filled in per source)
 * @param gasPriceFromSource whether gas is priced with each source's own estimate ({@link
 *     io.rehoboam.spi.market.GasPriceOracle}) instead of {@code gas_price_gwei}
 */
public record LiveMonitorConfig(
    List<String> sources, List<String> startTokens, ScanConfig scan, boolean gasPriceFromSource) {
  /** Default time to live of a published opportunity. */
  public static final Duration DEFAULT_TTL = StrategySettings.DEFAULT_TTL;

  /**
   * The settings the monitor reads: which sources and strategies, then the strategies' own ({@link
   * StrategySettings}). The one list of them.
   */
  public static final SettingsSchema SCHEMA =
      SettingsSchema.of(
              SettingSpec.of(
                  "sources",
                  SettingType.LIST,
                  "Ids of the sources to watch; default all of the service's sources"),
              SettingSpec.of(
                      "strategies",
                      SettingType.LIST,
                      "Strategies to run: cross_venue, cyclic (default both)")
                  .defaultValue("[cross_venue, cyclic]"),
              SettingSpec.of(
                      "gas_price_from_source",
                      SettingType.BOOLEAN,
                      "Price gas with each source's own estimate (an evm source with fee_estimate:"
                          + " next base fee + priority fee), re-read on every scan, instead of"
                          + " gas_price_gwei; nothing is published before the first estimate")
                  .defaultValue(false))
          .plus(StrategySettings.COMMON.toArray(SettingSpec[]::new))
          .plus(StrategySettings.MAX_CYCLE_LENGTH);

  private static final BigDecimal WEI_PER_GWEI = BigDecimal.TEN.pow(9);

  public LiveMonitorConfig {
    sources = List.copyOf(sources);
    startTokens = List.copyOf(startTokens);
  }

  /**
   * Parses the settings.
   *
   * @throws RehoboamException INVALID_CONFIG naming the setting that is wrong
   */
  public static LiveMonitorConfig from(Settings settings) {
    try {
      ScanConfig.Builder scan = ScanConfig.builder();
      List<String> strategies = settings.stringList("strategies");
      if (settings.has("strategies")) {
        if (strategies.isEmpty()) {
          throw RehoboamException.invalid("strategies", "must name at least one strategy");
        }
        Set<ScanStrategy> enabled = EnumSet.noneOf(ScanStrategy.class);
        for (String s : strategies) {
          enabled.add(ScanStrategy.fromId(s));
        }
        scan.strategies(enabled);
      }
      BigDecimal minProfit = settings.decimal("min_profit", null);
      scan.minProfit(minProfit);
      scan.minProfitBaseUnits(settings.bigInteger("min_profit_base_units", BigInteger.ONE));
      BigDecimal gwei = settings.decimal("gas_price_gwei", BigDecimal.ZERO);
      if (gwei.signum() < 0) {
        throw RehoboamException.invalid("gas_price_gwei", "must not be negative");
      }
      scan.gasPriceWei(
          gwei.multiply(WEI_PER_GWEI).setScale(0, RoundingMode.CEILING).toBigIntegerExact());
      scan.gasPerLeg(settings.longValue("gas_per_leg", ScanConfig.DEFAULT_GAS_PER_LEG));
      scan.gasPerTx(settings.longValue("gas_per_tx", ScanConfig.DEFAULT_GAS_PER_TX));
      scan.ttl(settings.duration("ttl", DEFAULT_TTL));
      scan.maxCycleLength(settings.intValue("max_cycle_length", 3));
      scan.maxPerPair(settings.intValue("max_per_pair", ScanConfig.DEFAULT_MAX_PER_PAIR));
      List<String> startTokens = new ArrayList<>();
      for (String token : settings.stringList("start_tokens")) {
        if (token.isBlank()) {
          throw RehoboamException.invalid("start_tokens", "must not contain a blank address");
        }
        startTokens.add(token.trim());
      }
      List<String> sources = new ArrayList<>();
      for (String source : settings.stringList("sources")) {
        if (source.isBlank()) {
          throw RehoboamException.invalid("sources", "must not contain a blank id");
        }
        if (!sources.contains(source.trim())) {
          sources.add(source.trim());
        }
      }
      ScanConfig built = scan.build();
      boolean fromSource = settings.bool("gas_price_from_source", false);
      if (fromSource && settings.has("gas_price_gwei")) {
        throw RehoboamException.invalid(
            "gas_price_from_source", "cannot be combined with gas_price_gwei (give one of them)");
      }
      return new LiveMonitorConfig(
          sources, startTokens, built.toBuilder().startTokens(startTokens).build(), fromSource);
    } catch (RehoboamException e) {
      throw e.code() == ErrorCode.INVALID_CONFIG
          ? e
          : new RehoboamException(ErrorCode.INVALID_CONFIG, e.getMessage(), e);
    }
  }
}
