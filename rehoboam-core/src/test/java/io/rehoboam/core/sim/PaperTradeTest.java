package io.rehoboam.core.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.core.scan.MarketState;
import io.rehoboam.core.scan.ScanConfig;
import io.rehoboam.core.scan.ScanEngine;
import io.rehoboam.core.testing.MutableClock;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.Settings;
import io.rehoboam.spi.market.Pool;
import io.rehoboam.spi.market.PoolUpdate;
import io.rehoboam.spi.trade.Execution;
import io.rehoboam.spi.trade.ExecutionMode;
import io.rehoboam.spi.trade.ExecutionRequest;
import io.rehoboam.spi.trade.ExecutionStatus;
import io.rehoboam.spi.trade.Leg;
import io.rehoboam.spi.trade.Opportunity;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** Paper trades on the simulated market: exact swaps, atomic routes, and the paper executor. */
class PaperTradeTest {
  private static final BigInteger TEN_GWEI = BigInteger.valueOf(10_000_000_000L);

  private final MutableClock clock = MutableClock.atEpoch();
  private final SimMarketSource sim =
      new SimMarketSource(
          "market",
          SimConfig.fromSettings(
              Settings.of(
                  Map.of(
                      "seed",
                      42,
                      "pools",
                      400,
                      "update_interval",
                      "0",
                      "dislocation_probability",
                      0.3))),
          null,
          clock);

  private ScanConfig scanConfig() {
    return ScanConfig.builder()
        .startTokens(List.copyOf(sim.wethByChain().values()))
        .gasPriceWei(TEN_GWEI)
        .build();
  }

  /** The best opportunity of a fresh full scan of the market now, ticking until there is one. */
  private Opportunity opportunity() {
    for (int tick = 0; tick < 500; tick++) {
      MarketState state = new MarketState();
      sim.snapshot().forEach(state::apply);
      List<Opportunity> all =
          new ScanEngine(scanConfig(), clock, sim.tokenPrices()).fullScan(state);
      String weth = sim.wethByChain().get(1L);
      for (Opportunity o : all) {
        if (o.startToken().equals(weth)) {
          return o;
        }
      }
      sim.tick();
    }
    throw new AssertionError("no opportunity in 500 ticks");
  }

  private Execution execute(PaperTradeExecutor executor, Opportunity o, BigInteger amount) {
    return executor
        .execute(new ExecutionRequest("ex-" + o.id(), o, amount, false, null))
        .toCompletableFuture()
        .join();
  }

  private PaperTradeExecutor paper(PaperConfig config) {
    return new PaperTradeExecutor("paper", sim, config, clock);
  }

  private Map<String, Pool> poolsOf(Opportunity o) {
    Map<String, Pool> pools = new HashMap<>();
    for (Leg leg : o.legs()) {
      pools.put(leg.poolId(), sim.pool(leg.poolId()).orElseThrow());
    }
    return pools;
  }

  // ---------------------------------------------------------------- swaps and routes

  @Test
  void aSwapChangesTheReservesExactlyAsUniswapsFormulaSays() {
    Pool pool = sim.pools().get(0);
    List<PoolUpdate> seen = new ArrayList<>();
    sim.subscribe(seen::add);
    seen.clear();
    BigInteger amountIn = pool.reserve0().divide(BigInteger.valueOf(1000));
    BigInteger out =
        Uniswap.getAmountOut(amountIn, pool.reserve0(), pool.reserve1(), pool.feeBps());
    SwapResult result = sim.swap(pool.id(), pool.token0().toUpperCase(), amountIn, out);
    assertFalse(result.reverted());
    assertEquals(out, result.amountOut());
    Pool after = pool.withReserves(pool.reserve0().add(amountIn), pool.reserve1().subtract(out));
    assertEquals(after, sim.pool(pool.id()).orElseThrow());
    assertEquals(
        List.of(new Fill(pool, after, pool.token0(), pool.token1(), amountIn, out)),
        result.fills());
    assertEquals(2, result.sequence());
    assertEquals(List.of(PoolUpdate.reserves(after, 2)), seen, "one update at a new sequence");

    BigInteger back = after.reserve1().divide(BigInteger.valueOf(500));
    BigInteger backOut =
        Uniswap.getAmountOut(back, after.reserve1(), after.reserve0(), after.feeBps());
    sim.swap(pool.id(), pool.token1(), back, null);
    assertEquals(
        after.withReserves(after.reserve0().subtract(backOut), after.reserve1().add(back)),
        sim.pool(pool.id()).orElseThrow());
  }

