package io.rehoboam.bot.layer2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.core.scan.AmmMath;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.market.Pool;
import io.rehoboam.spi.market.PoolUpdate;
import io.rehoboam.spi.trade.Leg;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class CrossLayerScannerTest {
  static final long L1 = 1;
  static final long L2 = 10;
  static final String WETH1 = "0x00000000000000000000000000000000000000a1";
  static final String USDC1 = "0x00000000000000000000000000000000000000b1";
  static final String WETH2 = "0x00000000000000000000000000000000000000a2";
  static final String USDC2 = "0x00000000000000000000000000000000000000b2";
  static final BigInteger ETH = BigInteger.TEN.pow(18);
  static final BigInteger USD = BigInteger.TEN.pow(6);
  static final BigInteger GWEI = BigInteger.TEN.pow(9);

  static final AssetMap ASSETS =
      new AssetMap(
          Map.of(
              "WETH", Map.of(L1, WETH1, L2, WETH2),
              "USDC", Map.of(L1, USDC1, L2, USDC2)));

  static final BridgeTerms BRIDGE =
      new BridgeTerms(
          "canonical", 5, BigInteger.ZERO, 100_000, Duration.ofMinutes(10), new BigDecimal("0.1"));

  static ChainCosts l1() {
    return new ChainCosts(
        L1, GWEI.multiply(BigInteger.valueOf(20)), 120_000, BigInteger.ZERO, "WETH");
  }

  static ChainCosts l2() {
    return new ChainCosts(
        L2,
        GWEI.divide(BigInteger.TEN),
        120_000,
        GWEI.multiply(BigInteger.valueOf(30_000)),
        "WETH");
  }

  static CrossLayerConfig config(Layer2Mode mode, List<String> startAssets) {
    return new CrossLayerConfig(
        ASSETS, List.of(l1(), l2()), Map.of("default", BRIDGE), mode, startAssets, BigInteger.ONE);
  }

  static Pool pool(
      String id, long chain, String weth, String usdc, long wethUnits, long usdcUnits) {
    return new Pool(
        id,
        chain,
        "uniswap_v2",
        id.replace(":", "") + "0000",
        weth,
        usdc,
        ETH.multiply(BigInteger.valueOf(wethUnits)),
        USD.multiply(BigInteger.valueOf(usdcUnits)),
        30);
  }

  /** Inputs with decimals and prices of both chains and unlimited inventory. */
  static class Inputs implements CrossLayerScanner.Inputs {
    final Map<String, BigInteger> available = new HashMap<>();
    boolean prices = true;

    @Override
    public OptionalInt decimals(long chainId, String token) {
      return OptionalInt.of(token.endsWith("a1") || token.endsWith("a2") ? 18 : 6);
    }

    @Override
    public Optional<BigDecimal> quotePrice(long chainId, String token) {
      if (!prices) {
        return Optional.empty();
      }
      return Optional.of(
          token.endsWith("a1") || token.endsWith("a2") ? new BigDecimal("2000") : BigDecimal.ONE);
    }

    @Override
    public BigInteger available(long chainId, String token) {
      return available.get(chainId + ":" + token);
    }
  }

  static CrossLayerScanner scanner(Layer2Mode mode, List<String> start, long l2Usdc) {
    CrossLayerScanner s = new CrossLayerScanner(config(mode, start));
    s.apply(PoolUpdate.added(pool("1:p", L1, WETH1, USDC1, 1000, 2_000_000), 5));
    s.apply(PoolUpdate.added(pool("10:p", L2, WETH2, USDC2, 1000, l2Usdc), 7));
    return s;
  }

  @Test
  void sizesTheTradeExactlyWithEachChainsPoolMathAndChargesEveryCost() {
    CrossLayerScanner s = scanner(Layer2Mode.INVENTORY, List.of("WETH"), 2_100_000);
    List<CrossLayerQuote> quotes = s.scanAll(new Inputs());
    assertEquals(1, quotes.size());
    CrossLayerQuote q = quotes.get(0);
    // WETH is dearer on the L2: sell WETH for USDC there, buy WETH back with the USDC on L1.
    assertEquals(L2, q.buyChain());
    assertEquals(L1, q.sellChain());
    BigInteger bought =
        AmmMath.amountOut(
            q.amountIn(),
            ETH.multiply(BigInteger.valueOf(1000)),
            USD.multiply(BigInteger.valueOf(2_100_000)),
            30);
    assertEquals(bought, q.bought());
    assertEquals(bought, q.sold());
    BigInteger proceeds =
        AmmMath.amountOut(
            bought,
            USD.multiply(BigInteger.valueOf(2_000_000)),
            ETH.multiply(BigInteger.valueOf(1000)),
            30);
    assertEquals(proceeds, q.proceeds());
    // Bridge: 5 bps rounded up; haircut 0.1 bps/min * 10 min = 1 bps rounded up.
    assertEquals(ceilDiv(proceeds.multiply(BigInteger.valueOf(5)), 10_000), q.homeFee());
    assertEquals(ceilDiv(proceeds, 10_000), q.haircut());
    // Gas: the L2 swap at 0.1 gwei plus the L1 data fee; on L1 the swap and the home deposit at
    // 20 gwei; WETH is the native asset, so wei are start-token base units.
    BigInteger l2Wei =
        GWEI.divide(BigInteger.TEN)
            .multiply(BigInteger.valueOf(120_000))
            .add(GWEI.multiply(BigInteger.valueOf(30_000)));
    BigInteger l1Wei = GWEI.multiply(BigInteger.valueOf(20)).multiply(BigInteger.valueOf(220_000));
    assertEquals(l2Wei, q.buyChainWei());
    assertEquals(l1Wei, q.sellChainWei());
    assertEquals(l1Wei.add(l2Wei), q.gasCost());
    assertEquals(
        proceeds
            .subtract(q.homeFee())
            .subtract(q.amountIn())
            .subtract(q.gasCost())
            .subtract(q.haircut()),
        q.netProfit());
    // The size is the optimum: a little more or less makes less.
    BigInteger step = ETH.divide(BigInteger.valueOf(100));
    assertTrue(q.withAmountIn(q.amountIn().add(step)).netProfit().compareTo(q.netProfit()) < 0);
    assertTrue(
        q.withAmountIn(q.amountIn().subtract(step)).netProfit().compareTo(q.netProfit()) < 0);
    assertEquals(q, q.withAmountIn(q.amountIn()));
    assertEquals(7, q.sequence());
    List<Leg> legs = q.legs();
    assertEquals(3, legs.size());
    assertEquals(
        new Leg(L2, "uniswap_v2", "10:p", WETH2, USDC2, q.amountIn(), bought), legs.get(0));
    assertEquals(new Leg(L1, "uniswap_v2", "1:p", USDC1, WETH1, bought, proceeds), legs.get(1));
    assertEquals(
        new Leg(
            L1,
            "bridge",
            "bridge:canonical:1->10",
            WETH1,
            WETH2,
            proceeds,
            proceeds.subtract(q.homeFee())),
        legs.get(2));
  }

  @Test
  void findsTheOpportunityOnlyWhenThePriceGapExceedsAllCosts() {
    // Walk the L2 price up in steps of 1 USDC per WETH: the first gap at which the scanner finds
    // the trade must be one whose net profit, after every cost, is positive; one step below, the
    // pools alone would still pay (the gap is past the two pool fees) but the costs eat it.
    CrossLayerConfig free =
        new CrossLayerConfig(
            ASSETS,
            List.of(
                new ChainCosts(L1, BigInteger.ZERO, 0, BigInteger.ZERO, "WETH"),
                new ChainCosts(L2, BigInteger.ZERO, 0, BigInteger.ZERO, "WETH")),
            Map.of(
                "default",
                new BridgeTerms("free", 0, BigInteger.ZERO, 0, Duration.ZERO, BigDecimal.ZERO)),
            Layer2Mode.INVENTORY,
            List.of("WETH"),
            BigInteger.ONE);
    long first = -1;
    for (long l2Usdc = 2_010_000; l2Usdc <= 2_100_000 && first < 0; l2Usdc += 1000) {
      if (!scanner(Layer2Mode.INVENTORY, List.of("WETH"), l2Usdc).scanAll(new Inputs()).isEmpty()) {
        first = l2Usdc;
      }
    }
    assertTrue(first > 2_013_000, "found at " + first);
    CrossLayerQuote at =
        scanner(Layer2Mode.INVENTORY, List.of("WETH"), first).scanAll(new Inputs()).get(0);
    assertTrue(at.netProfit().signum() > 0);
    assertEquals(
        List.of(),
        scanner(Layer2Mode.INVENTORY, List.of("WETH"), first - 1000).scanAll(new Inputs()));
    CrossLayerScanner poolsOnly = new CrossLayerScanner(free);
    poolsOnly.apply(PoolUpdate.added(pool("1:p", L1, WETH1, USDC1, 1000, 2_000_000), 1));
    poolsOnly.apply(PoolUpdate.added(pool("10:p", L2, WETH2, USDC2, 1000, first - 1000), 1));
    List<CrossLayerQuote> gross = poolsOnly.scanAll(new Inputs());
    assertEquals(1, gross.size());
    assertTrue(gross.get(0).netProfit().signum() > 0);
    // A fixed bridge fee larger than the net profit pushes the same gap below the line.
    BigInteger fixed = at.netProfit().add(BigInteger.ONE);
    CrossLayerScanner costly =
        new CrossLayerScanner(
            new CrossLayerConfig(
                ASSETS,
                List.of(l1(), l2()),
                Map.of(
                    "default",
                    new BridgeTerms(
                        "canonical",
                        5,
                        fixed,
                        100_000,
                        Duration.ofMinutes(10),
                        new BigDecimal("0.1"))),
                Layer2Mode.INVENTORY,
                List.of("WETH"),
                BigInteger.ONE));
    costly.apply(PoolUpdate.added(pool("1:p", L1, WETH1, USDC1, 1000, 2_000_000), 1));
    costly.apply(PoolUpdate.added(pool("10:p", L2, WETH2, USDC2, 1000, first), 1));
    assertEquals(List.of(), costly.scanAll(new Inputs()));
  }

  @Test
  void startsInEitherAssetAndConvertsGasThroughPricesOrThePoolWhenNoPriceIsKnown() {
    CrossLayerScanner s = scanner(Layer2Mode.INVENTORY, List.of("USDC"), 2_100_000);
    CrossLayerQuote q = s.scanAll(new Inputs()).get(0);
    // Starting in USDC: buy WETH where it is cheap (L1), sell it on the L2.
    assertEquals(L1, q.buyChain());
    assertEquals(USDC1, q.startTokenBuy());
    BigInteger wei = q.buyChainWei().add(q.sellChainWei());
    // 2000 USD per WETH, 1 USD per USDC, 6 decimals, rounded up per chain.
    BigInteger expected =
        ceilDiv(
                q.buyChainWei().multiply(BigInteger.valueOf(2000)).multiply(USD),
                ETH.longValueExact())
            .add(
                ceilDiv(
                    q.sellChainWei().multiply(BigInteger.valueOf(2000)).multiply(USD),
                    ETH.longValueExact()));
    assertEquals(expected, q.gasCost());
    Inputs noPrices = new Inputs();
    noPrices.prices = false;
    CrossLayerQuote viaPool =
        scanner(Layer2Mode.INVENTORY, List.of("USDC"), 2_100_000).scanAll(noPrices).get(0);
    // Each chain's own WETH/USDC pool converts its wei: 2000 USDC per WETH on L1, 2100 on the L2.
    BigInteger poolExpected =
        ceilDiv(
                viaPool.buyChainWei().multiply(BigInteger.valueOf(2_000_000)).multiply(USD),
                ETH.multiply(BigInteger.valueOf(1000)))
            .add(
                ceilDiv(
                    viaPool.sellChainWei().multiply(BigInteger.valueOf(2_100_000)).multiply(USD),
                    ETH.multiply(BigInteger.valueOf(1000))));
    assertEquals(poolExpected, viaPool.gasCost());
    assertTrue(wei.signum() > 0);
  }

  @Test
  void inventoryCapsTheInputOnBothChains() {
    Inputs inputs = new Inputs();
    inputs.available.put(L2 + ":" + WETH2, ETH.multiply(BigInteger.TWO));
    CrossLayerQuote capped =
        scanner(Layer2Mode.INVENTORY, List.of("WETH"), 2_100_000).scanAll(inputs).get(0);
    assertEquals(ETH.multiply(BigInteger.TWO), capped.amountIn());
    // The sell chain holds only 1000 USDC: the buy leg may not take out more.
    Inputs usdc = new Inputs();
    usdc.available.put(L1 + ":" + USDC1, USD.multiply(BigInteger.valueOf(1000)));
    CrossLayerQuote limited =
        scanner(Layer2Mode.INVENTORY, List.of("WETH"), 2_100_000).scanAll(usdc).get(0);
    assertTrue(limited.bought().compareTo(USD.multiply(BigInteger.valueOf(1000))) <= 0);
    assertTrue(
        limited
                .withAmountIn(limited.amountIn().add(BigInteger.ONE))
                .bought()
                .compareTo(USD.multiply(BigInteger.valueOf(1000)))
            > 0);
    // Nothing to spend: nothing found.
    Inputs empty = new Inputs();
    empty.available.put(L2 + ":" + WETH2, BigInteger.ZERO);
    assertEquals(
        List.of(), scanner(Layer2Mode.INVENTORY, List.of("WETH"), 2_100_000).scanAll(empty));
  }

  @Test
  void bridgeModeBridgesWhatItBoughtAndChargesBothTransfers() {
    CrossLayerQuote q =
        scanner(Layer2Mode.BRIDGE, List.of("WETH"), 2_100_000).scanAll(new Inputs()).get(0);
    assertEquals(ceilDiv(q.bought().multiply(BigInteger.valueOf(5)), 10_000), q.outboundFee());
    assertEquals(q.bought().subtract(q.outboundFee()), q.sold());
    assertEquals(
        AmmMath.amountOut(
            q.sold(),
            USD.multiply(BigInteger.valueOf(2_000_000)),
            ETH.multiply(BigInteger.valueOf(1000)),
            30),
        q.proceeds());
    assertEquals(ceilDiv(q.proceeds(), 10_000).multiply(BigInteger.TWO), q.haircut());
    List<Leg> legs = q.legs();
    assertEquals(4, legs.size());
    assertEquals("bridge:canonical:10->1", legs.get(1).poolId());
    assertEquals(USDC2, legs.get(1).tokenIn());
    assertEquals(USDC1, legs.get(1).tokenOut());
    assertEquals(q.sold(), legs.get(1).amountOut());
    // The outbound deposit is a second transaction on the buy chain.
    ChainCosts l2 = l2();
    assertEquals(l2.swapWei().add(l2.transactionWei(100_000)), q.buyChainWei());
  }

  @Test
  void ignoresUnmappedPoolsAndForgetsRemovedOnes() {
    CrossLayerScanner s = scanner(Layer2Mode.INVENTORY, List.of("WETH"), 2_100_000);
    assertTrue(
        !s.apply(
            PoolUpdate.added(
                new Pool("1:x", L1, "uniswap_v2", "0xfe", WETH1, "0xdead", ETH, ETH, 30), 1)));
    assertTrue(!s.apply(PoolUpdate.added(pool("99:p", 99, WETH1, USDC1, 1, 1), 1)));
    assertEquals(2, s.poolCount());
    assertEquals(1, s.crossChainPairs());
    assertTrue(s.apply(PoolUpdate.removed(pool("10:p", L2, WETH2, USDC2, 1000, 2_100_000), 9)));
    assertEquals(List.of(), s.scanChanged(new Inputs()));
    assertEquals(java.util.Set.of(s.pairName("USDC", "WETH")), s.lastScannedPairs());
    assertEquals(s.pairName("WETH", "USDC"), s.pairName("USDC", "WETH"));
    assertEquals(0, s.crossChainPairs());
  }

  @Test
  void refusesBadConfiguration() {
    RehoboamException e =
        assertThrows(
            RehoboamException.class,
            () ->
                new CrossLayerConfig(
                    ASSETS,
                    List.of(l1()),
                    Map.of("default", BRIDGE),
                    Layer2Mode.INVENTORY,
                    List.of("WETH"),
                    BigInteger.ONE));
    assertTrue(e.getMessage().startsWith("chains:"), e.getMessage());
    e =
        assertThrows(
            RehoboamException.class,
            () ->
                new CrossLayerConfig(
                        ASSETS,
                        List.of(l1(), l2()),
                        Map.of(),
                        Layer2Mode.INVENTORY,
                        List.of("WETH"),
                        BigInteger.ONE)
                    .bridge(L1, L2));
    assertTrue(e.getMessage().contains("no bridge for 1->10"), e.getMessage());
    e =
        assertThrows(
            RehoboamException.class,
            () ->
                new CrossLayerConfig(
                    ASSETS,
                    List.of(l1(), l2()),
                    Map.of("default", BRIDGE),
                    Layer2Mode.INVENTORY,
                    List.of("DAI"),
                    BigInteger.ONE));
    assertTrue(e.getMessage().contains("start_assets"), e.getMessage());
    e =
        assertThrows(
            RehoboamException.class,
            () -> new AssetMap(Map.of("A", Map.of(L1, WETH1), "B", Map.of(L1, WETH1))));
    assertTrue(e.getMessage().contains("already asset"), e.getMessage());
    assertThrows(RehoboamException.class, () -> Layer2Mode.parse("teleport"));
  }

  static BigInteger ceilDiv(BigInteger a, long b) {
    return ceilDiv(a, BigInteger.valueOf(b));
  }

  static BigInteger ceilDiv(BigInteger a, BigInteger b) {
    BigInteger[] qr = a.divideAndRemainder(b);
    return qr[1].signum() == 0 ? qr[0] : qr[0].add(BigInteger.ONE);
  }
}
