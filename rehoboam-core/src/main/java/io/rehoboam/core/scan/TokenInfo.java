package io.rehoboam.core.scan;

import io.rehoboam.spi.Checks;
import java.math.BigDecimal;
import java.util.Locale;

/**
 * What the scan knows about one token: its decimals and, when known, its prices.
 *
 * @param address lower-case address
 * @param symbol display symbol (the address when unknown)
 * @param decimals 0..77
 * @param quotePrice quote-currency (USD) price of one whole token; null when unknown
 * @param priceInNative price of one whole token in whole native tokens (WETH); null when unknown
 */
public record TokenInfo(
    String address, String symbol, int decimals, BigDecimal quotePrice, BigDecimal priceInNative) {
  public TokenInfo {
    address = Checks.notBlank(address, "address").toLowerCase(Locale.ROOT);
    symbol = symbol == null || symbol.isBlank() ? address : symbol;
    Checks.check(decimals >= 0 && decimals <= 77, "decimals", "must be 0..77, was " + decimals);
    Checks.check(quotePrice == null || quotePrice.signum() > 0, "quote_price", "must be positive");
    Checks.check(
        priceInNative == null || priceInNative.signum() > 0, "price_in_native", "must be positive");
  }
}
