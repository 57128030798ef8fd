package io.rehoboam.core.scan.gen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.core.scan.TokenInfo;
import io.rehoboam.core.scan.TokenPrices;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.market.Pool;
import io.rehoboam.spi.market.Token;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SyntheticMarketGeneratorTest {
  private static final Pattern ADDRESS = Pattern.compile("0x[0-9a-f]{40}");

  @Test
  void sameSeedGivesTheSameMarketAndAnotherSeedAnotherOne() {
    SyntheticMarket first = SyntheticMarketGenerator.generate(MarketShape.SPARSE, 2_000, 42, 3);
    SyntheticMarket again = SyntheticMarketGenerator.generate(MarketShape.SPARSE, 2_000, 42, 3);
    SyntheticMarket other = SyntheticMarketGenerator.generate(MarketShape.SPARSE, 2_000, 43, 3);

    assertEquals(first, again);
    assertNotEquals(first.pools(), other.pools());
    assertNotEquals(first.tokens(), other.tokens());
  }

  @Test
  void tokensOfASeedDoNotDependOnThePoolCount() {
    SyntheticMarket small = SyntheticMarketGenerator.generate(MarketShape.DENSE, 2_000, 5, 0);
    SyntheticMarket large = SyntheticMarketGenerator.generate(MarketShape.DENSE, 20_000, 5, 0);

    assertEquals(small.tokens(), large.tokens());
    assertEquals(small.priceUsd(), large.priceUsd());
  }

  @Test
  void denseHasFiveHundredTokensAndSparseOnePerFourPools() {
    assertEquals(500, MarketShape.DENSE.tokenCount(2_000));
    assertEquals(500, MarketShape.DENSE.tokenCount(1_000_000));
    assertEquals(500, MarketShape.SPARSE.tokenCount(2_000));
    assertEquals(250_000, MarketShape.SPARSE.tokenCount(1_000_000));

    SyntheticMarket dense = SyntheticMarketGenerator.generate(MarketShape.DENSE, 20_000, 1, 5);
    SyntheticMarket sparse = SyntheticMarketGenerator.generate(MarketShape.SPARSE, 20_000, 1, 5);

    assertEquals(20_000, dense.pools().size());
    assertEquals(500, dense.tokens().size());
    assertEquals(20_000, sparse.pools().size());
    assertEquals(5_000, sparse.tokens().size());
    assertEquals(5, dense.dislocations().size());
    assertEquals(5, sparse.dislocations().size());
  }

  @Test
  void largeMarketsKeepEveryInvariant() {
    for (MarketShape shape : MarketShape.values()) {
      SyntheticMarket market = SyntheticMarketGenerator.generate(shape, 200_000, 9, 10);
      assertEquals(200_000, market.pools().size());
      assertEquals(shape.tokenCount(200_000), market.tokens().size());
      assertStructurallySound(market);
    }
  }

  @Test
  void smallMarketsKeepEveryInvariant() {
    for (MarketShape shape : MarketShape.values()) {
      for (long seed = 0; seed < 5; seed++) {
        assertStructurallySound(SyntheticMarketGenerator.generate(shape, 2_000, seed, 4));
      }
    }
  }

  @Test
  void reservesAreExactIntegersWithinTheV2Bounds() {
    SyntheticMarket market = SyntheticMarketGenerator.generate(MarketShape.SPARSE, 20_000, 3, 5);
    for (Pool pool : market.pools()) {
      for (BigInteger reserve : List.of(pool.reserve0(), pool.reserve1())) {
        assertTrue(reserve.signum() > 0, pool.id());
        assertTrue(reserve.compareTo(Pool.MAX_RESERVE) <= 0, pool.id());
      }
    }
  }

  @Test
  void hubTokensHaveTheirRealDecimalsAndPrices() {
    SyntheticMarket market = SyntheticMarketGenerator.generate(MarketShape.SPARSE, 2_000, 11, 0);
    Map<String, Token> bySymbol =
        market.tokens().stream().collect(Collectors.toMap(Token::symbol, Function.identity()));

    Token weth = bySymbol.get("WETH");
    assertEquals(market.weth(), weth.address());
    assertEquals(18, weth.decimals());
    assertEquals(0, new BigDecimal("3000").compareTo(market.wethUsd()));
    assertEquals(0, BigDecimal.ONE.compareTo(market.priceWeth().get(weth.address())));
    for (String stable : List.of("USDC", "USDT")) {
      Token token = bySymbol.get(stable);
      assertEquals(6, token.decimals(), stable);
      assertEquals(0, BigDecimal.ONE.compareTo(market.priceUsd().get(token.address())), stable);
    }
    for (Token token : market.tokens()) {
      BigDecimal usd = market.priceUsd().get(token.address());
      BigDecimal inWeth = market.priceWeth().get(token.address());
      assertTrue(usd.signum() > 0, token.symbol());
      assertEquals(
          0,
          usd.divide(new BigDecimal("3000"), MathContext.DECIMAL64).compareTo(inWeth),
          token.symbol());
    }
    Set<Integer> decimals =
        market.tokens().stream().map(Token::decimals).collect(Collectors.toSet());
    assertTrue(decimals.containsAll(Set.of(6, 8, 18)), "decimals used: " + decimals);
  }

  @Test
  void everyTokenHasAWethPoolAndUseFallsOffWithRank() {
    SyntheticMarket market = SyntheticMarketGenerator.generate(MarketShape.SPARSE, 20_000, 2, 0);
    Set<String> onWeth = new HashSet<>();
    Map<String, Integer> degree = new HashMap<>();
    for (Pool pool : market.pools()) {
      if (pool.has(market.weth())) {
        onWeth.add(MarketChecks.other(pool, market.weth()));
      }
      degree.merge(pool.token0(), 1, Integer::sum);
      degree.merge(pool.token1(), 1, Integer::sum);
    }
    List<Token> tokens = market.tokens();
    for (Token token : tokens.subList(1, tokens.size())) {
      assertTrue(onWeth.contains(token.address()), token.symbol() + " has no WETH pool");
    }
    int wethDegree = degree.get(market.weth());
    assertTrue(degree.values().stream().filter(d -> d == wethDegree).count() == 1);
    int top50 = tokens.subList(0, 50).stream().mapToInt(t -> degree.get(t.address())).sum();
    int bottomHalf =
        tokens.subList(tokens.size() / 2, tokens.size()).stream()
            .mapToInt(t -> degree.get(t.address()))
            .sum();
    assertTrue(top50 > bottomHalf, "top 50 tokens " + top50 + " vs bottom half " + bottomHalf);
  }

  @Test
  void venuesChargeTheirOwnFeesAndAllAreUsed() {
    SyntheticMarket market = SyntheticMarketGenerator.generate(MarketShape.DENSE, 20_000, 4, 0);
    Map<String, Integer> feeByDex =
        SyntheticMarketGenerator.VENUES.stream()
            .collect(Collectors.toMap(Venue::dex, Venue::feeBps));
    Set<String> used = new HashSet<>();
    for (Pool pool : market.pools()) {
      assertEquals(feeByDex.get(pool.dex()), pool.feeBps(), pool.id());
      used.add(pool.dex());
    }
    assertEquals(feeByDex.keySet(), used);
    assertEquals(12, feeByDex.size());
    assertTrue(
        new HashSet<>(feeByDex.values()).containsAll(Set.of(30, 25, 20, 17, 5, 100)),
        "fees: " + feeByDex.values());
  }

  @Test
  void depthsAreLogNormallySpread() {
    SyntheticMarket market = SyntheticMarketGenerator.generate(MarketShape.SPARSE, 20_000, 6, 0);
    Map<String, Token> tokens =
        market.tokens().stream().collect(Collectors.toMap(Token::address, Function.identity()));
    double[] depthUsd =
        market.pools().stream()
            .mapToDouble(
                pool -> {
                  Token token0 = tokens.get(pool.token0());
                  return pool.reserve0().doubleValue()
                      / Math.pow(10, token0.decimals())
                      * market.priceUsd().get(pool.token0()).doubleValue();
                })
            .sorted()
            .toArray();
    double p10 = depthUsd[depthUsd.length / 10];
    double median = depthUsd[depthUsd.length / 2];
    double p90 = depthUsd[depthUsd.length * 9 / 10];
    assertTrue(median > 50_000 && median < 500_000, "median depth " + median);
    assertTrue(p90 / p10 > 20, "p90/p10 " + p90 / p10);
    assertTrue(depthUsd[0] >= 1_999, "smallest depth " + depthUsd[0]);
  }

  @Test
  void withoutDislocationsNoPairAndNoTriangleFromWethPays() {
    for (MarketShape shape : MarketShape.values()) {
      SyntheticMarket market = SyntheticMarketGenerator.generate(shape, 2_000, 8, 0);
      assertEquals(Set.of(), MarketChecks.profitablePairs(market.pools()), shape.name());
      assertEquals(0, MarketChecks.payingTriangles(market.pools(), market.weth()), shape.name());
    }
  }

  @Test
  void onlyThePlantedPairsPay() {
    for (MarketShape shape : MarketShape.values()) {
      SyntheticMarket market = SyntheticMarketGenerator.generate(shape, 20_000, 12, 7);
      Map<String, Pool> byId =
          market.pools().stream().collect(Collectors.toMap(Pool::id, Function.identity()));
      Set<String> plantedPairs = new HashSet<>();
      for (PlantedDislocation planted : market.dislocations()) {
        Pool moved = byId.get(planted.poolId());
        Pool counterpart = byId.get(planted.counterpartPoolId());
        assertEquals(MarketChecks.pairKey(moved), MarketChecks.pairKey(counterpart));
        assertEquals(planted.token0() + "/" + planted.token1(), MarketChecks.pairKey(moved));
        assertTrue(Math.abs(planted.deviationBps()) >= 400, "deviation " + planted);
        assertTrue(MarketChecks.roundTripPays(moved, counterpart), planted.toString());
        plantedPairs.add(MarketChecks.pairKey(moved));
      }
      assertEquals(7, plantedPairs.size());
      assertEquals(plantedPairs, MarketChecks.profitablePairs(market.pools()), shape.name());
    }
  }

  @Test
  void poolPricesStayWithinTheirFeeBandAroundTheTruePrice() {
    SyntheticMarket market = SyntheticMarketGenerator.generate(MarketShape.DENSE, 20_000, 13, 2);
    PriceModel prices = PriceModel.of(market);
    Set<String> planted =
        market.dislocations().stream().map(PlantedDislocation::poolId).collect(Collectors.toSet());
    int nonZero = 0;
    for (Pool pool : market.pools()) {
      double deviation = prices.deviation(pool);
      if (planted.contains(pool.id())) {
        assertTrue(Math.abs(deviation) > 0.039, pool.id());
      } else {
        assertTrue(Math.abs(deviation) <= 0.45 * pool.feeBps() / 10_000.0 + 1e-6, pool.id());
        if (Math.abs(deviation) > 1e-5) {
          nonZero++;
        }
      }
    }
    assertTrue(nonZero > market.pools().size() / 2, "most pools carry some price noise");
  }

  @Test
  void tokenPricesCarryTheTruePricesForTheScanEngine() {
    SyntheticMarket market = SyntheticMarketGenerator.generate(MarketShape.SPARSE, 2_000, 1, 0);
    TokenPrices prices = market.tokenPrices();

    assertEquals(market.weth(), prices.nativeToken());
    assertEquals(0, new BigDecimal("3000").compareTo(prices.nativeQuotePrice().orElseThrow()));
    assertEquals(market.tokens().size(), prices.tokens().size());
    for (Token token : market.tokens()) {
      TokenInfo info = prices.token(token.address()).orElseThrow();
      assertEquals(token.decimals(), info.decimals());
      assertEquals(0, market.priceUsd().get(token.address()).compareTo(info.quotePrice()));
      assertEquals(0, market.priceWeth().get(token.address()).compareTo(info.priceInNative()));
    }
  }

  @Test
  void aMarketWithDuplicateIdsOrUnknownTokensIsRefused() {
    SyntheticMarket market = SyntheticMarketGenerator.generate(MarketShape.SPARSE, 2_000, 1, 1);
    List<Pool> doubled = new ArrayList<>(market.pools());
    doubled.add(market.pools().get(0));
    assertInvalid("pools", () -> copyWithPools(market, doubled, market.dislocations()));
    Pool stranger = market.pools().get(0);
    List<Pool> foreign =
        List.of(
            new Pool(
                "1:0xforeign",
                1,
                stranger.dex(),
                stranger.address(),
                stranger.token0(),
                "0x" + "77".repeat(20),
                stranger.reserve0(),
                stranger.reserve1(),
                30));
    assertInvalid("pools", () -> copyWithPools(market, foreign, List.of()));
    assertInvalid(
        "dislocations",
        () -> copyWithPools(market, market.pools().subList(0, 1), market.dislocations()));
  }

  private static SyntheticMarket copyWithPools(
      SyntheticMarket market, List<Pool> pools, List<PlantedDislocation> dislocations) {
    return new SyntheticMarket(
        market.chainId(),
        market.weth(),
        market.tokens(),
        market.priceWeth(),
        market.priceUsd(),
        pools,
        dislocations);
  }

  @Test
  void chainIdIsStampedOnTokensAndPoolsAndIds() {
    SyntheticMarket market =
        SyntheticMarketGenerator.generate(MarketShape.SPARSE, 2_000, 1, 1, 31337);
    assertEquals(31337, market.chainId());
    assertTrue(market.tokens().stream().allMatch(t -> t.chainId() == 31337));
    assertTrue(market.pools().stream().allMatch(p -> p.chainId() == 31337));
    assertTrue(market.pools().stream().allMatch(p -> p.id().equals("31337:" + p.address())));
  }

  @Test
  void impossibleMarketsAreRefusedNamingTheArgument() {
    assertInvalid("tokens", () -> SyntheticMarketGenerator.generate(5, 100, 1, 0, 1));
    assertInvalid("pools", () -> SyntheticMarketGenerator.generate(MarketShape.DENSE, 400, 1, 0));
    assertInvalid("pools", () -> SyntheticMarketGenerator.generate(MarketShape.SPARSE, 0, 1, 0));
    assertInvalid("pools", () -> SyntheticMarketGenerator.generate(6, 200, 1, 0, 1));
    assertInvalid(
        "dislocations", () -> SyntheticMarketGenerator.generate(MarketShape.SPARSE, 2_000, 1, -1));
    assertInvalid("dislocations", () -> SyntheticMarketGenerator.generate(6, 5, 1, 1, 1));
    assertInvalid(
        "chain_id", () -> SyntheticMarketGenerator.generate(MarketShape.SPARSE, 2_000, 1, 0, -1));
    assertInvalid("shape", () -> SyntheticMarketGenerator.generate(null, 2_000, 1, 0));
    assertInvalid("shape", () -> MarketShape.parse("medium"));
    assertEquals(MarketShape.SPARSE, MarketShape.parse(" Sparse "));
  }

  private static void assertInvalid(String field, Runnable call) {
    RehoboamException e = assertThrows(RehoboamException.class, call::run);
    assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
    assertTrue(e.getMessage().startsWith(field + ":"), e.getMessage());
  }

  private static void assertStructurallySound(SyntheticMarket market) {
    Set<String> tokenAddresses = new HashSet<>();
    for (Token token : market.tokens()) {
      assertTrue(ADDRESS.matcher(token.address()).matches(), token.address());
      assertTrue(tokenAddresses.add(token.address()), "duplicate token " + token.address());
    }
    Set<String> ids = new HashSet<>();
    Set<String> poolAddresses = new HashSet<>();
    Set<String> pairVenues = new HashSet<>();
    for (Pool pool : market.pools()) {
      assertTrue(ids.add(pool.id()), "duplicate pool id " + pool.id());
      assertTrue(ADDRESS.matcher(pool.address()).matches(), pool.address());
      assertTrue(poolAddresses.add(pool.address()), "duplicate pool address " + pool.address());
      assertTrue(
          !tokenAddresses.contains(pool.address()), "pool shares a token's address " + pool.id());
      assertTrue(pool.token0().compareTo(pool.token1()) < 0, "token0 sorts first " + pool.id());
      assertTrue(tokenAddresses.contains(pool.token0()) && tokenAddresses.contains(pool.token1()));
      assertTrue(
          pairVenues.add(MarketChecks.pairKey(pool) + "@" + pool.dex()),
          "two pools of one pair on one venue " + pool.id());
      assertTrue(pool.reserve0().signum() > 0 && pool.reserve1().signum() > 0, pool.id());
      assertTrue(pool.reserve0().compareTo(Pool.MAX_RESERVE) <= 0, pool.id());
      assertTrue(pool.reserve1().compareTo(Pool.MAX_RESERVE) <= 0, pool.id());
    }
    long distinctPlanted =
        market.dislocations().stream()
            .flatMap(d -> Arrays.stream(new String[] {d.poolId(), d.counterpartPoolId()}))
            .distinct()
            .count();
    assertEquals(market.dislocations().size() * 2L, distinctPlanted);
  }
}
