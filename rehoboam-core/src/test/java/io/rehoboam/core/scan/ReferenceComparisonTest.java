package io.rehoboam.core.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.core.scan.gen.MarketRegime;
import io.rehoboam.core.scan.gen.SyntheticMarket;
import io.rehoboam.core.scan.gen.SyntheticMarketGenerator;
import io.rehoboam.spi.market.Pool;
import io.rehoboam.spi.trade.Leg;
import io.rehoboam.spi.trade.Opportunity;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The engine against an independent naive search on random small markets with nothing planted: the
 * same set of opportunities, amounts that are exactly Uniswap's, profits no worse than the
 * reference's by more than rounding, and no input within 1000 base units that does better.
 */
class ReferenceComparisonTest {
  private static final BigInteger NEIGHBOURHOOD = BigInteger.valueOf(1_000);

  /** Small reserves: the reference tries every profitable input, so its optimum is the true one. */
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16})
  void smallReservesAgainstExhaustiveSearch(long seed) {
    compare(seed, 500, 40_000);
  }

  /** Token-sized reserves (up to a million whole 18-decimal tokens): ternary search reference. */
  @ParameterizedTest
  @ValueSource(longs = {21, 22, 23, 24, 25, 26, 27, 28})
  void realisticReservesAgainstTernarySearch(long seed) {
    compare(seed, 1_000_000_000_000_000L, Long.MAX_VALUE);
  }

  private static void compare(long seed, long minReserve, long maxReserve) {
    Random random = new Random(seed);
    int tokens = 4 + random.nextInt(2);
    int pools = 7 + random.nextInt(6);
    List<Pool> market = Markets.randomMarket(random, tokens, pools, minReserve, maxReserve);
    if (maxReserve == Long.MAX_VALUE) {
      market = market.stream().map(ReferenceComparisonTest::scaleUp).toList();
    }
    int maxLength = seed % 3 == 0 ? 4 : 3;
    List<String> starts =
        seed % 2 == 0 ? List.of(Markets.WETH) : List.of(Markets.token(1), Markets.WETH);
    int maxPerPair = 1 + (int) (seed % 3);
    assertFalse(
        compare(market, starts, maxLength, maxPerPair, "seed " + seed).isEmpty(),
        "the seed's market has opportunities (seed " + seed + ")");
  }

  /**
   * Generated markets after a market-wide move ({@code volatile}) and with many pools per pair
   * ({@code crowded}), where most pairs pay: per token pair and per cycle route, the engine reports
   * exactly what the naive search's best (then next best sharing no pool) are, with exact amounts.
   */
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4})
  void volatileAndCrowdedMarketsAgainstTheReference(long seed) {
    for (MarketRegime regime : List.of(MarketRegime.VOLATILE, MarketRegime.CROWDED)) {
      boolean crowded = regime == MarketRegime.CROWDED;
      SyntheticMarket generated =
          SyntheticMarketGenerator.generate(crowded ? 6 : 7, regime, crowded ? 36 : 26, seed, 0, 1);
      List<String> starts = List.of(generated.weth());
      int maxPerPair = 1 + (int) (seed % 3);
      List<Opportunity> found =
          compare(generated.pools(), starts, 3, maxPerPair, regime + " seed " + seed);
      long crossVenue = found.stream().filter(o -> o.strategy().equals("cross_venue")).count();
      assertTrue(crossVenue >= 3, regime + " seed " + seed + ": pairs pay, " + crossVenue);
      if (crowded) {
        Map<String, Integer> perPair = new HashMap<>();
        for (Pool pool : generated.pools()) {
          perPair.merge(pool.token0() + pool.token1(), 1, Integer::sum);
        }
        assertTrue(
            perPair.values().stream().anyMatch(n -> n >= 5),
            "a crowded pair has many pools: " + perPair.values());
      }
    }
  }

  /** The engine's full scan against the reference's selection; returns what the engine found. */
  private static List<Opportunity> compare(
      List<Pool> market, List<String> starts, int maxLength, int maxPerPair, String label) {
    ScanConfig config =
        ScanConfig.builder()
            .startTokens(starts)
            .maxCycleLength(maxLength)
            .maxPerPair(maxPerPair)
            .build();

    List<Opportunity> found = Markets.engine(config).fullScan(MarketState.of(market, 7));
    Map<String, ReferenceScanner.Result> expected =
        ReferenceScanner.select(
            new ReferenceScanner(market, starts, maxLength).scan(true, true, BigInteger.ONE),
            maxPerPair);

    Map<String, Opportunity> byKey = new HashMap<>();
    for (Opportunity opportunity : found) {
      assertNull(byKey.put(Markets.key(opportunity), opportunity), "one opportunity per path");
      assertChained(opportunity);
    }
    assertEquals(
        new TreeSet<>(expected.keySet()), new TreeSet<>(byKey.keySet()), "paths found, " + label);
    assertGroupsDisjoint(found, maxPerPair);
    for (ReferenceScanner.Result reference : expected.values()) {
      Opportunity opportunity = byKey.get(reference.key());
      BigInteger tolerance = rounding(reference.hops());
      assertTrue(
          opportunity.profit().compareTo(reference.profit().subtract(tolerance)) >= 0,
          () ->
              reference.key()
                  + ": engine profit "
                  + opportunity.profit()
                  + " at "
                  + opportunity.amountIn()
                  + ", reference "
                  + reference.profit()
                  + " at "
                  + reference.amountIn()
                  + ", tolerance "
                  + tolerance);
      assertUniswapAmounts(opportunity, reference.hops());
      assertNoNearbyInputIsBetter(opportunity, reference.hops(), tolerance);
    }
    return found;
  }

  /**
   * At most {@code maxPerPair} per group (strategy, start token, token pairs passed through), and
   * no two of a group share a pool.
   */
  static void assertGroupsDisjoint(List<Opportunity> found, int maxPerPair) {
    Map<String, List<Opportunity>> groups = new HashMap<>();
    for (Opportunity o : found) {
      TreeSet<String> pairs = new TreeSet<>();
      for (Leg leg : o.legs()) {
        String a = leg.tokenIn();
        String b = leg.tokenOut();
        pairs.add(a.compareTo(b) < 0 ? a + "/" + b : b + "/" + a);
      }
      groups
          .computeIfAbsent(o.strategy() + o.startToken() + pairs, k -> new java.util.ArrayList<>())
          .add(o);
    }
    for (List<Opportunity> group : groups.values()) {
      assertTrue(group.size() <= maxPerPair, "at most max_per_pair: " + group.size());
      java.util.Set<String> used = new java.util.HashSet<>();
      for (Opportunity o : group) {
        for (Leg leg : o.legs()) {
          assertTrue(used.add(leg.poolId()), "pool " + leg.poolId() + " reported twice");
        }
      }
    }
  }

  /** Reserves of up to ~9.2 million whole tokens with 18 decimals. */
  private static Pool scaleUp(Pool pool) {
    BigInteger scale = BigInteger.valueOf(1_000_000);
    return pool.withReserves(
        pool.reserve0().multiply(scale).divide(BigInteger.valueOf(1_000)),
        pool.reserve1().multiply(scale).divide(BigInteger.valueOf(1_000)));
  }

  /** The legs chain and the profit is the difference. */
  static void assertChained(Opportunity opportunity) {
    BigInteger carried = opportunity.amountIn();
    for (Leg leg : opportunity.legs()) {
      assertEquals(carried, leg.amountIn(), "legs chain");
      carried = leg.amountOut();
    }
    assertEquals(carried, opportunity.amountOut(), "amount_out is the last leg's");
    assertEquals(
        opportunity.amountOut().subtract(opportunity.amountIn()), opportunity.profit(), "profit");
  }

  /** Every leg's amount out is what the reference's own Uniswap formula gives. */
  static void assertUniswapAmounts(Opportunity opportunity, List<ReferenceScanner.Hop> hops) {
    for (int k = 0; k < hops.size(); k++) {
      assertEquals(
          ReferenceScanner.output(hops.subList(0, k + 1), opportunity.amountIn()),
          opportunity.legs().get(k).amountOut(),
          "leg " + k + " of " + Markets.key(opportunity));
    }
  }

  static void assertNoNearbyInputIsBetter(
      Opportunity opportunity, List<ReferenceScanner.Hop> hops, BigInteger tolerance) {
    BigInteger center = opportunity.amountIn();
    BigInteger ceiling = opportunity.profit().add(tolerance);
    for (BigInteger d = center.subtract(NEIGHBOURHOOD).max(BigInteger.ONE);
        d.compareTo(center.add(NEIGHBOURHOOD)) <= 0;
        d = d.add(BigInteger.ONE)) {
      BigInteger nearby = ReferenceScanner.profit(hops, d);
      assertTrue(
          nearby.compareTo(ceiling) <= 0,
          "input " + d + " earns " + nearby + ", reported " + opportunity.profit());
    }
  }

  /**
   * One base unit of each intermediate token valued in the start token through the rest of the path
   * at spot rates (doubled for slack), plus one unit of the start token.
   */
  static BigInteger rounding(List<ReferenceScanner.Hop> hops) {
    BigDecimal total = BigDecimal.ONE;
    for (int k = 0; k < hops.size() - 1; k++) {
      BigDecimal value = BigDecimal.valueOf(2);
      for (int j = k + 1; j < hops.size(); j++) {
        ReferenceScanner.Hop hop = hops.get(j);
        value =
            value
                .multiply(new BigDecimal(hop.reserveOut()))
                .divide(new BigDecimal(hop.reserveIn()), MathContext.DECIMAL64);
      }
      total = total.add(value.setScale(0, RoundingMode.CEILING));
    }
    return total.toBigIntegerExact();
  }
}
