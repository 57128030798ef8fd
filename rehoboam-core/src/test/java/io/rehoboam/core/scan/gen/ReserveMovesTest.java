package io.rehoboam.core.scan.gen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.market.Pool;
import io.rehoboam.spi.market.PoolUpdate;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ReserveMovesTest {
  private final SyntheticMarket market =
      SyntheticMarketGenerator.generate(MarketShape.SPARSE, 2_000, 21, 3);

  @Test
  void movesKeepEveryPoolInsideItsBandSoNothingNewPays() {
    ReserveMoves moves = new ReserveMoves(market, 1);
    Map<String, Pool> state = new HashMap<>();
    market.pools().forEach(p -> state.put(p.id(), p));
    for (PoolUpdate update : moves.nextUpdates(20_000, 100)) {
      Pool before = state.put(update.pool().id(), update.pool());
      assertEquals(PoolUpdate.Kind.RESERVES, update.kind());
      assertEquals(
          before.withReserves(update.pool().reserve0(), update.pool().reserve1()), update.pool());
    }
    Set<String> planted =
        market.dislocations().stream()
            .map(d -> MarketChecks.pairKey(state.get(d.poolId())))
            .collect(Collectors.toSet());
    assertEquals(planted, MarketChecks.profitablePairs(new ArrayList<>(state.values())));
  }

  @Test
  void updatesCarryConsecutiveSequencesAndNeverTouchPlantedPools() {
    ReserveMoves moves = new ReserveMoves(market, 2);
    Set<String> plantedIds =
        market.dislocations().stream()
            .flatMap(d -> List.of(d.poolId(), d.counterpartPoolId()).stream())
            .collect(Collectors.toSet());
    List<PoolUpdate> updates = moves.nextUpdates(5_000, 7);
    for (int i = 0; i < updates.size(); i++) {
      assertEquals(7 + i, updates.get(i).sequence());
      assertFalse(plantedIds.contains(updates.get(i).pool().id()));
    }
    long distinctPools = updates.stream().map(u -> u.pool().id()).distinct().count();
    assertTrue(distinctPools > 1_000, "moves spread over the market: " + distinctPools);
  }

  @Test
  void sameSeedGivesTheSameMoves() {
    List<PoolUpdate> first = new ReserveMoves(market, 3).nextUpdates(500, 0);
    List<PoolUpdate> again = new ReserveMoves(market, 3).nextUpdates(500, 0);
    List<PoolUpdate> other = new ReserveMoves(market, 4).nextUpdates(500, 0);
    assertEquals(first, again);
    assertNotEquals(first, other);
  }

  @Test
  void aMoveChangesReservesButKeepsLiquidityClose() {
    ReserveMoves moves = new ReserveMoves(market, 5);
    Pool pool = market.pools().get(10);
    int changed = 0;
    for (int i = 0; i < 200; i++) {
      Pool moved = moves.move(pool);
      if (!moved.reserve0().equals(pool.reserve0())) {
        changed++;
      }
      double k = pool.reserve0().doubleValue() * pool.reserve1().doubleValue();
      double movedK = moved.reserve0().doubleValue() * moved.reserve1().doubleValue();
      assertTrue(Math.abs(movedK / k - 1) < 0.01, "liquidity " + movedK / k);
    }
    assertTrue(changed > 190, "moves that changed the pool: " + changed);
  }

  @Test
  void dislocateMakesAPairPayAndAMoveBringsItBack() {
    ReserveMoves moves = new ReserveMoves(market, 6);
    Map<String, List<Pool>> byPair = MarketChecks.byPair(market.pools());
    Set<String> plantedPairs =
        market.dislocations().stream()
            .map(d -> d.token0() + "/" + d.token1())
            .collect(Collectors.toSet());
    List<Pool> pair =
        byPair.entrySet().stream()
            .filter(e -> e.getValue().size() >= 2 && !plantedPairs.contains(e.getKey()))
            .findFirst()
            .orElseThrow()
            .getValue();
    assertFalse(MarketChecks.roundTripPays(pair.get(0), pair.get(1)));

    Pool dislocated = moves.dislocate(pair.get(0), 500);
    assertTrue(MarketChecks.roundTripPays(dislocated, pair.get(1)));
    Pool arbitraged = moves.move(dislocated);
    assertFalse(MarketChecks.roundTripPays(arbitraged, pair.get(1)));
  }

  @Test
  void badInputsAreRefusedNamingTheArgument() {
    ReserveMoves moves = new ReserveMoves(market, 7);
    Pool pool = market.pools().get(0);
    Pool stranger =
        new Pool(
            "1:0xforeign",
            1,
            "uniswap_v2",
            "0x" + "ab".repeat(20),
            "0x" + "01".repeat(20),
            "0x" + "02".repeat(20),
            BigInteger.TEN,
            BigInteger.TEN,
            30);
    assertInvalid("deviation_bps", () -> moves.dislocate(pool, -10_000));
    assertInvalid("deviation_bps", () -> moves.dislocate(pool, 100_001));
    assertInvalid("pool", () -> moves.move(stranger));
    assertInvalid("pool", () -> moves.move(null));
    assertInvalid("count", () -> moves.nextUpdates(-1, 0));
    assertInvalid("market", () -> new ReserveMoves(null, 1));
  }

  @Test
  void marketMadeOnlyOfPlantedPoolsIsRefused() {
    SyntheticMarket tiny = SyntheticMarketGenerator.generate(6, 5, 1, 0, 1);
    Map<String, Pool> byId =
        tiny.pools().stream().collect(Collectors.toMap(Pool::id, Function.identity()));
    assertEquals(5, byId.size());
    assertInvalid(
        "market",
        () ->
            new ReserveMoves(
                new SyntheticMarket(
                    tiny.chainId(),
                    tiny.weth(),
                    tiny.tokens(),
                    tiny.priceWeth(),
                    tiny.priceUsd(),
                    tiny.pools().subList(0, 2),
                    List.of(
                        new PlantedDislocation(
                            tiny.pools().get(0).id(),
                            tiny.pools().get(1).id(),
                            tiny.pools().get(0).token0(),
                            tiny.pools().get(0).token1(),
                            500))),
                1));
  }

  private static void assertInvalid(String field, Runnable call) {
    RehoboamException e = assertThrows(RehoboamException.class, call::run);
    assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
    assertTrue(e.getMessage().startsWith(field + ":"), e.getMessage());
  }
}
