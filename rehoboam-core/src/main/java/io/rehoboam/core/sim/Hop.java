package io.rehoboam.core.sim;

import io.rehoboam.spi.Checks;
import java.util.Locale;

/**
 * One swap of a route: put {@code tokenIn} into pool {@code poolId} and take out its other token.
 *
 * @param poolId the pool's id, as in {@link io.rehoboam.spi.market.Pool#id()}
 * @param tokenIn the address of the token put in (any case; kept lower-case)
 */
public record Hop(String poolId, String tokenIn) {
  public Hop {
    Checks.notBlank(poolId, "pool_id");
    tokenIn = Checks.notBlank(tokenIn, "token_in").toLowerCase(Locale.ROOT);
  }
}