  @Test
  void aSwapBelowItsMinimumRevertsAndChangesNothing() {
    Pool pool = sim.pools().get(3);
    List<PoolUpdate> seen = new ArrayList<>();
    sim.subscribe(seen::add);
    seen.clear();
    BigInteger amountIn = pool.reserve1().divide(BigInteger.valueOf(100));
    BigInteger out =
        Uniswap.getAmountOut(amountIn, pool.reserve1(), pool.reserve0(), pool.feeBps());
    SwapResult result = sim.swap(pool.id(), pool.token1(), amountIn, out.add(BigInteger.ONE));
    assertTrue(result.reverted());
    assertTrue(
        result.revertReason().startsWith("INSUFFICIENT_OUTPUT_AMOUNT"), result.revertReason());
    assertEquals(out, result.amountOut(), "what it would have given");
    assertEquals(pool, sim.pool(pool.id()).orElseThrow());
    assertEquals(1, sim.sequence());
    assertTrue(seen.isEmpty());
    String deeper = pool.reserve0().compareTo(pool.reserve1()) >= 0 ? pool.token0() : pool.token1();
    SwapResult tiny = sim.swap(pool.id(), deeper, BigInteger.ONE, null);
    assertTrue(tiny.reverted(), "one base unit buys nothing");
  }

  @Test
  void aRouteAppliesEveryLegOnTheStateTheLegBeforeLeftOrNone() {
    Pool first = sim.pools().get(0);
    Pool second =
        sim.pools().stream()
            .filter(p -> !p.id().equals(first.id()) && p.has(first.token1()))
            .findFirst()
            .orElseThrow();
    String end = second.token0().equals(first.token1()) ? second.token1() : second.token0();
    BigInteger amountIn = first.reserve0().divide(BigInteger.valueOf(2000));
    BigInteger mid =
        Uniswap.getAmountOut(amountIn, first.reserve0(), first.reserve1(), first.feeBps());
    boolean secondZeroIn = second.token0().equals(first.token1());
    BigInteger out =
        Uniswap.getAmountOut(
            mid,
            secondZeroIn ? second.reserve0() : second.reserve1(),
            secondZeroIn ? second.reserve1() : second.reserve0(),
            second.feeBps());
    List<Hop> route =
        List.of(new Hop(first.id(), first.token0()), new Hop(second.id(), first.token1()));

    SwapResult quote = sim.quoteLegs(route, amountIn, null);
    assertEquals(out, quote.amountOut());
    assertEquals(first, sim.pool(first.id()).orElseThrow(), "a quote changes nothing");

    SwapResult refused = sim.executeLegs(route, amountIn, out.add(BigInteger.ONE));
    assertTrue(refused.reverted());
    assertEquals(first, sim.pool(first.id()).orElseThrow(), "no leg applied");
    assertEquals(second, sim.pool(second.id()).orElseThrow(), "no leg applied");

    SwapResult done = sim.executeLegs(route, amountIn, out);
    assertEquals(out, done.amountOut());
    assertEquals(end, done.fills().get(1).tokenOut());
    assertEquals(
        first.withReserves(first.reserve0().add(amountIn), first.reserve1().subtract(mid)),
        sim.pool(first.id()).orElseThrow());
    assertEquals(done.fills().get(1).poolAfter(), sim.pool(second.id()).orElseThrow());

    // Through the same pool and back: the second leg sees what the first left.
    Pool now = sim.pool(first.id()).orElseThrow();
    BigInteger there = Uniswap.getAmountOut(amountIn, now.reserve0(), now.reserve1(), now.feeBps());
    BigInteger backAgain =
        Uniswap.getAmountOut(
            there, now.reserve1().subtract(there), now.reserve0().add(amountIn), now.feeBps());
    SwapResult roundTrip =
        sim.executeLegs(
            List.of(new Hop(now.id(), now.token0()), new Hop(now.id(), now.token1())),
            amountIn,
            null);
    assertEquals(backAgain, roundTrip.amountOut());
    assertTrue(backAgain.compareTo(amountIn) < 0, "a round trip pays the fee twice");
  }

