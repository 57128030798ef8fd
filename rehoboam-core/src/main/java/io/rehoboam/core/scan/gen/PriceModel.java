package io.rehoboam.core.scan.gen;

import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.market.Pool;
import io.rehoboam.spi.market.Token;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.Map;

/**
 * The true prices of a market in the form the reserve arithmetic needs: base units of each token
 * per USD. Reserves are computed in doubles (53 bits are far finer than the fee bands) and turned
 * into exact integers at the end.
 */
final class PriceModel {
  /**
   * Pools quote within this fraction of their fee around the true price. Two pools of one pair then
   * never differ by more than the sum of their fees, so no pair and no cycle pays, as in a market
   * that arbitrageurs keep in line; only planted dislocations break it.
   */
  static final double BAND_FRACTION = 0.45;

  private static final double[] POWERS_OF_TEN = new double[78];

  static {
    for (int i = 0; i < POWERS_OF_TEN.length; i++) {
      POWERS_OF_TEN[i] = Double.parseDouble("1e" + i);
    }
  }

  private final Map<String, Double> unitsPerUsd;

  PriceModel(Map<String, Double> unitsPerUsd) {
    this.unitsPerUsd = unitsPerUsd;
  }

  static PriceModel of(SyntheticMarket market) {
    Map<String, Double> units = new HashMap<>(market.tokens().size() * 2);
    for (Token token : market.tokens()) {
      units.put(
          token.address(),
          unitsPerUsd(token.decimals(), market.priceUsd().get(token.address()).doubleValue()));
    }
    return new PriceModel(units);
  }

  static double unitsPerUsd(int decimals, double priceUsd) {
    return POWERS_OF_TEN[decimals] / priceUsd;
  }

  /** Half the width of the band a pool with this fee stays in, as a fraction of the price. */
  static double band(int feeBps) {
    return BAND_FRACTION * feeBps / 10_000.0;
  }

  /** reserve1 / reserve0 of a pool that quotes exactly the true price. */
  double trueRatio(Pool pool) {
    return units(pool, pool.token1()) / units(pool, pool.token0());
  }

  /** How far the pool's price of token0 in token1 is from the true price (0.01 = 1% dearer). */
  double deviation(Pool pool) {
    return pool.reserve1().doubleValue() / pool.reserve0().doubleValue() / trueRatio(pool) - 1;
  }

  /** The pool with the same liquidity (reserve0 * reserve1) quoting at {@code deviation}. */
  Pool atDeviation(Pool pool, double deviation) {
    double k = pool.reserve0().doubleValue() * pool.reserve1().doubleValue();
    double ratio = trueRatio(pool) * (1 + deviation);
    return pool.withReserves(
        reserve(Math.sqrt(k / ratio), "reserve0"), reserve(Math.sqrt(k * ratio), "reserve1"));
  }

  private double units(Pool pool, String token) {
    Double units = unitsPerUsd.get(token);
    if (units == null) {
      throw RehoboamException.invalid(
          "pool", "pool " + pool.id() + " trades " + token + ", which is not in the market");
    }
    return units;
  }

  /** An exact reserve from a double; the generator's ranges keep it within 1..2^112-1. */
  static BigInteger reserve(double amount, String field) {
    BigInteger reserve = amount >= 1 ? new BigDecimal(amount).toBigInteger() : BigInteger.ZERO;
    if (reserve.signum() <= 0 || reserve.compareTo(Pool.MAX_RESERVE) > 0) {
      throw new RehoboamException(
          ErrorCode.INTERNAL, field + " out of 1..2^112-1 in a generated pool: " + amount);
    }
    return reserve;
  }
}
