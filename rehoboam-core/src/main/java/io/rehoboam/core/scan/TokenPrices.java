package io.rehoboam.core.scan;

import io.rehoboam.spi.Checks;
import io.rehoboam.spi.market.MarketSource;
import io.rehoboam.spi.market.Token;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Collection;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Token decimals and prices the scan needs to value profits and to convert gas into start-token
 * units, plus the native token (WETH) that gas is paid in. Immutable and thread-safe.
 *
 * <p>Gas conversion ({@link #fromNative}): exact when the token is the native token; otherwise
 * {@code ceil(wei * 10^decimals(token) / (priceInNative(token) * 10^decimals(native)))}, rounded up
 * so that a profit is never overstated; empty when the token's price in native units or its
 * decimals are unknown.
 */
public final class TokenPrices {
  /** Mainnet WETH, the default native token. */
  public static final String MAINNET_WETH = "0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2";

  private static final int NATIVE_DEFAULT_DECIMALS = 18;

  private final String nativeToken;
  private final BigDecimal nativeQuotePrice;
  private final Map<String, TokenInfo> tokens;

  private TokenPrices(
      String nativeToken, BigDecimal nativeQuotePrice, Map<String, TokenInfo> tokens) {
    this.nativeToken = nativeToken;
    this.nativeQuotePrice = nativeQuotePrice;
    this.tokens = Map.copyOf(tokens);
  }

  /** Nothing known but the native token (18 decimals, no quote price). */
  public static TokenPrices none(String nativeToken) {
    return of(nativeToken, null, java.util.List.of());
  }

  /**
   * Prices given in native units (as in the tokens CSV's {@code price_weth}); quote prices are
   * {@code priceInNative * nativeQuotePrice} unless a token carries its own.
   *
   * @param nativeToken address of the native token (WETH)
   * @param nativeQuotePrice quote (USD) price of one whole native token; null when unknown
   * @param tokens the known tokens (the native token may be among them; its price in native units
   *     is always 1)
   */
  public static TokenPrices of(
      String nativeToken, BigDecimal nativeQuotePrice, Collection<TokenInfo> tokens) {
    String nativeAddress = Checks.notBlank(nativeToken, "native_token").toLowerCase(Locale.ROOT);
    Checks.check(
        nativeQuotePrice == null || nativeQuotePrice.signum() > 0,
        "native_quote_price",
        "must be positive");
    Checks.notNull(tokens, "tokens");
    Map<String, TokenInfo> byAddress = new HashMap<>();
    for (TokenInfo token : tokens) {
      Checks.notNull(token, "tokens");
      BigDecimal inNative =
          token.address().equals(nativeAddress) ? BigDecimal.ONE : token.priceInNative();
      BigDecimal quote = token.quotePrice();
      if (quote == null && inNative != null && nativeQuotePrice != null) {
        quote = inNative.multiply(nativeQuotePrice);
      }
      byAddress.put(
          token.address(),
          new TokenInfo(token.address(), token.symbol(), token.decimals(), quote, inNative));
    }
    BigDecimal nativeQuote = nativeQuotePrice;
    TokenInfo nativeInfo = byAddress.get(nativeAddress);
    if (nativeInfo == null) {
      byAddress.put(
          nativeAddress,
          new TokenInfo(
              nativeAddress, "WETH", NATIVE_DEFAULT_DECIMALS, nativeQuotePrice, BigDecimal.ONE));
    } else if (nativeQuote == null) {
      nativeQuote = nativeInfo.quotePrice();
    }
    return new TokenPrices(nativeAddress, nativeQuote, byAddress);
  }

  /**
   * The tokens gas is paid in on a market source, as a scanning bot picks them: the source's native
   * token of each chain ({@link MarketSource#nativeTokens()}), else any token called WETH, else
   * mainnet WETH.
   */
  public static java.util.List<String> nativeTokens(MarketSource source) {
    Checks.notNull(source, "source");
    if (!source.nativeTokens().isEmpty()) {
      return java.util.List.copyOf(source.nativeTokens().values());
    }
    java.util.List<String> weth = new java.util.ArrayList<>();
    for (Token token : source.tokens().values()) {
      if (token.symbol().toUpperCase(Locale.ROOT).equals("WETH")) {
        weth.add(token.address());
      }
    }
    return weth.isEmpty() ? java.util.List.of(MAINNET_WETH) : java.util.List.copyOf(weth);
  }

  /**
   * The tokens and quote prices a market source knows; a token's price in native units is its quote
   * price divided by the native token's (34 significant digits).
   */
  public static TokenPrices fromSource(MarketSource source, String nativeToken) {
    Checks.notNull(source, "source");
    String nativeAddress = Checks.notBlank(nativeToken, "native_token").toLowerCase(Locale.ROOT);
    // One snapshot: a source whose prices move gives them all at one moment.
    Map<String, BigDecimal> quotes = source.quotePrices();
    BigDecimal nativeQuote = quotes.get(nativeAddress);
    java.util.List<TokenInfo> infos = new java.util.ArrayList<>();
    for (Token token : source.tokens().values()) {
      BigDecimal quote = quotes.get(token.address());
      BigDecimal inNative =
          quote == null || nativeQuote == null
              ? null
              : quote.divide(nativeQuote, MathContext.DECIMAL128);
      infos.add(new TokenInfo(token.address(), token.symbol(), token.decimals(), quote, inNative));
    }
    return of(nativeAddress, nativeQuote, infos);
  }

  /** The lower-case address of the token gas is paid in. */
  public String nativeToken() {
    return nativeToken;
  }

  /** The quote (USD) price of one whole native token, when known. */
  public Optional<BigDecimal> nativeQuotePrice() {
    return Optional.ofNullable(nativeQuotePrice);
  }

  /** What is known about a token (address in any case). */
  public Optional<TokenInfo> token(String address) {
    return Optional.ofNullable(tokens.get(address.toLowerCase(Locale.ROOT)));
  }

  /** Every known token by lower-case address. */
  public Map<String, TokenInfo> tokens() {
    return tokens;
  }

  /** The token's decimals, when known. */
  public OptionalInt decimals(String address) {
    TokenInfo info = tokens.get(address.toLowerCase(Locale.ROOT));
    return info == null ? OptionalInt.empty() : OptionalInt.of(info.decimals());
  }

  /** The quote price of one whole token, when known. */
  public Optional<BigDecimal> quotePrice(String address) {
    TokenInfo info = tokens.get(address.toLowerCase(Locale.ROOT));
    return info == null ? Optional.empty() : Optional.ofNullable(info.quotePrice());
  }

  /**
   * The quote value of {@code amount} base units of {@code token}, or null when its price or
   * decimals are unknown. Exact (a BigDecimal with as many digits as needed).
   */
  public BigDecimal quoteValue(String token, BigInteger amount) {
    TokenInfo info = tokens.get(token.toLowerCase(Locale.ROOT));
    if (info == null || info.quotePrice() == null) {
      return null;
    }
    return new BigDecimal(amount, info.decimals()).multiply(info.quotePrice());
  }

  /**
   * The amount of base units of {@code token} worth {@code quoteAmount} in the quote currency,
   * rounded up; empty when unknown.
   */
  public Optional<BigInteger> fromQuote(String token, BigDecimal quoteAmount) {
    TokenInfo info = tokens.get(token.toLowerCase(Locale.ROOT));
    if (info == null || info.quotePrice() == null) {
      return Optional.empty();
    }
    BigDecimal units =
        quoteAmount
            .movePointRight(info.decimals())
            .divide(info.quotePrice(), MathContext.DECIMAL128);
    return Optional.of(units.setScale(0, RoundingMode.CEILING).toBigIntegerExact());
  }

  /**
   * {@code wei} base units of the native token expressed in base units of {@code token}, rounded
   * up; exact for the native token itself; empty when the token's price in native units or its
   * decimals are unknown.
   */
  public Optional<BigInteger> fromNative(String token, BigInteger wei) {
    String address = token.toLowerCase(Locale.ROOT);
    if (address.equals(nativeToken) || wei.signum() == 0) {
      return Optional.of(wei);
    }
    TokenInfo info = tokens.get(address);
    if (info == null || info.priceInNative() == null) {
      return Optional.empty();
    }
    int nativeDecimals = tokens.get(nativeToken).decimals();
    BigDecimal numerator = new BigDecimal(wei).movePointRight(info.decimals());
    BigDecimal denominator = info.priceInNative().movePointRight(nativeDecimals);
    BigDecimal[] qr = numerator.divideAndRemainder(denominator);
    BigInteger whole = qr[0].toBigIntegerExact();
    return Optional.of(qr[1].signum() == 0 ? whole : whole.add(BigInteger.ONE));
  }
}