  @Test
  void malformedRoutesAreRefusedNamingTheProblem() {
    Pool pool = sim.pools().get(0);
    Pool other = sim.pools().stream().filter(p -> !p.has(pool.token1())).findFirst().orElseThrow();
    RehoboamException unknown =
        assertThrows(
            RehoboamException.class,
            () -> sim.swap("1:0xnope", pool.token0(), BigInteger.TEN, null));
    assertEquals(ErrorCode.NOT_FOUND, unknown.code());
    assertTrue(unknown.getMessage().contains("1:0xnope"), unknown.getMessage());
    assertInvalid(
        "hops[0].token_in",
        () ->
            sim.swap(
                pool.id(),
                other.token0().equals(pool.token0()) ? other.token1() : other.token0(),
                BigInteger.TEN,
                null));
    assertInvalid(
        "hops[1].token_in",
        () ->
            sim.executeLegs(
                List.of(new Hop(pool.id(), pool.token0()), new Hop(other.id(), other.token0())),
                BigInteger.TEN,
                null));
    assertInvalid("amount_in", () -> sim.swap(pool.id(), pool.token0(), BigInteger.ZERO, null));
    assertInvalid("hops", () -> sim.executeLegs(List.of(), BigInteger.TEN, null));
    assertEquals(1, sim.sequence(), "nothing changed");
  }

  private static void assertInvalid(String field, org.junit.jupiter.api.function.Executable call) {
    RehoboamException e = assertThrows(RehoboamException.class, call);
    assertEquals(ErrorCode.INVALID_ARGUMENT, e.code(), e.getMessage());
    assertTrue(e.getMessage().startsWith(field), e.getMessage());
  }

  // ---------------------------------------------------------------- the paper executor

  @Test
  void theRealizedProfitEqualsThePredictedOneWhenNothingMovedInBetween() {
    Opportunity o = opportunity();
    Map<String, Pool> before = poolsOf(o);
    long sequence = sim.sequence();
    Execution e = execute(paper(PaperConfig.defaults()), o, null);
    assertEquals(ExecutionStatus.SIMULATED, e.status(), e.reason());
    assertEquals(ExecutionMode.PAPER, e.mode());
    assertEquals("ex-" + o.id(), e.id());
    assertEquals(o.netProfit(), e.realizedProfit(), "realized = predicted");
    assertEquals(o.netProfit(), e.expectedProfit());
    BigDecimal usd =
        new BigDecimal(o.netProfit(), 18)
            .multiply(sim.quotePrice(o.startToken()).orElseThrow())
            .round(new java.math.MathContext(18));
    assertEquals(0, usd.compareTo(e.realizedProfitUsd()), usd + " vs " + e.realizedProfitUsd());
    assertEquals(0, o.netProfitUsd().compareTo(e.realizedProfitUsd()), "the scan valued it alike");
    assertEquals(BigInteger.valueOf(21_000 + 100_000L * o.legs().size()), e.gasUsed());
    assertEquals(clock.instant(), e.finishedAt());
    assertEquals(sequence + 1, sim.sequence(), "one new sequence for the whole route");
    for (Leg leg : o.legs()) {
      Pool was = before.get(leg.poolId());
      Pool now = sim.pool(leg.poolId()).orElseThrow();
      boolean zeroIn = leg.tokenIn().equals(was.token0());
      BigInteger reserveIn = zeroIn ? was.reserve0() : was.reserve1();
      BigInteger reserveOut = zeroIn ? was.reserve1() : was.reserve0();
      assertEquals(
          Uniswap.getAmountOut(leg.amountIn(), reserveIn, reserveOut, was.feeBps()),
          leg.amountOut(),
          "the scan's leg is Uniswap's output");
      assertEquals(
          zeroIn
              ? was.withReserves(
                  reserveIn.add(leg.amountIn()), reserveOut.subtract(leg.amountOut()))
              : was.withReserves(
                  reserveOut.subtract(leg.amountOut()), reserveIn.add(leg.amountIn())),
          now,
          "pool " + leg.poolId() + " moved exactly by its leg");
    }
    MarketState state = new MarketState();
    sim.snapshot().forEach(state::apply);
    assertTrue(
        new ScanEngine(scanConfig(), clock, sim.tokenPrices())
            .fullScan(state).stream().noneMatch(x -> x.id().equals(o.id())),
        "the trade closed it");
  }

