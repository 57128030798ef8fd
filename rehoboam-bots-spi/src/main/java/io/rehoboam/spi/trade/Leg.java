package io.rehoboam.spi.trade;

import io.rehoboam.spi.Checks;
import java.math.BigInteger;
import java.util.Locale;

/** One swap of an opportunity: {@code amountIn} of {@code tokenIn} into pool {@code poolId}. */
public record Leg(
    long chainId,
    String dex,
    String poolId,
    String tokenIn,
    String tokenOut,
    BigInteger amountIn,
    BigInteger amountOut) {
  public Leg {
    Checks.nonNegative(chainId, "chain_id");
    Checks.notBlank(dex, "dex");
    Checks.notBlank(poolId, "pool_id");
    tokenIn = Checks.notBlank(tokenIn, "token_in").toLowerCase(Locale.ROOT);
    tokenOut = Checks.notBlank(tokenOut, "token_out").toLowerCase(Locale.ROOT);
    Checks.nonNegative(amountIn, "amount_in");
    Checks.nonNegative(amountOut, "amount_out");
  }
}
