package io.rehoboam.core.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.core.scan.gen.MarketRegime;
import io.rehoboam.core.scan.gen.SyntheticMarket;
import io.rehoboam.core.scan.gen.SyntheticMarketGenerator;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.market.Pool;
import io.rehoboam.spi.market.PoolUpdate;
import io.rehoboam.spi.trade.Leg;
import io.rehoboam.spi.trade.Opportunity;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The incremental book equals a full scan after every batch of long random update streams. */
class IncrementalScanTest {

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6})
  void bookEqualsFullScanAfterEveryBatch(long seed) {
    stream(seed, 6 + new Random(seed).nextInt(4), 0, 24, 250, false);
  }

  /**
   * Hub tokens (WETH and one more, each in well over a hundred pairs) switch on the engine's
   * two-hop bounds for pools between a start token and a hub; the book must still equal a full
   * scan.
   */
  @ParameterizedTest
  @ValueSource(longs = {11, 12, 13, 14, 16})
  void bookEqualsFullScanWithHubTokens(long seed) {
    stream(seed, 150, 320, 380, 80, true);
  }

  /**
   * Generated markets in every regime (calm with planted dislocations, volatile, crowded), moved by
   * long random streams of reserve changes, removals and re-additions, applied one by one and in
   * batches: after every batch the book equals a full scan.
   */
  @ParameterizedTest
  @EnumSource(MarketRegime.class)
  void bookEqualsFullScanOnGeneratedMarkets(MarketRegime regime) {
    SyntheticMarket market = SyntheticMarketGenerator.generate(40, regime, 400, 7, 6, 1);
    ScanConfig config =
        ScanConfig.builder()
            .startTokens(market.weth(), market.tokens().get(1).address())
            .maxPerPair(2)
            .build();
    ScanEngine engine = new ScanEngine(config, Markets.CLOCK, market.tokenPrices());
    MarketState shadow = new MarketState(400);
    Random random = new Random(regime.ordinal() + 100);
    Map<String, Pool> live = new HashMap<>();
    Map<String, Pool> removed = new HashMap<>();
    long sequence = 1;
    List<PoolUpdate> initial = new ArrayList<>();
    for (Pool pool : market.pools()) {
      initial.add(PoolUpdate.added(pool, sequence));
      live.put(pool.id(), pool);
    }
    Map<String, Opportunity> mirror = new HashMap<>();
    replay(engine.applyAll(initial), mirror);
    initial.forEach(shadow::apply);
    int changes = 0;
    for (int batch = 0; batch < 120; batch++) {
      List<PoolUpdate> updates = new ArrayList<>();
      for (int u = 1 + random.nextInt(8); u > 0; u--) {
        int action = random.nextInt(20);
        if (action == 0 && !removed.isEmpty()) {
          Pool back = pick(random, removed.values());
          removed.remove(back.id());
          live.put(back.id(), back);
          updates.add(PoolUpdate.added(back, sequence));
        } else if (action == 1) {
          Pool gone = pick(random, live.values());
          live.remove(gone.id());
          removed.put(gone.id(), gone);
          updates.add(PoolUpdate.removed(gone, sequence));
        } else {
          Pool moved = pick(random, live.values());
          double factor = 1 + (random.nextDouble() - 0.5) * 0.06;
          Pool next =
              moved.withReserves(
                  moved.reserve0(),
                  new java.math.BigDecimal(moved.reserve1())
                      .multiply(java.math.BigDecimal.valueOf(factor))
                      .toBigInteger()
                      .max(BigInteger.ONE));
          live.put(next.id(), next);
          updates.add(PoolUpdate.reserves(next, sequence));
        }
        sequence += random.nextInt(2);
      }
      List<ScanDelta> deltas;
      if (batch % 2 == 0) {
        deltas = engine.applyAll(updates);
      } else {
        deltas = new ArrayList<>();
        for (PoolUpdate update : updates) {
          deltas.add(engine.apply(update));
        }
      }
      changes += replay(deltas, mirror);
      updates.forEach(shadow::apply);
      List<Opportunity> full = engine.fullScan(shadow);
      assertEquals(canonical(full), canonical(engine.book()), regime + " batch " + batch);
      assertEquals(canonical(full), canonical(mirror.values()), "deltas replay to the book");
      ReferenceComparisonTest.assertGroupsDisjoint(full, 2);
    }
    assertTrue(changes > 40, regime + ": the stream moved the book: " + changes);
  }

  private static int replay(List<ScanDelta> deltas, Map<String, Opportunity> mirror) {
    int changes = 0;
    for (ScanDelta delta : deltas) {
      for (String id : delta.expiredIds()) {
        assertTrue(mirror.remove(id) != null, "expired id was in the book: " + id);
        changes++;
      }
      for (Opportunity opportunity : delta.found()) {
        assertEquals(null, mirror.put(opportunity.id(), opportunity), "found id is new");
        changes++;
      }
    }
    return changes;
  }

  private static void stream(
      long seed, int tokens, int initialPools, int maxPools, int batches, boolean hubs) {
    Random random = new Random(seed);
    List<String> addresses = new ArrayList<>();
    addresses.add(Markets.WETH);
    for (int i = 1; i < tokens; i++) {
      addresses.add(Markets.token(i));
    }
    ScanConfig config =
        ScanConfig.builder()
            .startTokens(
                seed % 2 == 0 ? List.of(Markets.WETH) : List.of(Markets.WETH, addresses.get(1)))
            .maxCycleLength(seed % 3 == 0 ? 4 : 3)
            .gasPriceWei(BigInteger.valueOf(seed % 2 == 0 ? 1_000L : 0))
            .minProfitBaseUnits(BigInteger.valueOf(1_000))
            .maxPerPair(1 + (int) (seed % 2))
            .build();
    ScanEngine engine = Markets.engine(config);
    MarketState shadow = new MarketState(4);
    Map<String, Pool> live = new HashMap<>();
    Map<String, Opportunity> mirror = new HashMap<>();
    int nextPool = 0;
    long sequence = 1;
    int found = 0;
    int expired = 0;
    for (int i = 0; i < initialPools; i++) {
      // hub markets start with WETH and token 1 quoted against every other token
      int spoke = 2 + (i >> 1);
      Pool pool =
          hubs && spoke < tokens
              ? pricedPool(random, "p" + nextPool++, addresses, i & 1, spoke)
              : randomPool(random, "p" + nextPool++, addresses, hubs);
      live.put(pool.id(), pool);
      shadow.apply(PoolUpdate.added(pool, sequence));
      ScanDelta delta = engine.apply(PoolUpdate.added(pool, sequence));
      assertTrue(delta.expiredIds().stream().allMatch(id -> mirror.remove(id) != null));
      delta.found().forEach(o -> mirror.put(o.id(), o));
    }
    for (int batch = 0; batch < batches; batch++) {
      int updates = 1 + random.nextInt(6);
      for (int u = 0; u < updates; u++) {
        PoolUpdate update;
        int action = random.nextInt(100);
        if (live.size() < maxPools / 2 || (action < 15 && live.size() < maxPools)) {
          Pool pool = randomPool(random, "p" + nextPool++, addresses, hubs);
          update =
              random.nextInt(10) == 0
                  ? PoolUpdate.reserves(pool, sequence)
                  : PoolUpdate.added(pool, sequence);
        } else if (action < 22 || live.size() >= maxPools && action < 30) {
          Pool victim = pick(random, live.values());
          update = PoolUpdate.removed(victim, sequence);
        } else if (action < 26) {
          // same id, new shape (tokens and fee): must be re-indexed
          Pool victim = pick(random, live.values());
          update = PoolUpdate.reserves(randomPool(random, victim.id(), addresses, hubs), sequence);
        } else if (action < 28) {
          update = PoolUpdate.removed(randomPool(random, "ghost" + u, addresses, hubs), sequence);
        } else if (action < 31) {
          // unchanged reserves
          update = PoolUpdate.reserves(pick(random, live.values()), sequence);
        } else {
          Pool victim = pick(random, live.values());
          update =
              PoolUpdate.reserves(
                  hubs ? reprice(random, victim, addresses) : nudge(random, victim), sequence);
        }
        if (update.kind() == PoolUpdate.Kind.REMOVED) {
          live.remove(update.pool().id());
        } else {
          live.put(update.pool().id(), update.pool());
        }
        shadow.apply(update);
        ScanDelta delta = engine.apply(update);
        for (String id : delta.expiredIds()) {
          assertTrue(mirror.remove(id) != null, "expired id was in the book: " + id);
          expired++;
        }
        for (Opportunity opportunity : delta.found()) {
          assertEquals(null, mirror.put(opportunity.id(), opportunity), "found id is new");
          found++;
        }
      }
      if (random.nextInt(3) == 0) {
        sequence++;
      }
      List<Opportunity> full = engine.fullScan(shadow);
      assertEquals(canonical(full), canonical(engine.book()), "batch " + batch + " seed " + seed);
      assertEquals(canonical(full), canonical(mirror.values()), "deltas replay to the book");
      assertEquals(live.size(), engine.state().size());
    }
    assertTrue(
        found > 10 && expired > 10, "the stream exercised the book: " + found + "/" + expired);
    if (hubs) {
      for (String hub : List.of(Markets.WETH, addresses.get(1))) {
        Set<String> partners = new HashSet<>();
        for (Pool pool : engine.state().poolsOfToken(1, hub)) {
          partners.add(pool.token0().equals(hub) ? pool.token1() : pool.token0());
        }
        // the engine treats a token in 128 pairs or more as a hub
        assertTrue(partners.size() >= 128, hub + " is a hub: " + partners.size() + " pairs");
      }
    }
  }

  /**
   * Applying a batch (with the memory warm-up) gives exactly the deltas and the book of applying
   * its updates one by one, including batches where a pool is removed, re-added or moved twice.
   */
  @ParameterizedTest
  @ValueSource(longs = {21, 22, 23})
  void aBatchAppliesLikeItsUpdatesOneByOne(long seed) {
    Random random = new Random(seed);
    ScanConfig config =
        ScanConfig.builder()
            .startTokens(List.of(Markets.WETH, Markets.token(1)))
            .maxCycleLength(seed == 23 ? 4 : 3)
            .minProfitBaseUnits(BigInteger.valueOf(1_000))
            .build();
    ScanEngine single = Markets.engine(config);
    ScanEngine batched = Markets.engine(config);
    List<Pool> market = Markets.randomMarket(random, 12, 60, 1_000_000, 1_000_000_000);
    Map<String, Pool> live = new HashMap<>();
    long sequence = 1;
    int changes = 0;
    for (int round = 0; round < 60; round++) {
      List<PoolUpdate> batch = new ArrayList<>();
      int size = round == 0 ? 40 : 1 + random.nextInt(70);
      for (int i = 0; i < size; i++) {
        Pool pool = market.get(random.nextInt(market.size()));
        Pool current = live.get(pool.id());
        PoolUpdate update;
        if (current == null) {
          update = PoolUpdate.added(pool, sequence);
        } else if (random.nextInt(8) == 0) {
          update = PoolUpdate.removed(current, sequence);
        } else {
          update = PoolUpdate.reserves(nudge(random, current), sequence);
        }
        if (update.kind() == PoolUpdate.Kind.REMOVED) {
          live.remove(pool.id());
        } else {
          live.put(pool.id(), update.pool());
        }
        batch.add(update);
        sequence += random.nextInt(2);
      }
      List<ScanDelta> expected = new ArrayList<>();
      for (PoolUpdate update : batch) {
        expected.add(single.apply(update));
      }
      List<ScanDelta> actual = batched.applyAll(batch);
      assertEquals(batch.size(), actual.size());
      for (int i = 0; i < batch.size(); i++) {
        assertEquals(ids(expected.get(i).found()), ids(actual.get(i).found()), "found " + i);
        assertEquals(expected.get(i).expiredIds(), actual.get(i).expiredIds(), "expired " + i);
        changes += expected.get(i).found().size() + expected.get(i).expiredIds().size();
      }
      assertEquals(canonical(single.book()), canonical(batched.book()), "round " + round);
      assertEquals(single.state().size(), batched.state().size());
    }
    assertTrue(changes > 20, "the batches moved the book: " + changes);
  }

  @Test
  void aBatchWithANullUpdateIsRefusedBeforeAnythingIsApplied() {
    ScanEngine engine = Markets.engine(ScanConfig.defaults());
    Pool pool = Markets.pool("a", Markets.WETH, Markets.token(1), 1_000_000L, 3_000_000L, 30);
    List<PoolUpdate> batch = new ArrayList<>();
    batch.add(PoolUpdate.added(pool, 1));
    batch.add(null);
    RehoboamException e = assertThrows(RehoboamException.class, () -> engine.applyAll(batch));
    assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
    assertTrue(e.getMessage().contains("updates[1]"), e.getMessage());
    assertEquals(0, engine.state().size(), "nothing applied");
    assertTrue(engine.applyAll(List.of()).isEmpty());
  }

  @Test
  void anUpdateThatChangesNothingLeavesTheBookAlone() {
    ScanEngine engine = Markets.engine(ScanConfig.defaults());
    String usdc = Markets.token(1);
    Pool cheap = Markets.pool("a", Markets.WETH, usdc, 1_000_000_000_000L, 3_000_000_000_000L, 30);
    Pool dear = Markets.pool("b", Markets.WETH, usdc, 1_000_000_000_000L, 3_300_000_000_000L, 30);
    engine.apply(PoolUpdate.added(cheap, 1));
    ScanDelta first = engine.apply(PoolUpdate.added(dear, 1));
    assertEquals(1, first.found().size());
    String id = first.found().get(0).id();

    ScanDelta same = engine.apply(PoolUpdate.reserves(dear, 1));
    assertTrue(same.isEmpty(), "same reserves, same block: same opportunity");
    assertEquals(id, engine.book().iterator().next().id());

    ScanDelta nextBlock = engine.apply(PoolUpdate.reserves(dear, 2));
    assertEquals(List.of(id), nextBlock.expiredIds(), "a new block re-issues the opportunity");
    assertEquals(2, nextBlock.found().get(0).blockNumber());

    ScanDelta gone = engine.apply(PoolUpdate.removed(dear, 3));
    assertEquals(List.of(nextBlock.found().get(0).id()), gone.expiredIds());
    assertTrue(engine.book().isEmpty());
  }

  @Test
  void twoSwapsInOneBlockNeverShareAnId() {
    ScanEngine engine = Markets.engine(ScanConfig.defaults());
    String usdc = Markets.token(1);
    engine.apply(
        PoolUpdate.added(
            Markets.pool("a", Markets.WETH, usdc, 1_000_000_000L, 3_000_000_000L, 30), 5));
    Pool dear = Markets.pool("b", Markets.WETH, usdc, 1_000_000_000L, 3_300_000_000L, 30);
    String first = engine.apply(PoolUpdate.added(dear, 5)).found().get(0).id();
    ScanDelta second =
        engine.apply(
            PoolUpdate.reserves(
                dear.withReserves(
                    BigInteger.valueOf(1_000_000_000L), BigInteger.valueOf(3_400_000_000L)),
                5));
    assertEquals(List.of(first), second.expiredIds());
    assertEquals(1, second.found().size());
    assertTrue(!second.found().get(0).id().equals(first), "a different opportunity gets a new id");
    assertEquals(5, second.found().get(0).blockNumber());
  }

  @Test
  void anEngineBuiltOnALoadedStateStartsWithItsFullScan() {
    List<Pool> market = Markets.randomMarket(new Random(9), 5, 12, 1_000_000, 1_000_000_000);
    MarketState state = MarketState.of(market, 3);
    List<Opportunity> full = Markets.engine(ScanConfig.defaults()).fullScan(state);
    ScanEngine engine =
        new ScanEngine(ScanConfig.defaults(), Markets.CLOCK, TokenPrices.none(Markets.WETH), state);
    assertTrue(!full.isEmpty());
    assertEquals(canonical(full), canonical(engine.book()));
    assertTrue(engine.rescan().isEmpty(), "a rescan of an unchanged state changes nothing");

    String used = full.get(0).legs().get(0).poolId();
    Pool first = market.stream().filter(p -> p.id().equals(used)).findFirst().orElseThrow();
    engine.state().apply(PoolUpdate.removed(first, 4));
    ScanDelta rescan = engine.rescan();
    List<Opportunity> after = Markets.engine(ScanConfig.defaults()).fullScan(engine.state());
    assertEquals(canonical(after), canonical(engine.book()));
    Set<String> gone = ids(full);
    gone.removeAll(ids(after));
    assertEquals(new TreeSet<>(gone), new TreeSet<>(rescan.expiredIds()));
    assertTrue(!gone.isEmpty(), "the removed pool took part in something");
  }

  private static Set<String> ids(Collection<Opportunity> opportunities) {
    Set<String> ids = new HashSet<>();
    for (Opportunity opportunity : opportunities) {
      ids.add(opportunity.id());
    }
    return ids;
  }

  /** Everything but the detection times, which differ between a book entry and a rescan. */
  static Set<String> canonical(Collection<Opportunity> opportunities) {
    return opportunities.stream()
        .map(
            o ->
                o.id()
                    + "|"
                    + o.strategy()
                    + "|"
                    + o.startToken()
                    + "|"
                    + o.amountIn()
                    + "|"
                    + o.amountOut()
                    + "|"
                    + o.gasCost()
                    + "|"
                    + o.netProfit()
                    + "|"
                    + o.blockNumber()
                    + "|"
                    + o.legs().stream().map(Leg::toString).collect(Collectors.joining(",")))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /**
   * In hub markets prices are consistent: every token has a price, a pool quotes it within a
   * fraction of its fee, and now and then one is dislocated by a few percent. Screens then reject
   * most cycles and the few real ones must still be found.
   */
  private static Pool pricedPool(Random random, String id, List<String> addresses) {
    int a = random.nextInt(3) > 0 ? random.nextInt(2) : random.nextInt(addresses.size());
    int b = random.nextInt(addresses.size() - 1);
    if (b >= a) {
      b++;
    }
    if (random.nextInt(8) == 0) {
      // the pair of the two hubs, where most of the big pools sit
      a = 0;
      b = 1;
    }
    return pricedPool(random, id, addresses, a, b);
  }

  private static Pool pricedPool(Random random, String id, List<String> addresses, int a, int b) {
    int fee = new int[] {5, 25, 30, 30, 100}[random.nextInt(5)];
    double noise =
        random.nextInt(30) == 0
            ? (random.nextDouble() - 0.5) * 0.08
            : (random.nextDouble() - 0.5) * 0.9 * fee / 10_000.0;
    double liquidity = Math.exp(30 + random.nextDouble() * 10);
    double reserve0 = liquidity / price(a);
    double reserve1 = liquidity / price(b) * (1 + noise);
    return new Pool(
        id,
        1,
        Markets.DEXES[random.nextInt(Markets.DEXES.length)],
        id,
        addresses.get(a),
        addresses.get(b),
        java.math.BigDecimal.valueOf(reserve0).toBigInteger().max(BigInteger.ONE),
        java.math.BigDecimal.valueOf(reserve1).toBigInteger().max(BigInteger.ONE),
        fee);
  }

  /** A fixed, deterministic price per token index. */
  private static double price(int token) {
    return Math.exp((token * 7919 % 97) / 10.0);
  }

  private static Pool randomPool(Random random, String id, List<String> addresses, boolean hubs) {
    if (hubs) {
      return pricedPool(random, id, addresses);
    }
    int a = random.nextInt(addresses.size());
    int b = random.nextInt(addresses.size() - 1);
    if (b >= a) {
      b++;
    }
    BigInteger reserve0 = Markets.logUniform(random, 1_000_000_000L, 1_000_000_000_000_000L);
    BigInteger reserve1 = Markets.logUniform(random, 1_000_000_000L, 1_000_000_000_000_000L);
    if (random.nextInt(30) == 0) {
      reserve0 = BigInteger.ZERO;
    }
    return new Pool(
        id,
        1,
        Markets.DEXES[random.nextInt(Markets.DEXES.length)],
        id,
        addresses.get(a),
        addresses.get(b),
        reserve0,
        reserve1,
        Markets.FEES[random.nextInt(Markets.FEES.length)]);
  }

  /** The same pool quoting its tokens' prices afresh (within its band, or dislocated). */
  private static Pool reprice(Random random, Pool pool, List<String> addresses) {
    int a = addresses.indexOf(pool.token0());
    int b = addresses.indexOf(pool.token1());
    int fee = pool.feeBps();
    double noise =
        random.nextInt(12) == 0
            ? (random.nextDouble() - 0.5) * 0.08
            : (random.nextDouble() - 0.5) * 0.9 * fee / 10_000.0;
    double reserve0 = pool.reserve0().doubleValue();
    double reserve1 = reserve0 * price(a) / price(b) * (1 + noise);
    return pool.withReserves(
        pool.reserve0(), java.math.BigDecimal.valueOf(reserve1).toBigInteger().max(BigInteger.ONE));
  }

  private static Pool nudge(Random random, Pool pool) {
    double factor = 0.9 + 0.2 * random.nextDouble();
    BigInteger reserve0 =
        pool.reserve0()
            .multiply(BigInteger.valueOf(Math.round(factor * 1_000_000)))
            .divide(BigInteger.valueOf(1_000_000));
    return pool.withReserves(reserve0.max(BigInteger.ONE), pool.reserve1());
  }

  private static Pool pick(Random random, Collection<Pool> pools) {
    List<Pool> list = new ArrayList<>(pools);
    list.sort((x, y) -> x.id().compareTo(y.id()));
    return list.get(random.nextInt(list.size()));
  }
}
