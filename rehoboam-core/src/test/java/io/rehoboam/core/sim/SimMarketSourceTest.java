package io.rehoboam.core.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.core.scan.MarketState;
import io.rehoboam.core.scan.ScanConfig;
import io.rehoboam.core.scan.ScanDelta;
import io.rehoboam.core.scan.ScanEngine;
import io.rehoboam.core.scan.gen.MarketShape;
import io.rehoboam.core.scan.gen.SyntheticMarket;
import io.rehoboam.core.scan.gen.SyntheticMarketGenerator;
import io.rehoboam.core.testing.ManualScheduler;
import io.rehoboam.core.testing.MutableClock;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.Settings;
import io.rehoboam.spi.Subscription;
import io.rehoboam.spi.market.Pool;
import io.rehoboam.spi.market.PoolUpdate;
import io.rehoboam.spi.market.SourceHealth;
import io.rehoboam.spi.market.Token;
import io.rehoboam.spi.trade.Opportunity;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class SimMarketSourceTest {
  private final MutableClock clock = MutableClock.atEpoch();

  private SimMarketSource manual(Map<String, Object> settings) {
    Map<String, Object> all = new LinkedHashMap<>(settings);
    all.putIfAbsent("update_interval", "0");
    return new SimMarketSource("market", SimConfig.fromSettings(Settings.of(all)), null, clock);
  }

  @Test
  void theSameSeedGivesTheSameMarketAndStreamAndAnotherSeedAnother() {
    Map<String, Object> settings = Map.of("seed", 42, "pools", 200);
    SimMarketSource a = manual(settings);
    SimMarketSource b = manual(settings);
    assertEquals(a.pools(), b.pools());
    assertEquals(a.tokens(), b.tokens());
    List<PoolUpdate> streamA = a.step(40);
    List<PoolUpdate> streamB = b.step(40);
    assertTrue(streamA.size() > 40 * 10, "updates were emitted: " + streamA.size());
    assertEquals(streamA, streamB);
    assertEquals(a.quotePrice(weth(a)), b.quotePrice(weth(b)));
    SimMarketSource c = manual(Map.of("seed", 43, "pools", 200));
    assertNotEquals(a.pools(), c.pools());
  }

  @Test
  void aSingleChainMarketStartsAsTheGeneratorsMarketForItsSeed() {
    SimMarketSource sim = manual(Map.of("seed", 5, "pools", 300, "chain_ids", List.of(10)));
    SyntheticMarket generated =
        SyntheticMarketGenerator.generate(MarketShape.SPARSE, 300, 5, 0, 10);
    assertEquals(generated.pools(), sim.pools());
    assertEquals(Map.of(10L, generated.weth()), sim.wethByChain());
    assertEquals(1, sim.sequence());
  }

  private static String weth(SimMarketSource sim) {
    return sim.wethByChain().values().iterator().next();
  }

  @Test
  void aSeededMarketProducesOpportunitiesWithinABoundedNumberOfUpdates() {
    for (long seed : new long[] {1, 42, 2026}) {
      SimMarketSource sim = manual(Map.of("seed", seed, "pools", 400));
      ScanEngine engine =
          new ScanEngine(
              ScanConfig.builder().startTokens(List.copyOf(sim.wethByChain().values())).build(),
              clock,
              sim.tokenPrices());
      sim.subscribe(engine::apply).close();
      int updates = 0;
      List<Opportunity> found = new ArrayList<>();
      while (found.isEmpty()) {
        for (PoolUpdate update : sim.tick()) {
          updates++;
          ScanDelta delta = engine.apply(update);
          found.addAll(delta.found());
        }
        assertTrue(
            updates <= 3_000, "seed " + seed + ": no opportunity in " + updates + " updates");
      }
      Opportunity o = found.get(0);
      assertTrue(o.netProfit().signum() > 0);
      assertTrue(o.netProfitUsd().signum() > 0, "profits are valued in USD");
      for (var leg : o.legs()) {
        assertTrue(sim.pool(leg.poolId()).isPresent(), "its pools are the market's");
      }
    }
  }

  @Test
  void aSubscriberGetsEveryPoolInSequenceOrderThenTheChanges() {
    SimMarketSource sim = manual(Map.of("seed", 3, "pools", 200));
    sim.step(5);
    List<PoolUpdate> seen = new CopyOnWriteArrayList<>();
    Subscription subscription = sim.subscribe(seen::add);
    assertEquals(200, seen.size(), "every pool first");
    assertTrue(seen.stream().allMatch(u -> u.kind() == PoolUpdate.Kind.ADDED));
    for (int i = 1; i < seen.size(); i++) {
      assertTrue(seen.get(i - 1).sequence() <= seen.get(i).sequence(), "never back in sequence");
    }
    assertEquals(Set.copyOf(sim.pools()), Set.copyOf(seen.stream().map(PoolUpdate::pool).toList()));
    assertEquals(sim.snapshot(), seen);
    List<PoolUpdate> tick = sim.tick();
    assertEquals(6 + 1, sim.sequence(), "one sequence per tick");
    assertEquals(tick, seen.subList(200, seen.size()));
    assertTrue(tick.stream().allMatch(u -> u.kind() == PoolUpdate.Kind.RESERVES));
    assertTrue(tick.stream().allMatch(u -> u.sequence() == 7));
    subscription.close();
    sim.tick();
    assertEquals(200 + tick.size(), seen.size(), "nothing after the subscription closed");
    MarketState state = new MarketState();
    sim.snapshot().forEach(state::apply);
    assertEquals(sim.sequence(), state.sequence());
  }

  @Test
  void ordinaryMovesAreExactSwapsThatKeepTheProductOfReservesGrowing() {
    SimMarketSource sim = manual(Map.of("seed", 9, "pools", 200, "dislocation_probability", 0));
    Map<String, Pool> before = new LinkedHashMap<>();
    sim.pools().forEach(p -> before.put(p.id(), p));
    for (PoolUpdate update : sim.step(30)) {
      Pool was = before.get(update.pool().id());
      Pool now = update.pool();
      boolean zeroIn = now.reserve0().compareTo(was.reserve0()) > 0;
      assertNotEquals(
          zeroIn, now.reserve1().compareTo(was.reserve1()) > 0, "a swap: one reserve in, one out");
      var amountIn =
          zeroIn
              ? now.reserve0().subtract(was.reserve0())
              : now.reserve1().subtract(was.reserve1());
      var amountOut =
          zeroIn
              ? was.reserve1().subtract(now.reserve1())
              : was.reserve0().subtract(now.reserve0());
      var expectedOut =
          Uniswap.getAmountOut(
              amountIn,
              zeroIn ? was.reserve0() : was.reserve1(),
              zeroIn ? was.reserve1() : was.reserve0(),
              was.feeBps());
      assertEquals(expectedOut, amountOut, "exactly Uniswap's output for " + amountIn + " in");
      assertTrue(
          now.reserve0().multiply(now.reserve1()).compareTo(was.reserve0().multiply(was.reserve1()))
              >= 0,
          "the fee stays in the pool");
      before.put(now.id(), now);
    }
  }

  @Test
  void pricesRandomWalkForWethAndWbtcWhileStablecoinsHoldTheirPeg() {
    SimMarketSource sim = manual(Map.of("seed", 11, "pools", 200));
    String weth = weth(sim);
    Token usdc =
        sim.tokens().values().stream()
            .filter(t -> t.symbol().equals("USDC"))
            .findFirst()
            .orElseThrow();
    assertEquals(0, new BigDecimal("3000").compareTo(sim.quotePrice(weth).orElseThrow()));
    sim.step(50);
    BigDecimal moved = sim.quotePrice(weth.toUpperCase(java.util.Locale.ROOT)).orElseThrow();
    assertNotEquals(0, new BigDecimal("3000").compareTo(moved), "WETH walked");
    assertTrue(moved.subtract(new BigDecimal("3000")).abs().compareTo(new BigDecimal("300")) < 0);
    assertEquals(0, BigDecimal.ONE.compareTo(sim.quotePrice(usdc.address()).orElseThrow()));
    assertTrue(sim.quotePrice("0xnot-a-token").isEmpty());
    assertEquals(
        sim.quotePrice(weth).orElseThrow(), sim.tokenPrices().nativeQuotePrice().orElseThrow());
  }

  @Test
  void severalChainsEachGetAMarketOfTheirOwn() {
    SimMarketSource sim =
        manual(Map.of("seed", 4, "pools", 301, "chain_ids", List.of(1, 10, 42161)));
    assertEquals(List.of(1L, 10L, 42161L), List.copyOf(sim.wethByChain().keySet()));
    assertEquals(3, new HashSet<>(sim.wethByChain().values()).size(), "a WETH per chain");
    Map<Long, Integer> poolsPerChain = new LinkedHashMap<>();
    for (Pool p : sim.pools()) {
      poolsPerChain.merge(p.chainId(), 1, Integer::sum);
      assertEquals(
          p.chainId(), sim.tokens().get(p.token0()).chainId(), "tokens on the pool's chain");
      assertEquals(p.chainId(), sim.tokens().get(p.token1()).chainId());
    }
    assertEquals(Map.of(1L, 101, 10L, 100, 42161L, 100), poolsPerChain);
    BigDecimal first = sim.quotePrice(sim.wethByChain().get(1L)).orElseThrow();
    sim.step(20);
    assertEquals(
        sim.quotePrice(sim.wethByChain().get(1L)), sim.quotePrice(sim.wethByChain().get(10L)));
    assertNotEquals(first, sim.quotePrice(sim.wethByChain().get(10L)).orElseThrow());
  }

  @Test
  void theTimerTicksOnTheSchedulerFromTheFirstSubscriptionUntilClose() {
    ManualScheduler scheduler = new ManualScheduler(clock);
    SimMarketSource sim =
        new SimMarketSource(
            "market",
            SimConfig.fromSettings(Settings.of(Map.of("pools", 100, "update_interval", "250ms"))),
            scheduler,
            clock);
    SourceHealth waiting = sim.health();
    assertFalse(waiting.up());
    assertTrue(waiting.message().contains("waiting for the first subscriber"), waiting.message());
    scheduler.advance(Duration.ofSeconds(1));
    assertEquals(1, sim.sequence(), "no ticks before the first subscription");
    List<PoolUpdate> seen = new CopyOnWriteArrayList<>();
    sim.subscribe(seen::add);
    scheduler.advance(Duration.ofSeconds(1));
    assertEquals(5, sim.sequence(), "four ticks in a second");
    assertTrue(seen.size() > 100, "changes delivered on the scheduler");
    assertEquals(SourceHealth.up(clock.instant()), sim.health());
    sim.close();
    scheduler.advance(Duration.ofSeconds(1));
    assertEquals(5, sim.sequence(), "no ticks after close");
    assertEquals("closed", sim.health().message());
    RehoboamException e = assertThrows(RehoboamException.class, sim::tick);
    assertEquals(ErrorCode.SHUTTING_DOWN, e.code());
    sim.close();
  }

  @Test
  void aFailingListenerDoesNotStopTheOthers() {
    SimMarketSource sim = manual(Map.of("pools", 100));
    List<PoolUpdate> seen = new ArrayList<>();
    sim.subscribe(
        u -> {
          throw new IllegalStateException("listener bug");
        });
    sim.subscribe(seen::add);
    List<PoolUpdate> tick = sim.tick();
    assertEquals(100 + tick.size(), seen.size());
  }

  @Test
  void settingsAreCheckedAndErrorsNameTheSetting() {
    Map<Map<String, Object>, String> cases = new LinkedHashMap<>();
    cases.put(Map.of("colour", "blue"), "colour");
    cases.put(Map.of("seed", "x"), "seed");
    cases.put(Map.of("pools", 0), "pools");
    cases.put(Map.of("pools", 23), "pools");
    cases.put(Map.of("pools", 400, "shape", "dense"), "pools");
    cases.put(Map.of("shape", "round"), "shape");
    cases.put(Map.of("chain_ids", List.of()), "chain_ids");
    cases.put(Map.of("chain_ids", List.of(1, 1)), "chain_ids");
    cases.put(Map.of("chain_ids", List.of("mainnet")), "chain_ids");
    cases.put(Map.of("update_interval", "soon"), "update_interval");
    cases.put(Map.of("updates_per_tick", 0), "updates_per_tick");
    cases.put(Map.of("dislocation_probability", 2), "dislocation_probability");
    cases.put(Map.of("quote_currency", "EUR"), "quote_currency");
    cases.forEach(
        (settings, field) -> {
          RehoboamException e =
              assertThrows(
                  RehoboamException.class,
                  () -> SimConfig.fromSettings(Settings.of(settings)),
                  settings.toString());
          assertEquals(ErrorCode.INVALID_CONFIG, e.code(), e.getMessage());
          assertTrue(e.getMessage().startsWith(field), settings + " -> " + e.getMessage());
        });
    SimConfig defaults = SimConfig.defaults();
    assertEquals(
        new SimConfig(
            42, 2000, MarketShape.SPARSE, List.of(1L), Duration.ofMillis(250), 20, 0.05, "USD"),
        defaults);
    RehoboamException noScheduler =
        assertThrows(
            RehoboamException.class, () -> new SimMarketSource("s", defaults, null, clock));
    assertTrue(noScheduler.getMessage().startsWith("scheduler"), noScheduler.getMessage());
  }
}
