package io.rehoboam.core.scan.gen;

import io.rehoboam.spi.Checks;
import io.rehoboam.spi.RehoboamException;
import java.util.Locale;

/** How many tokens a synthetic market of a given pool count spreads its pools over. */
public enum MarketShape {
  /**
   * {@value #DENSE_TOKENS} tokens at every size: many venues per pair, a highly connected graph.
   */
  DENSE,
  /** One token per four pools: a long tail of tokens with one or a few pools each. */
  SPARSE;

  /** The token count of every {@link #DENSE} market. */
  public static final int DENSE_TOKENS = 500;

  /**
   * The number of tokens (WETH, stablecoins and long-tail tokens together) of a market with {@code
   * pools} pools in this shape.
   *
   * @throws RehoboamException INVALID_ARGUMENT when {@code pools} is not positive
   */
  public int tokenCount(int pools) {
    Checks.check(pools > 0, "pools", "must be positive, was " + pools);
    return this == DENSE ? DENSE_TOKENS : pools / 4;
  }

  /** The command-line spelling: {@code dense} or {@code sparse}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses {@code dense} or {@code sparse} (any case).
   *
   * @throws RehoboamException INVALID_ARGUMENT naming {@code shape} for anything else
   */
  public static MarketShape parse(String text) {
    String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    for (MarketShape shape : values()) {
      if (shape.wireName().equals(t)) {
        return shape;
      }
    }
    throw RehoboamException.invalid("shape", "must be dense or sparse, was '" + text + "'");
  }
}
