package io.rehoboam.core.internal;

import io.rehoboam.spi.market.MarketSource;
import io.rehoboam.spi.market.Token;
import io.rehoboam.spi.trade.Opportunity;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.Collection;
import java.util.Optional;
import java.util.function.Supplier;

/** Values token amounts in the quote currency from the prices the market sources know. */
public final class QuoteValuation {
  private final Supplier<Collection<MarketSource>> sources;

  public QuoteValuation(Supplier<Collection<MarketSource>> sources) {
    this.sources = sources;
  }

  /** The quote value of {@code amount} base units of {@code token}, when some source prices it. */
  public Optional<BigDecimal> value(String token, BigInteger amount) {
    for (MarketSource source : sources.get()) {
      Token meta = source.tokens().get(token);
      if (meta == null) {
        continue;
      }
      Optional<BigDecimal> price = source.quotePrice(token);
      if (price.isPresent()) {
        return Optional.of(
            new BigDecimal(amount).movePointLeft(meta.decimals()).multiply(price.get()));
      }
    }
    return Optional.empty();
  }

  /**
   * The quote value of {@code amount} of the opportunity's start token: from a source's price, else
   * from the opportunity's own profit valuation (profit_usd / profit is its price per base unit).
   */
  public Optional<BigDecimal> valueOfStart(Opportunity o, BigInteger amount) {
    Optional<BigDecimal> priced = value(o.startToken(), amount);
    if (priced.isPresent()) {
      return priced;
    }
    if (o.profitUsd() != null && o.profit().signum() > 0) {
      return Optional.of(
          o.profitUsd()
              .multiply(new BigDecimal(amount))
              .divide(new BigDecimal(o.profit()), MathContext.DECIMAL64));
    }
    return Optional.empty();
  }
}
