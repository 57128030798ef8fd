package io.rehoboam.core.sim;

import io.rehoboam.core.scan.ScanConfig;
import io.rehoboam.spi.Checks;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.SettingSpec;
import io.rehoboam.spi.SettingType;
import io.rehoboam.spi.Settings;
import io.rehoboam.spi.SettingsSchema;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * How a {@link PaperTradeExecutor} executes. Immutable; read from an executor's settings with
 * {@link #fromSettings} (grammar on {@link PaperTradeExecutorProvider}).
 *
 * @param source the id of the sim source to trade on, or null for the service's only one
 * @param slippageBps tolerance below the predicted output, 0..10000: the route reverts when the
 *     last leg gives less than {@code predicted * (10000 - slippageBps) / 10000}
 * @param gasPriceGwei the gas price to charge, or null to charge each opportunity's own {@code
 *     gas_cost} (what the scan that found it computed)
 * @param gasPerLeg gas units per swap
 * @param gasPerTx gas units per transaction on top of the swaps
 */
public record PaperConfig(
    String source, int slippageBps, BigDecimal gasPriceGwei, long gasPerLeg, long gasPerTx) {

  /** The settings {@link #fromSettings} reads: the one list of them. */
  public static final SettingsSchema SCHEMA =
      SettingsSchema.of(
          SettingSpec.of(
              "source",
              SettingType.STRING,
              "The sim source to trade on; default the service's only sim source"),
          SettingSpec.of(
                  "slippage_bps",
                  SettingType.INTEGER,
                  "Tolerance below the predicted output of the last leg; a route giving less"
                      + " reverts")
              .defaultValue(0)
              .unit("bps")
              .min(0)
              .max(10_000),
          SettingSpec.of(
                  "gas_price_gwei",
                  SettingType.DECIMAL,
                  "Gas price to charge; unset = each opportunity's own gas_cost as the scan"
                      + " computed it")
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
              .max(Long.MAX_VALUE));

  private static final BigDecimal WEI_PER_GWEI = BigDecimal.TEN.pow(9);

  public PaperConfig {
    Checks.check(source == null || !source.isBlank(), "source", "must not be blank");
    Checks.check(
        slippageBps >= 0 && slippageBps <= 10_000,
        "slippage_bps",
        "must be 0..10000, was " + slippageBps);
    Checks.check(
        gasPriceGwei == null || gasPriceGwei.signum() >= 0,
        "gas_price_gwei",
        "must not be negative");
    Checks.nonNegative(gasPerLeg, "gas_per_leg");
    Checks.nonNegative(gasPerTx, "gas_per_tx");
  }

  /** Every setting at its default. */
  public static PaperConfig defaults() {
    return fromSettings(Settings.empty());
  }

  /**
   * Reads the settings of a {@code paper} executor (without {@code type} and {@code default}).
   *
   * @throws RehoboamException INVALID_CONFIG naming the setting that is unknown or wrong
   */
  public static PaperConfig fromSettings(Settings settings) {
    Checks.notNull(settings, "settings");
    SCHEMA.validate(settings, java.util.Map.of());
    try {
      return new PaperConfig(
          settings.string("source").orElse(null),
          settings.intValue("slippage_bps", 0),
          settings.decimal("gas_price_gwei", null),
          settings.longValue("gas_per_leg", ScanConfig.DEFAULT_GAS_PER_LEG),
          settings.longValue("gas_per_tx", ScanConfig.DEFAULT_GAS_PER_TX));
    } catch (RehoboamException e) {
      throw e.code() == ErrorCode.INVALID_CONFIG
          ? e
          : new RehoboamException(ErrorCode.INVALID_CONFIG, e.getMessage(), e);
    }
  }

  /** Gas units of a route of {@code legs} swaps. */
  public BigInteger gasUnits(int legs) {
    return BigInteger.valueOf(gasPerTx)
        .add(BigInteger.valueOf(gasPerLeg).multiply(BigInteger.valueOf(legs)));
  }

  /** The gas price in wei (rounded up), or null when the opportunity's own gas cost applies. */
  public BigInteger gasPriceWei() {
    return gasPriceGwei == null
        ? null
        : gasPriceGwei.multiply(WEI_PER_GWEI).setScale(0, RoundingMode.CEILING).toBigIntegerExact();
  }
}
