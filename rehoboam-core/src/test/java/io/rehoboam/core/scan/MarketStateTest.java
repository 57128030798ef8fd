package io.rehoboam.core.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.spi.market.Pool;
import io.rehoboam.spi.market.PoolUpdate;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class MarketStateTest {
  private static final String WETH = Markets.WETH;
  private static final String USDC = Markets.token(1);
  private static final String DAI = Markets.token(2);

  @Test
  void addReservesAndRemoveKeepPoolAndIndexes() {
    MarketState state = new MarketState();
    Pool a = Markets.pool("a", WETH, USDC, 10, 30_000, 30);
    Pool b = Markets.pool("b", USDC, WETH, 31_000, 10, 5);
    Pool c = Markets.pool("c", USDC, DAI, 1_000, 1_000, 1);
    state.apply(PoolUpdate.added(a, 1));
    state.apply(PoolUpdate.added(b, 2));
    state.apply(PoolUpdate.added(c, 3));

    assertEquals(3, state.size());
    assertEquals(3, state.sequence());
    assertEquals(Optional.of(a), state.pool("a"));
    assertEquals(Set.of("a", "b"), ids(state.poolsOfPair(1, WETH, USDC)));
    assertEquals(Set.of("a", "b"), ids(state.poolsOfPair(1, USDC.toUpperCase(), WETH)));
    assertEquals(Set.of("a", "b", "c"), ids(state.poolsOfToken(1, USDC)));
    assertEquals(Set.of(), ids(state.poolsOfPair(137, WETH, USDC)), "another chain");

    Pool moved = a.withReserves(BigInteger.valueOf(11), BigInteger.valueOf(29_000));
    state.apply(PoolUpdate.reserves(moved, 7));
    assertEquals(Optional.of(moved), state.pool("a"));
    assertEquals(Optional.of(7L), state.poolSequence("a"));
    assertEquals(Optional.of(2L), state.poolSequence("b"));
    assertEquals(7, state.sequence());

    state.apply(PoolUpdate.removed(b, 8));
    assertEquals(Optional.empty(), state.pool("b"));
    assertEquals(Set.of("a"), ids(state.poolsOfPair(1, WETH, USDC)));
    assertEquals(2, state.size());

    state.apply(PoolUpdate.removed(b, 9));
    assertEquals(2, state.size(), "removing an unknown pool changes nothing");
  }

  @Test
  void aPoolWhoseShapeChangesIsReindexed() {
    MarketState state = new MarketState();
    state.apply(PoolUpdate.added(Markets.pool("a", WETH, USDC, 10, 30_000, 30), 1));
    state.apply(PoolUpdate.reserves(Markets.pool("a", WETH, DAI, 10, 30_000, 100), 2));
    assertEquals(Set.of(), ids(state.poolsOfPair(1, WETH, USDC)));
    assertEquals(Set.of("a"), ids(state.poolsOfPair(1, WETH, DAI)));
    assertEquals(100, state.pool("a").orElseThrow().feeBps());
    assertEquals(1, state.size());
  }

  @Test
  void reservesOfAnUnknownPoolAddIt() {
    MarketState state = new MarketState();
    state.apply(PoolUpdate.reserves(Markets.pool("x", WETH, USDC, 1, 2, 30), 4));
    assertEquals(1, state.size());
    assertEquals(Set.of("x"), ids(state.poolsOfToken(1, WETH)));
  }

  @Test
  void growsWellPastItsInitialSizeAndReusesSlots() {
    MarketState state = new MarketState(1);
    Map<String, Pool> live = new HashMap<>();
    Random random = new Random(3);
    for (int i = 0; i < 20_000; i++) {
      String id = "p" + random.nextInt(8_000);
      if (random.nextInt(4) == 0 && live.containsKey(id)) {
        state.apply(PoolUpdate.removed(live.remove(id), i));
      } else {
        Pool pool =
            Markets.pool(
                id,
                Markets.token(random.nextInt(300)),
                Markets.token(300 + random.nextInt(300)),
                1 + random.nextInt(1_000_000),
                1 + random.nextInt(1_000_000),
                30);
        live.put(id, pool);
        state.apply(PoolUpdate.added(pool, i));
      }
    }
    assertEquals(live.size(), state.size());
    assertEquals(new HashSet<>(live.values()), new HashSet<>(state.pools()));
    for (Pool pool : live.values()) {
      assertEquals(Optional.of(pool), state.pool(pool.id()));
      assertTrue(state.poolsOfPair(1, pool.token0(), pool.token1()).contains(pool));
    }
    int indexed = 0;
    for (int t = 0; t < 600; t++) {
      indexed += state.poolsOfToken(1, Markets.token(t)).size();
    }
    assertEquals(2 * live.size(), indexed, "every pool is indexed under both its tokens");
  }

  @Test
  void ofLoadsAllPoolsAtOneSequence() {
    List<Pool> pools = Markets.randomMarket(new Random(1), 6, 40, 1, 1_000_000);
    MarketState state = MarketState.of(pools, 12);
    assertEquals(40, state.size());
    assertEquals(12, state.sequence());
    assertEquals(6, state.tokenCount());
  }

  private static Set<String> ids(List<Pool> pools) {
    return pools.stream().map(Pool::id).collect(Collectors.toSet());
  }
}
