package io.rehoboam.core.sim;

import io.rehoboam.spi.Checks;
import io.rehoboam.spi.market.Pool;
import java.math.BigInteger;

/**
 * One swap as a route executed (or would execute) it.
 *
 * @param poolBefore the pool as the swap found it
 * @param poolAfter the pool after the swap (for a reverted or quoted route: as it would have been)
 * @param tokenIn the token put in
 * @param tokenOut the token taken out
 * @param amountIn base units of {@code tokenIn} put in
 * @param amountOut base units of {@code tokenOut} taken out, exactly Uniswap V2's {@code
 *     getAmountOut} for the pool's reserves and fee
 */
public record Fill(
    Pool poolBefore,
    Pool poolAfter,
    String tokenIn,
    String tokenOut,
    BigInteger amountIn,
    BigInteger amountOut) {
  public Fill {
    Checks.notNull(poolBefore, "pool_before");
    Checks.notNull(poolAfter, "pool_after");
    Checks.notBlank(tokenIn, "token_in");
    Checks.notBlank(tokenOut, "token_out");
    Checks.nonNegative(amountIn, "amount_in");
    Checks.nonNegative(amountOut, "amount_out");
  }
}
