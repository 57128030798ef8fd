package io.rehoboam.core.scan;

import io.rehoboam.spi.market.Pool;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A deliberately naive, independent arbitrage search for tests: every ordered pool pair, every
 * token cycle with every choice of pools, each sized by ternary search over integers followed by an
 * exhaustive window. Written without the engine's closed forms, indexes or screening. O(n^2) and
 * worse; only for small markets.
 *
 * <p>Conventions it shares with the engine (they are part of the contract, not of the algorithm): a
 * cross-venue pair starts in the pair's token listed first among the start tokens, else in the
 * smaller address; a cycle through several start tokens is counted once, from the first listed.
 */
final class ReferenceScanner {
  static final int WINDOW = 2_500;
  static final long EXHAUSTIVE_LIMIT = 60_000;

  /** One swap of a path: the pool and the token put in. */
  record Hop(Pool pool, String tokenIn) {
    String tokenOut() {
      return pool.token0().equals(tokenIn) ? pool.token1() : pool.token0();
    }

    BigInteger reserveIn() {
      return pool.token0().equals(tokenIn) ? pool.reserve0() : pool.reserve1();
    }

    BigInteger reserveOut() {
      return pool.token0().equals(tokenIn) ? pool.reserve1() : pool.reserve0();
    }
  }

  /** A path's best integer input and profit. */
  record Result(
      String strategy, String startToken, List<Hop> hops, BigInteger amountIn, BigInteger profit) {
    String key() {
      StringBuilder key = new StringBuilder(strategy).append(':').append(startToken);
      for (Hop hop : hops) {
        key.append('>').append(hop.pool().id());
      }
      return key.toString();
    }
  }

  private final List<Pool> pools;
  private final List<String> startTokens;
  private final int maxCycleLength;

  ReferenceScanner(List<Pool> pools, List<String> startTokens, int maxCycleLength) {
    this.pools = pools;
    this.startTokens = startTokens;
    this.maxCycleLength = maxCycleLength;
  }

  /** Every path whose best profit is at least {@code minProfit}, by key. */
  Map<String, Result> scan(boolean crossVenue, boolean cyclic, BigInteger minProfit) {
    Map<String, Result> results = new LinkedHashMap<>();
    if (crossVenue) {
      for (Pool a : pools) {
        for (Pool b : pools) {
          if (a == b || !samePair(a, b) || a.chainId() != b.chainId()) {
            continue;
          }
          String start = crossVenueStart(a.token0(), a.token1());
          List<Hop> hops = List.of(new Hop(a, start), new Hop(b, other(b, start)));
          keep(results, "cross_venue", start, hops, minProfit);
        }
      }
    }
    if (cyclic) {
      for (int rank = 0; rank < startTokens.size(); rank++) {
        String start = startTokens.get(rank);
        List<String> allowed = new ArrayList<>(tokens());
        allowed.removeAll(startTokens.subList(0, rank + 1));
        for (int length = 3; length <= maxCycleLength; length++) {
          tokenCycles(start, allowed, length, new ArrayList<>(List.of(start)), results, minProfit);
        }
      }
    }
    return results;
  }

  /**
   * What the engine reports out of {@code all}: per group (strategy, start token and the set of
   * token pairs the path goes through), the most profitable, then the next most profitable sharing
   * no pool with those before it, up to {@code maxPerPair}. Ties by key.
   */
  static Map<String, Result> select(Map<String, Result> all, int maxPerPair) {
    Map<String, List<Result>> groups = new LinkedHashMap<>();
    for (Result result : all.values()) {
      groups.computeIfAbsent(groupKey(result), k -> new ArrayList<>()).add(result);
    }
    Map<String, Result> selected = new LinkedHashMap<>();
    for (List<Result> group : groups.values()) {
      group.sort(
          java.util.Comparator.comparing(Result::profit).reversed().thenComparing(Result::key));
      java.util.Set<String> used = new java.util.HashSet<>();
      int picked = 0;
      for (Result result : group) {
        if (picked == maxPerPair) {
          break;
        }
        if (result.hops().stream().noneMatch(h -> used.contains(h.pool().id()))) {
          result.hops().forEach(h -> used.add(h.pool().id()));
          selected.put(result.key(), result);
          picked++;
        }
      }
    }
    return selected;
  }

  /** Strategy, start token and the sorted token pairs of the path's hops. */
  static String groupKey(Result result) {
    java.util.TreeSet<String> pairs = new java.util.TreeSet<>();
    for (Hop hop : result.hops()) {
      String a = hop.tokenIn();
      String b = hop.tokenOut();
      pairs.add(a.compareTo(b) < 0 ? a + "/" + b : b + "/" + a);
    }
    return result.strategy() + ":" + result.startToken() + ":" + pairs;
  }

