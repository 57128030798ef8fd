package io.rehoboam.core.sim;

import io.rehoboam.core.scan.ScanConfig;
import io.rehoboam.spi.Checks;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.Settings;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

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

  /** The setting names {@link #fromSettings} reads. */
  public static final Set<String> SETTINGS =
      Set.of("source", "slippage_bps", "gas_price_gwei", "gas_per_leg", "gas_per_tx");

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
    for (String name : settings.names()) {
      if (!SETTINGS.contains(name)) {
        List<String> known = new ArrayList<>(SETTINGS);
        known.sort(null);
        throw new RehoboamException(
            ErrorCode.INVALID_CONFIG,
            name
                + ": unknown setting of a paper executor (known: "
                + String.join(", ", known)
                + ")");
      }
    }
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
