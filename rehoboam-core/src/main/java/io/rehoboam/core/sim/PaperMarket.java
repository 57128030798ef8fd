package io.rehoboam.core.sim;

import io.rehoboam.spi.market.Token;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;

/**
 * What paper execution reads from a market to value a trade: its tokens, each chain's WETH and the
 * quote prices. The simulated market and the backtest's replayed market both provide it, so both
 * value paper trades with the one {@link PaperValuation}.
 */
public interface PaperMarket {
  /** The market's id, for error messages. */
  String id();

  /** Each chain's WETH address. */
  Map<Long, String> wethByChain();

  /** The market's tokens by address. */
  Map<String, Token> tokens();

  /** The quote-currency price of one whole token, if known. */
  Optional<BigDecimal> quotePrice(String tokenAddress);
}
