package io.rehoboam.core.scan.gen;

import io.rehoboam.spi.Checks;

/**
 * A synthetic exchange: its {@code dex} name as it appears on {@link io.rehoboam.spi.market.Pool}
 * and the fee every one of its pools charges.
 *
 * @param dex the venue name, for example {@code uniswap_v2}
 * @param feeBps the swap fee in basis points (30 = 0.3%)
 */
public record Venue(String dex, int feeBps) {
  public Venue {
    Checks.notBlank(dex, "dex");
    Checks.check(feeBps > 0 && feeBps < 10_000, "fee_bps", "must be 1..9999, was " + feeBps);
  }
}