  @Test
  void lessThanTheOptimalInputExecutesThatAmount() {
    Opportunity o = opportunity();
    BigInteger half = o.amountIn().divide(BigInteger.TWO);
    BigInteger expectedOut =
        sim.quoteLegs(
                o.legs().stream().map(l -> new Hop(l.poolId(), l.tokenIn())).toList(), half, null)
            .amountOut();
    Execution e = execute(paper(PaperConfig.defaults()), o, half);
    assertEquals(ExecutionStatus.SIMULATED, e.status(), e.reason());
    assertEquals(expectedOut.subtract(half).subtract(o.gasCost()), e.realizedProfit());
    BigInteger scaled = half.multiply(o.amountOut()).divide(o.amountIn());
    assertEquals(scaled.subtract(half).subtract(o.gasCost()), e.expectedProfit());
    assertTrue(
        e.realizedProfit().compareTo(e.expectedProfit()) >= 0,
        "a concave path gives at least the proportional output");
  }

  @Test
  void aMarketThatMovedAgainstTheTradeRevertsItUnlessTheSlippageToleranceCoversIt() {
    Opportunity o = opportunity();
    Leg first = o.legs().get(0);
    // Someone else trades the same way first.
    sim.swap(first.poolId(), first.tokenIn(), first.amountIn().divide(BigInteger.valueOf(4)), null);
    Map<String, Pool> before = poolsOf(o);
    long sequence = sim.sequence();
    Execution reverted = execute(paper(PaperConfig.defaults()), o, null);
    assertEquals(ExecutionStatus.REVERTED, reverted.status());
    assertTrue(reverted.reason().startsWith("INSUFFICIENT_OUTPUT_AMOUNT"), reverted.reason());
    assertNull(reverted.realizedProfit());
    assertNull(reverted.realizedProfitUsd());
    assertEquals(o.netProfit(), reverted.expectedProfit());
    assertEquals(before, poolsOf(o), "state unchanged");
    assertEquals(sequence, sim.sequence());

    Execution tolerated =
        execute(
            paper(PaperConfig.fromSettings(Settings.of(Map.of("slippage_bps", 10_000)))), o, null);
    assertEquals(ExecutionStatus.SIMULATED, tolerated.status());
    assertTrue(
        tolerated.realizedProfit().compareTo(o.netProfit()) < 0, "it made less than predicted");
  }

