package io.rehoboam.core.sim;

import java.math.BigInteger;

/** Uniswap V2's formulas written out independently of the code under test. */
final class Uniswap {
  private Uniswap() {}

  /**
   * {@code UniswapV2Library.getAmountOut}: {@code amountIn*997*reserveOut / (reserveIn*1000 +
   * amountIn*997)}, with the 0.3% fee generalized to any fee in basis points.
   */
  static BigInteger getAmountOut(
      BigInteger amountIn, BigInteger reserveIn, BigInteger reserveOut, int feeBps) {
    BigInteger amountInWithFee = amountIn.multiply(BigInteger.valueOf(10_000 - feeBps));
    BigInteger numerator = amountInWithFee.multiply(reserveOut);
    BigInteger denominator = reserveIn.multiply(BigInteger.valueOf(10_000)).add(amountInWithFee);
    return numerator.divide(denominator);
  }
}
