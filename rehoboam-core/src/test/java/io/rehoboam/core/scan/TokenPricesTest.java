package io.rehoboam.core.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.Subscription;
import io.rehoboam.spi.market.MarketSource;
import io.rehoboam.spi.market.PoolUpdate;
import io.rehoboam.spi.market.SourceHealth;
import io.rehoboam.spi.market.Token;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class TokenPricesTest {
  private static final String WETH = Markets.WETH;
  private static final String USDC = Markets.token(1);
  private static final String WBTC = Markets.token(2);

  private static TokenPrices prices() {
    return TokenPrices.of(
        WETH,
        new BigDecimal("2500"),
        List.of(
            new TokenInfo(USDC, "USDC", 6, null, new BigDecimal("0.0004")),
            new TokenInfo(WBTC, "WBTC", 8, new BigDecimal("60000"), new BigDecimal("24")),
            new TokenInfo(Markets.token(3), "ODD", 18, null, new BigDecimal("3"))));
  }

  @Test
  void gasInTheNativeTokenIsExactAndElsewhereRoundedUp() {
    TokenPrices prices = prices();
    BigInteger wei = BigInteger.valueOf(2_210_000_000_000_000L); // 0.00221 WETH
    assertEquals(Optional.of(wei), prices.fromNative(WETH, wei));
    assertEquals(Optional.of(wei), prices.fromNative(WETH.toUpperCase().replace("0X", "0x"), wei));
    assertEquals(
        Optional.of(BigInteger.valueOf(5_525_000)), prices.fromNative(USDC, wei), "5.525 USDC");
    // 0.00221 / 24 WBTC = 0.0000920833.. -> 9208.33.. sats, rounded up
    assertEquals(Optional.of(BigInteger.valueOf(9_209)), prices.fromNative(WBTC, wei));
    // 1 wei at 3 WETH per token is 1/3 of a base unit: charged as 1
    assertEquals(Optional.of(BigInteger.ONE), prices.fromNative(Markets.token(3), BigInteger.ONE));
    assertEquals(Optional.empty(), prices.fromNative(Markets.token(9), wei), "unknown token");
    assertEquals(
        Optional.of(BigInteger.ZERO), prices.fromNative(Markets.token(9), BigInteger.ZERO));
  }

  @Test
  void quoteValuesComeFromPricesInNativeOrTheirOwn() {
    TokenPrices prices = prices();
    assertEquals(Optional.of(new BigDecimal("2500")), prices.quotePrice(WETH));
    assertEquals(0, new BigDecimal("1").compareTo(prices.quotePrice(USDC).orElseThrow()));
    assertEquals(
        new BigDecimal("60000"), prices.quotePrice(WBTC).orElseThrow(), "its own quote wins");
    assertEquals(
        0, new BigDecimal("2.5").compareTo(prices.quoteValue(USDC, BigInteger.valueOf(2_500_000))));
    assertNull(prices.quoteValue(Markets.token(9), BigInteger.TEN));
    assertEquals(
        OptionalInt.of(18), prices.decimals(WETH), "the native token defaults to 18 decimals");
    assertEquals(
        Optional.of(BigInteger.valueOf(1_500_000)), prices.fromQuote(USDC, new BigDecimal("1.5")));
    assertEquals(Optional.empty(), TokenPrices.none(WETH).quotePrice(WETH));
  }

  @Test
  void pricesFromAMarketSource() {
    MarketSource source =
        new MarketSource() {
          @Override
          public String id() {
            return "sim";
          }

          @Override
          public Subscription subscribe(Consumer<PoolUpdate> listener) {
            throw new UnsupportedOperationException("not needed");
          }

          @Override
          public Map<String, Token> tokens() {
            return Map.of(
                WETH, new Token(1, WETH, "WETH", 18),
                USDC, new Token(1, USDC, "USDC", 6),
                WBTC, new Token(1, WBTC, "WBTC", 8));
          }

          @Override
          public Optional<BigDecimal> quotePrice(String tokenAddress) {
            return Optional.ofNullable(
                Map.of(WETH, new BigDecimal("2000"), USDC, new BigDecimal("1")).get(tokenAddress));
          }

          @Override
          public SourceHealth health() {
            throw new UnsupportedOperationException("not needed");
          }

          @Override
          public void close() {}
        };
    TokenPrices prices = TokenPrices.fromSource(source, WETH);
    assertEquals(Optional.of(new BigDecimal("2000")), prices.nativeQuotePrice());
    assertEquals(
        0, new BigDecimal("0.0005").compareTo(prices.token(USDC).orElseThrow().priceInNative()));
    assertEquals(
        Optional.of(BigInteger.valueOf(4_420_000)),
        prices.fromNative(USDC, BigInteger.valueOf(2_210_000_000_000_000L)));
    assertEquals(Optional.empty(), prices.fromNative(WBTC, BigInteger.TEN), "no price for WBTC");
    assertEquals(OptionalInt.of(8), prices.decimals(WBTC));
  }

  @Test
  void badPricesAreRefused() {
    assertThrows(
        RehoboamException.class, () -> new TokenInfo(USDC, "USDC", 6, BigDecimal.ZERO, null));
    assertThrows(RehoboamException.class, () -> new TokenInfo(USDC, "USDC", 78, null, null));
    assertThrows(
        RehoboamException.class, () -> TokenPrices.of(WETH, BigDecimal.ONE.negate(), List.of()));
  }

  @Test
  void configRejectsWhatCannotWork() {
    assertThrows(RehoboamException.class, () -> ScanConfig.builder().maxCycleLength(5).build());
    assertThrows(
        RehoboamException.class, () -> ScanConfig.builder().strategies(java.util.Set.of()).build());
    assertThrows(
        RehoboamException.class,
        () -> ScanConfig.builder().minProfitBaseUnits(BigInteger.ZERO).build());
    assertThrows(
        RehoboamException.class,
        () -> ScanConfig.builder().gasPriceWei(BigInteger.valueOf(-1)).build());
    assertThrows(
        RehoboamException.class, () -> ScanConfig.builder().ttl(Duration.ofSeconds(-1)).build());
    ScanConfig config =
        ScanConfig.builder().startTokens(WETH.toUpperCase().replace("0X", "0x"), WETH).build();
    assertEquals(List.of(WETH), config.startTokens(), "lower-cased, duplicates dropped");
    assertEquals(BigInteger.valueOf(221_000), ScanConfig.defaults().gasUnits(2));
    assertEquals(config, config.toBuilder().build());
  }
}
