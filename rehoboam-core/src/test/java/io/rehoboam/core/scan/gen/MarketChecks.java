package io.rehoboam.core.scan.gen;

import io.rehoboam.spi.market.Pool;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Arbitrage arithmetic the tests judge generated markets by, independent of the generator. */
final class MarketChecks {
  private MarketChecks() {}

  /** Output per unit input at the margin, after the fee, for tokenIn -> the other token. */
  static double marginalRate(Pool pool, String tokenIn) {
    double r0 = pool.reserve0().doubleValue();
    double r1 = pool.reserve1().doubleValue();
    double gamma = 1 - pool.feeBps() / 10_000.0;
    return tokenIn.equals(pool.token0()) ? r1 / r0 * gamma : r0 / r1 * gamma;
  }

  /** True when token0 -> token1 in one pool and back in the other pays at the margin. */
  static boolean roundTripPays(Pool sell, Pool buy) {
    return marginalRate(sell, sell.token0()) * marginalRate(buy, buy.token1()) > 1
        || marginalRate(sell, sell.token1()) * marginalRate(buy, buy.token0()) > 1;
  }

  static String pairKey(Pool pool) {
    return pool.token0() + "/" + pool.token1();
  }

  static Map<String, List<Pool>> byPair(List<Pool> pools) {
    Map<String, List<Pool>> byPair = new HashMap<>();
    for (Pool pool : pools) {
      byPair.computeIfAbsent(pairKey(pool), k -> new ArrayList<>()).add(pool);
    }
    return byPair;
  }

  /** The pairs on which some two pools make a paying round trip. */
  static Set<String> profitablePairs(List<Pool> pools) {
    Set<String> profitable = new HashSet<>();
    for (Map.Entry<String, List<Pool>> pair : byPair(pools).entrySet()) {
      List<Pool> list = pair.getValue();
      for (int i = 0; i < list.size(); i++) {
        for (int j = i + 1; j < list.size(); j++) {
          if (roundTripPays(list.get(i), list.get(j))) {
            profitable.add(pair.getKey());
          }
        }
      }
    }
    return profitable;
  }

  /** How many start -> x -> y -> start cycles pay at the margin. */
  static int payingTriangles(List<Pool> pools, String start) {
    Map<String, List<Pool>> byToken = new HashMap<>();
    for (Pool pool : pools) {
      byToken.computeIfAbsent(pool.token0(), k -> new ArrayList<>()).add(pool);
      byToken.computeIfAbsent(pool.token1(), k -> new ArrayList<>()).add(pool);
    }
    int paying = 0;
    for (Pool first : byToken.get(start)) {
      String x = other(first, start);
      for (Pool second : byToken.get(x)) {
        String y = other(second, x);
        if (second == first || y.equals(start)) {
          continue;
        }
        for (Pool third : byToken.get(y)) {
          if (third.has(start) && third != second) {
            double rate =
                marginalRate(first, start) * marginalRate(second, x) * marginalRate(third, y);
            if (rate > 1) {
              paying++;
            }
          }
        }
      }
    }
    return paying;
  }

  static String other(Pool pool, String token) {
    return pool.token0().equals(token) ? pool.token1() : pool.token0();
  }
}
