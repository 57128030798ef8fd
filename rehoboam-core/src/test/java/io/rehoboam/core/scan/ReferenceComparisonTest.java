package io.rehoboam.core.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    ScanConfig config = ScanConfig.builder().startTokens(starts).maxCycleLength(maxLength).build();

    List<Opportunity> found = Markets.engine(config).fullScan(MarketState.of(market, 7));
    Map<String, ReferenceScanner.Result> expected =
        new ReferenceScanner(market, starts, maxLength).scan(true, true, BigInteger.ONE);

    Map<String, Opportunity> byKey = new HashMap<>();
    for (Opportunity opportunity : found) {
      assertNull(byKey.put(Markets.key(opportunity), opportunity), "one opportunity per path");
      assertChained(opportunity);
    }
    assertEquals(
        new TreeSet<>(expected.keySet()),
        new TreeSet<>(byKey.keySet()),
        "paths found (seed " + seed + ")");
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
    assertFalse(found.isEmpty(), "the seed's market has opportunities (seed " + seed + ")");
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