  private void tokenCycles(
      String start,
      List<String> allowed,
      int length,
      List<String> prefix,
      Map<String, Result> results,
      BigInteger minProfit) {
    if (prefix.size() == length) {
      List<String> cycle = new ArrayList<>(prefix);
      cycle.add(start);
      poolChoices(cycle, 0, new ArrayList<>(), start, results, minProfit);
      return;
    }
    for (String token : allowed) {
      if (!prefix.contains(token)) {
        prefix.add(token);
        tokenCycles(start, allowed, length, prefix, results, minProfit);
        prefix.remove(prefix.size() - 1);
      }
    }
  }

  private void poolChoices(
      List<String> cycle,
      int hop,
      List<Hop> chosen,
      String start,
      Map<String, Result> results,
      BigInteger minProfit) {
    if (hop == cycle.size() - 1) {
      keep(results, "cyclic", start, List.copyOf(chosen), minProfit);
      return;
    }
    for (Pool pool : pools) {
      if (pool.has(cycle.get(hop)) && pool.has(cycle.get(hop + 1))) {
        chosen.add(new Hop(pool, cycle.get(hop)));
        poolChoices(cycle, hop + 1, chosen, start, results, minProfit);
        chosen.remove(chosen.size() - 1);
      }
    }
  }

  private void keep(
      Map<String, Result> results,
      String strategy,
      String start,
      List<Hop> hops,
      BigInteger minProfit) {
    for (Hop hop : hops) {
      if (hop.reserveIn().signum() == 0 || hop.reserveOut().signum() == 0) {
        return;
      }
    }
    Result result = best(strategy, start, hops);
    if (result.profit().compareTo(minProfit) >= 0) {
      results.put(result.key(), result);
    }
  }

  /**
   * The best integer input. A profitable input is below the last hop's output reserve (the path
   * cannot return more than that pool holds), so when that reserve is small every input below it is
   * tried; otherwise ternary search over integers narrows the range to a window that is then
   * searched exhaustively.
   */
  static Result best(String strategy, String start, List<Hop> hops) {
    BigInteger limit = hops.get(hops.size() - 1).reserveOut();
    BigInteger lo = BigInteger.ONE;
    BigInteger hi = limit;
    BigInteger window = BigInteger.valueOf(WINDOW);
    if (limit.compareTo(BigInteger.valueOf(EXHAUSTIVE_LIMIT)) > 0) {
      BigInteger three = BigInteger.valueOf(3);
      while (hi.subtract(lo).compareTo(window) > 0) {
        BigInteger third = hi.subtract(lo).divide(three);
        BigInteger m1 = lo.add(third);
        BigInteger m2 = hi.subtract(third);
        if (profit(hops, m1).compareTo(profit(hops, m2)) < 0) {
          lo = m1;
        } else {
          hi = m2;
        }
      }
      lo = lo.subtract(window).max(BigInteger.ONE);
      hi = hi.add(window);
    }
    BigInteger bestIn = BigInteger.ZERO;
    BigInteger bestProfit = BigInteger.ZERO;
    for (BigInteger d = lo; d.compareTo(hi) <= 0; d = d.add(BigInteger.ONE)) {
      BigInteger p = profit(hops, d);
      if (p.compareTo(bestProfit) > 0) {
        bestProfit = p;
        bestIn = d;
      }
    }
    return new Result(strategy, start, hops, bestIn, bestProfit);
  }

  static BigInteger profit(List<Hop> hops, long amountIn) {
    return profit(hops, BigInteger.valueOf(amountIn));
  }

  static BigInteger profit(List<Hop> hops, BigInteger in) {
    return output(hops, in).subtract(in);
  }

  /** Uniswap V2 getAmountOut, hop after hop, spelled out independently of AmmMath. */
  static BigInteger output(List<Hop> hops, BigInteger amountIn) {
    BigInteger amount = amountIn;
    for (Hop hop : hops) {
      BigInteger afterFee = amount.multiply(BigInteger.valueOf(10_000L - hop.pool().feeBps()));
      BigInteger numerator = afterFee.multiply(hop.reserveOut());
      BigInteger denominator = hop.reserveIn().multiply(BigInteger.valueOf(10_000L)).add(afterFee);
      amount = numerator.divide(denominator);
    }
    return amount;
  }

  private String crossVenueStart(String token0, String token1) {
    for (String start : startTokens) {
      if (start.equals(token0) || start.equals(token1)) {
        return start;
      }
    }
    return token0.compareTo(token1) < 0 ? token0 : token1;
  }

  private List<String> tokens() {
    List<String> tokens = new ArrayList<>();
    for (Pool pool : pools) {
      if (!tokens.contains(pool.token0())) {
        tokens.add(pool.token0());
      }
      if (!tokens.contains(pool.token1())) {
        tokens.add(pool.token1());
      }
    }
    return tokens;
  }

  private static boolean samePair(Pool a, Pool b) {
    return a.has(b.token0()) && a.has(b.token1());
  }

  private static String other(Pool pool, String token) {
    return pool.token0().equals(token) ? pool.token1() : pool.token0();
  }
}
