package io.rehoboam.spi.market;

import io.rehoboam.spi.Checks;
import java.util.Locale;

/** A token on one chain. The address is kept lower-case so that two spellings are one token. */
public record Token(long chainId, String address, String symbol, int decimals) {
  public Token {
    Checks.nonNegative(chainId, "chain_id");
    address = Checks.notBlank(address, "address").toLowerCase(Locale.ROOT);
    symbol = symbol == null || symbol.isBlank() ? address : symbol;
    Checks.check(decimals >= 0 && decimals <= 77, "decimals", "must be 0..77, was " + decimals);
  }
}
