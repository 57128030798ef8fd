package io.rehoboam.core.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.spi.market.Pool;
import io.rehoboam.spi.trade.Opportunity;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ScanEngineTest {
  private static final String WETH = Markets.WETH;
  private static final String USDC = Markets.token(1);
  private static final String DAI = Markets.token(2);
  private static final BigInteger E18 = BigInteger.TEN.pow(18);
  private static final BigInteger E6 = BigInteger.TEN.pow(6);

  /** 1000 WETH against 3.0M and 3.3M USDC: USDC is cheap in pool b. */
  private static List<Pool> twoVenues() {
    return List.of(
        Markets.pool(
            "a",
            WETH,
            USDC,
            E18.multiply(BigInteger.valueOf(1_000)),
            E6.multiply(BigInteger.valueOf(3_000_000)),
            30),
        Markets.pool(
            "b",
            WETH,
            USDC,
            E18.multiply(BigInteger.valueOf(1_000)),
            E6.multiply(BigInteger.valueOf(3_300_000)),
            30));
  }

  private static TokenPrices prices() {
    return TokenPrices.of(
        WETH,
        new BigDecimal("3000"),
        List.of(
            new TokenInfo(WETH, "WETH", 18, null, null),
            new TokenInfo(USDC, "USDC", 6, null, new BigDecimal("0.0004")),
            new TokenInfo(DAI, "DAI", 18, null, null)));
  }

  private static List<Opportunity> scan(ScanConfig config, TokenPrices prices, List<Pool> pools) {
    return new ScanEngine(config, Markets.CLOCK, prices).fullScan(MarketState.of(pools, 3));
  }

  @Test
  void strategiesAreListedWithTheirParameters() {
    List<StrategyDescriptor> strategies = ScanEngine.strategies();
    assertEquals(
        List.of("cross_venue", "cyclic"), strategies.stream().map(StrategyDescriptor::id).toList());
    for (StrategyDescriptor strategy : strategies) {
      Set<String> names =
          strategy.parameters().stream().map(StrategyParameter::name).collect(Collectors.toSet());
      assertTrue(
          names.containsAll(
              Set.of(
                  "min_profit",
                  "min_profit_base_units",
                  "gas_price_gwei",
                  "gas_per_leg",
                  "start_tokens",
                  "ttl")),
          names::toString);
      assertTrue(!strategy.name().isBlank() && !strategy.description().isBlank());
    }
    assertTrue(
        strategies.get(1).parameters().stream()
            .anyMatch(p -> p.name().equals("max_cycle_length") && p.defaultValue().equals("3")));
  }

  @Test
  void crossVenueBuysWhereCheapAndSellsWhereDear() {
    List<Opportunity> found = scan(ScanConfig.defaults(), TokenPrices.none(WETH), twoVenues());
    assertEquals(1, found.size());
    Opportunity opportunity = found.get(0);
    assertEquals("cross_venue", opportunity.strategy());
    assertEquals(WETH, opportunity.startToken());
    assertEquals("b", opportunity.legs().get(0).poolId(), "WETH buys the most USDC in pool b");
    assertEquals(USDC, opportunity.legs().get(0).tokenOut());
    assertEquals("a", opportunity.legs().get(1).poolId());
    assertEquals(WETH, opportunity.legs().get(1).tokenOut());
    assertEquals("uniswap_v2", opportunity.legs().get(0).dex());
    assertEquals(1, opportunity.legs().get(0).chainId());
    assertTrue(opportunity.profit().signum() > 0);
    assertEquals(BigInteger.ZERO, opportunity.gasCost());
    assertEquals(opportunity.profit(), opportunity.netProfit());
    assertNull(opportunity.profitUsd());
    assertNull(opportunity.sourceBot());
    // the optimum of this pair is ~23.5 WETH in for ~0.56 WETH profit
    assertTrue(opportunity.amountIn().compareTo(E18.multiply(BigInteger.valueOf(20))) > 0);
    assertTrue(opportunity.profit().compareTo(E18.divide(BigInteger.TWO)) > 0);
  }

  @Test
  void crossVenueStartsInTheFirstListedStartTokenElseTheSmallerAddress() {
    List<Pool> pools =
        List.of(
            Markets.pool("x", USDC, DAI, 1_000_000_000L, 1_000_000_000L, 30),
            Markets.pool("y", DAI, USDC, 1_100_000_000L, 1_000_000_000L, 30));
    assertEquals(
        USDC,
        scan(ScanConfig.defaults(), TokenPrices.none(WETH), pools).get(0).startToken(),
        "smaller address");
    assertEquals(
        DAI,
        scan(ScanConfig.builder().startTokens(DAI, USDC).build(), TokenPrices.none(WETH), pools)
            .get(0)
            .startToken());
    assertEquals(
        USDC,
        scan(
                ScanConfig.builder().startTokens(WETH, USDC, DAI).build(),
                TokenPrices.none(WETH),
                pools)
            .get(0)
            .startToken());
  }

  @Test
  void minProfitInBaseUnitsIsAnInclusiveExactThreshold() {
    BigInteger net =
        scan(ScanConfig.defaults(), TokenPrices.none(WETH), twoVenues()).get(0).netProfit();
    assertEquals(
        1,
        scan(
                ScanConfig.builder().minProfitBaseUnits(net).build(),
                TokenPrices.none(WETH),
                twoVenues())
            .size());
    assertEquals(
        0,
        scan(
                ScanConfig.builder().minProfitBaseUnits(net.add(BigInteger.ONE)).build(),
                TokenPrices.none(WETH),
                twoVenues())
            .size());
  }

  @Test
  void quoteValuesAndTheQuoteThreshold() {
    Opportunity opportunity = scan(ScanConfig.defaults(), prices(), twoVenues()).get(0);
    BigDecimal expected =
        new BigDecimal(opportunity.profit()).movePointLeft(18).multiply(new BigDecimal("3000"));
    // shown to 18 significant digits
    BigDecimal hair = new BigDecimal("1e-12");
    assertTrue(
        expected.subtract(opportunity.profitUsd()).abs().compareTo(hair) < 0,
        opportunity.profitUsd() + " vs " + expected);
    assertEquals(opportunity.profitUsd(), opportunity.netProfitUsd(), "no gas");
    BigDecimal below = expected.subtract(new BigDecimal("0.01"));
    BigDecimal above = expected.add(new BigDecimal("0.01"));
    assertEquals(
        1, scan(ScanConfig.builder().minProfit(below).build(), prices(), twoVenues()).size());
    assertEquals(
        0, scan(ScanConfig.builder().minProfit(above).build(), prices(), twoVenues()).size());
    assertEquals(
        0,
        scan(
                ScanConfig.builder().minProfit(BigDecimal.ONE).build(),
                TokenPrices.none(WETH),
                twoVenues())
            .size(),
        "no price: cannot be shown to clear a USD minimum");
  }

  @Test
  void gasIsChargedInTheStartToken() {
    ScanConfig gas =
        ScanConfig.builder()
            .gasPriceWei(BigInteger.valueOf(10_000_000_000L))
            .gasPerLeg(100_000)
            .gasPerTx(21_000)
            .build();
    Opportunity inWeth = scan(gas, prices(), twoVenues()).get(0);
    assertEquals(
        BigInteger.valueOf(221_000L * 10_000_000_000L),
        inWeth.gasCost(),
        "exact in the native token");
    assertEquals(inWeth.profit().subtract(inWeth.gasCost()), inWeth.netProfit());

    List<Pool> stable =
        List.of(
            Markets.pool(
                "x",
                USDC,
                DAI,
                E6.multiply(BigInteger.valueOf(1_000_000)),
                E18.multiply(BigInteger.valueOf(1_000_000)),
                30),
            Markets.pool(
                "y",
                USDC,
                DAI,
                E6.multiply(BigInteger.valueOf(1_000_000)),
                E18.multiply(BigInteger.valueOf(1_100_000)),
                30));
    Opportunity inUsdc = scan(gas, prices(), stable).get(0);
    assertEquals(USDC, inUsdc.startToken());
    // 0.00221 WETH at 0.0004 WETH per USDC = 5.525 USDC
    assertEquals(BigInteger.valueOf(5_525_000), inUsdc.gasCost());

    ScanConfig daiFirst = gas.toBuilder().startTokens(DAI).build();
    assertEquals(
        List.of(),
        scan(daiFirst, prices(), stable),
        "DAI has no price: gas cannot be valued, skipped");
    assertEquals(
        1,
        scan(daiFirst.toBuilder().gasPriceWei(BigInteger.ZERO).build(), prices(), stable).size(),
        "free gas needs no price");
  }

  @Test
  void carriesTheSequenceOfItsPoolsAndAnExpiry() {
    MarketState state = new MarketState();
    state.apply(io.rehoboam.spi.market.PoolUpdate.added(twoVenues().get(0), 5));
    state.apply(io.rehoboam.spi.market.PoolUpdate.added(twoVenues().get(1), 9));
    state.apply(
        io.rehoboam.spi.market.PoolUpdate.added(Markets.pool("z", USDC, DAI, 1, 1, 30), 11));
    ScanConfig config =
        ScanConfig.builder().ttl(Duration.ofSeconds(30)).sourceBot("monitor-1").build();
    Opportunity opportunity =
        new ScanEngine(config, Markets.CLOCK, TokenPrices.none(WETH)).fullScan(state).get(0);
    assertEquals(9, opportunity.blockNumber());
    assertTrue(opportunity.id().startsWith("cv-9-"), opportunity.id());
    assertEquals(Markets.CLOCK.instant(), opportunity.detectedAt());
    assertEquals(Markets.CLOCK.instant().plusSeconds(30), opportunity.expiresAt());
    assertEquals("monitor-1", opportunity.sourceBot());
  }

  @Test
  void fullScanIsSortedByNetProfitDescending() {
    List<Opportunity> found =
        scan(
            ScanConfig.builder().maxCycleLength(4).build(),
            TokenPrices.none(WETH),
            Markets.randomMarket(new Random(5), 6, 30, 1_000_000, 1_000_000_000_000L));
    assertTrue(found.size() > 10);
    for (int i = 1; i < found.size(); i++) {
      assertTrue(found.get(i - 1).netProfit().compareTo(found.get(i).netProfit()) >= 0);
    }
    assertEquals(
        found.size(), found.stream().map(Opportunity::id).distinct().count(), "ids are unique");
  }

  @Test
  void strategiesCanBeSwitchedOff() {
    List<Pool> market = Markets.randomMarket(new Random(6), 5, 25, 1_000_000, 1_000_000_000_000L);
    List<Opportunity> both = scan(ScanConfig.defaults(), TokenPrices.none(WETH), market);
    List<Opportunity> cross =
        scan(
            ScanConfig.builder().strategies(ScanStrategy.CROSS_VENUE).build(),
            TokenPrices.none(WETH),
            market);
    List<Opportunity> cyclic =
        scan(
            ScanConfig.builder().strategies(ScanStrategy.CYCLIC).build(),
            TokenPrices.none(WETH),
            market);
    assertTrue(
        cross.stream().allMatch(o -> o.strategy().equals("cross_venue")) && !cross.isEmpty());
    assertTrue(cyclic.stream().allMatch(o -> o.strategy().equals("cyclic")) && !cyclic.isEmpty());
    assertEquals(both.size(), cross.size() + cyclic.size());
  }

  @Test
  void aCycleThroughTwoStartTokensIsReportedOnceFromTheFirstListed() {
    List<Pool> triangle =
        List.of(
            Markets.pool("wu", WETH, USDC, 1_000_000_000_000L, 3_000_000_000_000L, 30),
            Markets.pool("ud", USDC, DAI, 3_000_000_000_000L, 3_300_000_000_000L, 30),
            Markets.pool("dw", DAI, WETH, 3_000_000_000_000L, 1_000_000_000_000L, 30));
    ScanConfig usdcFirst =
        ScanConfig.builder().startTokens(USDC, WETH).strategies(ScanStrategy.CYCLIC).build();
    List<Opportunity> found = scan(usdcFirst, TokenPrices.none(WETH), triangle);
    assertEquals(1, found.size(), found::toString);
    assertEquals(USDC, found.get(0).startToken());
    assertEquals(
        List.of("ud", "dw", "wu"), found.get(0).legs().stream().map(l -> l.poolId()).toList());
    ScanConfig wethFirst = usdcFirst.toBuilder().startTokens(WETH, USDC).build();
    assertEquals(WETH, scan(wethFirst, TokenPrices.none(WETH), triangle).get(0).startToken());
  }

  @Test
  void hugeReservesWithATinyEdgeAreNeverScreenedOut() {
    BigInteger big = BigInteger.ONE.shiftLeft(111);
    BigInteger nudged = big.add(BigInteger.ONE.shiftLeft(60));
    // fee 0: a relative price gap of 2^-51, below what a double ratio of the reserves resolves
    List<Pool> pools =
        List.of(
            Markets.pool("p", WETH, USDC, big, big, 0),
            Markets.pool("q", WETH, USDC, big, nudged, 0));
    List<Opportunity> found = scan(ScanConfig.defaults(), TokenPrices.none(WETH), pools);
    assertEquals(1, found.size());
    Opportunity opportunity = found.get(0);
    ReferenceComparisonTest.assertChained(opportunity);
    List<ReferenceScanner.Hop> hops =
        List.of(
            new ReferenceScanner.Hop(pools.get(1), WETH),
            new ReferenceScanner.Hop(pools.get(0), USDC));
    ReferenceScanner.Result reference = ReferenceScanner.best("cross_venue", WETH, hops);
    ReferenceComparisonTest.assertUniswapAmounts(opportunity, hops);
    assertTrue(
        opportunity.profit().compareTo(reference.profit().subtract(BigInteger.TWO)) >= 0,
        opportunity.profit() + " vs " + reference.profit());
    BigInteger net = opportunity.netProfit();
    assertEquals(
        1,
        scan(ScanConfig.builder().minProfitBaseUnits(net).build(), TokenPrices.none(WETH), pools)
            .size());
    assertEquals(
        0,
        scan(
                ScanConfig.builder().minProfitBaseUnits(net.add(BigInteger.ONE)).build(),
                TokenPrices.none(WETH),
                pools)
            .size());
  }

  @Test
  void poolsWithAnEmptyReserveNeverTrade() {
    List<Pool> pools =
        List.of(twoVenues().get(0), Markets.pool("dry", WETH, USDC, BigInteger.ZERO, E6, 30));
    assertEquals(List.of(), scan(ScanConfig.defaults(), TokenPrices.none(WETH), pools));
  }
}