  @Test
  void aDryRunComputesTheResultWithoutChangingTheMarket() {
    Opportunity o = opportunity();
    Map<String, Pool> before = poolsOf(o);
    long sequence = sim.sequence();
    Execution e =
        paper(PaperConfig.defaults())
            .execute(new ExecutionRequest("ex-dry", o, null, true, null))
            .toCompletableFuture()
            .join();
    assertEquals(ExecutionStatus.SIMULATED, e.status());
    assertNull(e.realizedProfit());
    assertNull(e.realizedProfitUsd());
    assertNull(e.reason());
    assertEquals(o.netProfit(), e.expectedProfit(), "what executing now would make");
    assertEquals(before, poolsOf(o));
    assertEquals(sequence, sim.sequence());
  }

  @Test
  void aConfiguredGasPriceChargesWhatTheScanEngineWouldHave() {
    Opportunity o = opportunity();
    PaperConfig config = PaperConfig.fromSettings(Settings.of(Map.of("gas_price_gwei", 10)));
    Execution e = execute(paper(config), o, null);
    assertEquals(ExecutionStatus.SIMULATED, e.status(), e.reason());
    assertEquals(o.netProfit(), e.realizedProfit(), "same gas model, same gas cost");

    Opportunity next = opportunity();
    PaperConfig free = PaperConfig.fromSettings(Settings.of(Map.of("gas_price_gwei", 0)));
    Execution gasless = execute(paper(free), next, null);
    assertEquals(next.profit(), gasless.realizedProfit(), "no gas charged at price 0");
  }

  @Test
  void anOpportunityOnPoolsTheMarketDoesNotHaveFails() {
    Opportunity o = opportunity();
    Leg leg = o.legs().get(0);
    List<Leg> legs = new ArrayList<>(o.legs());
    legs.set(
        0,
        new Leg(
            leg.chainId(),
            leg.dex(),
            "1:0xgone",
            leg.tokenIn(),
            leg.tokenOut(),
            leg.amountIn(),
            leg.amountOut()));
    Opportunity elsewhere =
        new Opportunity(
            "elsewhere",
            o.strategy(),
            null,
            o.startToken(),
            o.amountIn(),
            o.amountOut(),
            o.profit(),
            o.gasCost(),
            o.netProfit(),
            o.profitUsd(),
            o.netProfitUsd(),
            o.blockNumber(),
            o.detectedAt(),
            o.expiresAt(),
            legs);
    Execution e = execute(paper(PaperConfig.defaults()), elsewhere, null);
    assertEquals(ExecutionStatus.FAILED, e.status());
    assertTrue(e.reason().contains("1:0xgone"), e.reason());
    assertNull(e.realizedProfit());
  }

  @Test
  void aClosedExecutorRefusesToExecute() {
    Opportunity o = opportunity();
    PaperTradeExecutor executor = paper(PaperConfig.defaults());
    executor.close();
    CompletionException e =
        assertThrows(
            CompletionException.class,
            () ->
                executor
                    .execute(new ExecutionRequest("ex-1", o, null, false, null))
                    .toCompletableFuture()
                    .join());
    assertEquals(ErrorCode.SHUTTING_DOWN, ((RehoboamException) e.getCause()).code());
  }

  @Test
  void paperSettingsAreCheckedAndErrorsNameTheSetting() {
    Map<Map<String, Object>, String> cases =
        Map.of(
            Map.of("slippage_bps", 10_001), "slippage_bps",
            Map.of("slippage_bps", -1), "slippage_bps",
            Map.of("gas_price_gwei", -2), "gas_price_gwei",
            Map.of("gas_per_leg", -1), "gas_per_leg",
            Map.of("mode", "simulate"), "mode");
    cases.forEach(
        (settings, field) -> {
          RehoboamException e =
              assertThrows(
                  RehoboamException.class, () -> PaperConfig.fromSettings(Settings.of(settings)));
          assertEquals(ErrorCode.INVALID_CONFIG, e.code(), e.getMessage());
          assertTrue(e.getMessage().startsWith(field), settings + " -> " + e.getMessage());
        });
    assertEquals(new PaperConfig(null, 0, null, 100_000, 21_000), PaperConfig.defaults());
  }
}
