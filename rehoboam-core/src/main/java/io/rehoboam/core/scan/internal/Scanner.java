package io.rehoboam.core.scan.internal;

import io.rehoboam.core.scan.ScanConfig;
import io.rehoboam.core.scan.ScanDelta;
import io.rehoboam.core.scan.ScanStrategy;
import io.rehoboam.core.scan.TokenPrices;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.market.Pool;
import io.rehoboam.spi.market.PoolUpdate;
import io.rehoboam.spi.trade.Leg;
import io.rehoboam.spi.trade.Opportunity;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The scan engine's implementation: screening loops over the {@link MarketIndex} arrays in doubles,
 * exact confirmation of every candidate with {@link ExactPath}, and the incremental book.
 *
 * <p>Screening is conservative by construction: a path is dropped only when an upper bound of its
 * real-valued profit (the folded closed form, widened by a relative margin far above the rounding
 * error of the double arithmetic) is below the exact minimum it must reach. The real-valued profit
 * bounds the integer profit, since Uniswap floors every hop.
 */
public final class Scanner {
  /** Relative slack on rate products (their double error is ~1e-15). */
  private static final double RATIO_FLOOR = 1 - 1e-12;

  /** Relative slack on the profit bound. */
  private static final double BOUND_MARGIN = 1e-9;

  /** Below 1 by far more than a double's rounding: a path that ties the best exact stays in. */
  private static final double TIE_SLACK = 1 - 1e-12;

  private static final int NOT_A_START = Integer.MAX_VALUE;
  private static final int[] NO_RANKS = new int[0];
  private static final double[] NO_RATES = new double[0];
  private static final MathContext QUOTE_DISPLAY = new MathContext(18, RoundingMode.HALF_EVEN);

  /** By net profit descending: quote value where known (nulls last), base units, then id. */
  public static final Comparator<Opportunity> BY_NET_PROFIT =
      Comparator.comparing(
              Opportunity::netProfitUsd,
              Comparator.nullsLast(Comparator.<BigDecimal>reverseOrder()))
          .thenComparing(Opportunity::netProfit, Comparator.reverseOrder())
          .thenComparing(Opportunity::id);

  private final ScanConfig config;
  private final Clock clock;
  private final TokenPrices prices;
  private final List<String> startAddresses;
  private final Map<String, Integer> startRank = new HashMap<>();
  private final Map<String, Threshold> thresholds = new HashMap<>();
  private final boolean crossVenue;
  private final boolean cyclic;
  private final int maxLength;
  private final int maxPerPair;

  private MarketIndex own;
  private Run ownRun;
  private HubBounds hubs;
  private int[] ownRank = new int[0];
  private int ownRankFilled;
  private final Map<String, BookEntry> book = new HashMap<>();
  private final List<List<BookEntry>> slotEntries = new ArrayList<>();
  private final Map<Group, List<BookEntry>> groupEntries = new HashMap<>();

  /**
   * One bit per slot that may have book entries: most updates find their pool in no entry, and the
   * bit (a few KB for a large market, so cached) says so without touching the per-slot lists.
   */
  private long[] slotInBook = new long[0];

  /** The start tokens of the own index, resolved to ids; rebuilt when tokens are added. */
  private OwnStart[] ownStarts = new OwnStart[0];

  private int ownStartsTokenCount = -1;

  public Scanner(ScanConfig config, Clock clock, TokenPrices prices) {
    this.config = config;
    this.clock = clock;
    this.prices = prices;
    this.startAddresses =
        config.startTokens().isEmpty() ? List.of(prices.nativeToken()) : config.startTokens();
    for (int i = 0; i < startAddresses.size(); i++) {
      startRank.putIfAbsent(startAddresses.get(i), i);
    }
    this.crossVenue = config.enabled(ScanStrategy.CROSS_VENUE);
    this.cyclic = config.enabled(ScanStrategy.CYCLIC);
    this.maxLength = config.maxCycleLength();
    this.maxPerPair = config.maxPerPair();
  }

  /** Makes {@code index} the incremental state (its current pools are not in the book yet). */
  public void attach(MarketIndex index) {
    own = index;
    ownRun = new Run(index, NO_RANKS);
    hubs = cyclic ? new HubBounds(index) : null;
  }

  // ---------------------------------------------------------------- full scan

  public List<Opportunity> fullScan(MarketIndex index) {
    Run run = new Run(index, rankFor(index));
    scanAll(run);
    List<Opportunity> found = new ArrayList<>(run.found.size());
    for (Found f : run.found) {
      found.add(f.opportunity);
    }
    sortByNetProfit(found);
    return found;
  }

  /**
   * Sorts in {@link #BY_NET_PROFIT} order, deciding most comparisons on a double of each quote
   * value: when two doubles differ by more than their rounding can explain (relative 1e-9, against
   * an error below 1e-14), the exact values differ the same way; otherwise the exact comparator
   * decides. The order is exactly {@link #BY_NET_PROFIT}'s.
   */
  public static void sortByNetProfit(List<Opportunity> opportunities) {
    int n = opportunities.size();
    if (n < 2) {
      return;
    }
    Keyed[] keyed = new Keyed[n];
    for (int i = 0; i < n; i++) {
      Opportunity o = opportunities.get(i);
      BigDecimal usd = o.netProfitUsd();
      keyed[i] =
          new Keyed(
              o,
              usd != null,
              usd == null
                  ? 0
                  : usd.unscaledValue().doubleValue() * Math.pow(10, -(double) usd.scale()));
    }
    Arrays.sort(keyed, Keyed::compare);
    for (int i = 0; i < n; i++) {
      opportunities.set(i, keyed[i].opportunity);
    }
  }

  private record Keyed(Opportunity opportunity, boolean valued, double usd) {
    static int compare(Keyed a, Keyed b) {
      if (a.valued && b.valued) {
        double diff = a.usd - b.usd;
        double scale = Math.max(Math.abs(a.usd), Math.abs(b.usd));
        if (Math.abs(diff) > 1e-9 * scale && Double.isFinite(scale)) {
          return diff > 0 ? -1 : 1;
        }
      } else if (a.valued != b.valued) {
        return a.valued ? -1 : 1;
      }
      return BY_NET_PROFIT.compare(a.opportunity, b.opportunity);
    }
  }

  /** Every group that may pay, each evaluated once, into {@code run.found}. */
  private void scanAll(Run run) {
    if (crossVenue) {
      scanAllPairs(run);
    }
    if (cyclic) {
      scanAllCycles(run);
      evaluateTouched(run);
    }
  }

  private void scanAllPairs(Run run) {
    MarketIndex index = run.index;
    double[] screen = index.pairScreen;
    int pairs = index.pairCount;
    for (int pair = 0; pair < pairs; pair++) {
      if (screen[pair] > RATIO_FLOOR) {
        evaluatePair(run, pair);
      }
    }
  }

  /**
   * After the pool in {@code slot} changed: touches its pair's group when an ordered pool pair with
   * the pool on one side may pay (O(1): the pool's own rates against the pair's best).
   */
  private void touchPair(Run run, int pair, int slot) {
    MarketIndex index = run.index;
    if (index.pairPoolCount(pair) < 2) {
      return;
    }
    int start = crossVenueStart(index, pair);
    int middle = index.otherToken(pair, start);
    double bestBack = index.maxRateFrom(pair, middle);
    double bestOut = index.maxRateFrom(pair, start);
    boolean asBuy = index.rateFrom(slot, start) * bestBack > RATIO_FLOOR;
    boolean asSell = index.rateFrom(slot, middle) * bestOut > RATIO_FLOOR;
    if (!asBuy && !asSell) {
      return;
    }
    double bound = 0;
    if (asBuy) {
      bound = slotBound(index, slot, start, 1, bestBack);
    }
    if (asSell) {
      bound = Math.max(bound, slotBound(index, slot, middle, bestOut, 1));
    }
    Group group = new Group(2, start, middle, -1, -1);
    if (mayChange(run, group, bound, threshold(index.tokenAddress[start]))) {
      run.touch(group);
    }
  }

  /** The reported opportunities of a pair's group, into {@code run.found}. */
  private void evaluatePair(Run run, int pair) {
    MarketIndex index = run.index;
    if (index.pairPoolCount(pair) < 2) {
      return;
    }
    int start = crossVenueStart(index, pair);
    int middle = index.otherToken(pair, start);
    Threshold threshold = threshold(index.tokenAddress[start]);
    if (threshold.skip[2]) {
      return;
    }
    run.setRoute(0, 2, start, middle, start, -1, pair, pair, -1, -1);
    run.directions = 1;
    select(run, new Group(2, start, middle, -1, -1), ScanStrategy.CROSS_VENUE, 2, threshold);
  }

  /** Evaluates every group {@link Run#touch touched} since the last call, each once. */
  private void evaluateTouched(Run run) {
    for (Group group : run.touched) {
      evaluateGroup(run, group);
    }
    run.touched.clear();
  }

  private void evaluateGroup(Run run, Group group) {
    MarketIndex index = run.index;
    if (group.legs == 2) {
      int pair = index.pairOf(group.s, group.x);
      if (pair >= 0) {
        evaluatePair(run, pair);
      }
      return;
    }
    Threshold threshold = threshold(index.tokenAddress[group.s]);
    if (threshold.skip[group.legs]) {
      return;
    }
    int s = group.s;
    if (group.legs == 3) {
      int p1 = index.pairOf(s, group.x);
      int p2 = index.pairOf(group.x, group.y);
      int p3 = index.pairOf(group.y, s);
      if (p1 < 0 || p2 < 0 || p3 < 0) {
        return;
      }
      run.setRoute(0, 3, s, group.x, group.y, s, p1, p2, p3, -1);
      run.setRoute(1, 3, s, group.y, group.x, s, p3, p2, p1, -1);
    } else {
      int p1 = index.pairOf(s, group.x);
      int p2 = index.pairOf(group.x, group.y);
      int p3 = index.pairOf(group.y, group.z);
      int p4 = index.pairOf(group.z, s);
      if (p1 < 0 || p2 < 0 || p3 < 0 || p4 < 0) {
        return;
      }
      run.setRoute(0, 4, s, group.x, group.y, group.z, p1, p2, p3, p4);
      run.setRoute(1, 4, s, group.z, group.y, group.x, p4, p3, p2, p1);
    }
    run.directions = 2;
    select(run, group, ScanStrategy.CYCLIC, group.legs, threshold);
  }

  /**
   * The group's reported opportunities: the best over the routes set in {@code run}, then the best
   * sharing no pool with those before it, up to {@code max_per_pair}. Each best is exact: found by
   * branch and bound over the pools of each hop, confirmed with Uniswap's integer formula only
   * while an upper bound of the real-valued profit can still beat the best exact profit so far.
   */
  private void select(Run run, Group group, ScanStrategy strategy, int legs, Threshold threshold) {
    run.excludedCount = 0;
    for (int pick = 0; pick < maxPerPair; pick++) {
      run.best = null;
      run.bound = threshold.screenNeed[legs];
      run.pendingCount = 0;
      for (int d = 0; d < run.directions; d++) {
        bestOnRoute(run, d, legs, strategy, threshold, group);
      }
      confirmPending(run, legs, strategy, threshold, group);
      Found best = run.best;
      run.best = null;
      if (best == null) {
        return;
      }
      run.found.add(best);
      if (pick + 1 < maxPerPair) {
        for (int slot : best.slots) {
          run.exclude(slot);
        }
      }
    }
  }

  /**
   * Descends route {@code d} of {@code run}: the paths that may beat {@code run.best} are confirmed
   * into it or set aside ({@link Run#pend}) for {@link #confirmPending}.
   */
  private void bestOnRoute(
      Run run, int d, int legs, ScanStrategy strategy, Threshold threshold, Group group) {
    MarketIndex index = run.index;
    int[] tokens = run.routeTokens[d];
    int[] pairs = run.routePairs[d];
    double[] bestRate = run.bestRate;
    for (int h = 0; h < legs; h++) {
      if (index.pairPoolCount(pairs[h]) == 0) {
        return;
      }
      bestRate[h] = index.maxRateFrom(pairs[h], tokens[h]);
    }
    double[] pre = run.pre;
    double[] post = run.post;
    pre[0] = 1;
    for (int h = 1; h < legs; h++) {
      pre[h] = pre[h - 1] * bestRate[h - 1];
    }
    post[legs - 1] = 1;
    for (int h = legs - 2; h >= 0; h--) {
      post[h] = post[h + 1] * bestRate[h + 1];
    }
    if (pre[legs - 1] * bestRate[legs - 1] <= RATIO_FLOOR) {
      return;
    }
    for (int h = 0; h < legs; h++) {
      if (!candidates(run, h, tokens[h], pairs[h], pre[h], post[h])) {
        return;
      }
    }
    System.arraycopy(tokens, 0, run.tokens, 0, legs + 1);
    descend(run, 0, legs, 1.0, strategy, threshold, group);
  }

  /**
   * The pools of hop {@code h} that may take part in a paying path, by an upper bound of the profit
   * of any path through them, descending: the path's other hops at their pair's best marginal rate
   * and infinitely deep. Returns false when there is none.
   */
  private boolean candidates(Run run, int h, int tokenIn, int pair, double pre, double post) {
    MarketIndex index = run.index;
    int count = index.pairPoolCount(pair);
    int[] members = index.pairPools(pair);
    run.ensureCandidates(h, count);
    int[] slots = run.candSlots[h];
    double[] bounds = run.candBounds[h];
    double need = run.bound;
    double rest = pre * post;
    int n = 0;
    boolean inIsA = index.pairTokenA(pair) == tokenIn;
    for (int i = 0; i < count; i++) {
      int slot = members[i];
      double rate = inIsA ? index.rateAB(slot) : index.rateBA(slot);
      if (rate * rest <= RATIO_FLOOR || run.excluded(slot)) {
        continue;
      }
      double x = inIsA ? index.reserveA(slot) : index.reserveB(slot);
      double y = inIsA ? index.reserveB(slot) : index.reserveA(slot);
      double rootOut = Math.sqrt(post * y);
      double rootIn = Math.sqrt(x / (pre * index.gamma(slot)));
      double gap = rootOut - rootIn + BOUND_MARGIN * (rootOut + rootIn);
      if (!(gap > 0)) {
        continue;
      }
      double bound = gap * gap * (1 + BOUND_MARGIN);
      if (bound >= need) {
        slots[n] = slot;
        bounds[n] = bound;
        n++;
      }
    }
    run.candCount[h] = n;
    if (n == 0) {
      return false;
    }
    sortDescending(bounds, slots, n);
    // what the descent reads of each candidate, in its order: read once here instead of once per
    // path through the candidate (on a crowded pair, hundreds of paths)
    double[] candX = run.candX[h];
    double[] candY = run.candY[h];
    double[] candGamma = run.candGamma[h];
    double[] candRate = run.candRate[h];
    for (int i = 0; i < n; i++) {
      int slot = slots[i];
      candX[i] = inIsA ? index.reserveA(slot) : index.reserveB(slot);
      candY[i] = inIsA ? index.reserveB(slot) : index.reserveA(slot);
      candGamma[i] = index.gamma(slot);
      candRate[i] = inIsA ? index.rateAB(slot) : index.rateBA(slot);
    }
    return true;
  }

  private void descend(
      Run run,
      int h,
      int legs,
      double rateSoFar,
      ScanStrategy strategy,
      Threshold threshold,
      Group group) {
    MarketIndex index = run.index;
    int[] slots = run.candSlots[h];
    double[] bounds = run.candBounds[h];
    int n = run.candCount[h];
    int tokenIn = run.tokens[h];
    double post = run.post[h];
    for (int i = 0; i < n; i++) {
      if (bounds[i] < run.bound) {
        return;
      }
      int slot = slots[i];
      if (h > 0 && run.slots[0] == slot) {
        continue; // cross-venue: the two pools of the same pair must differ
      }
      double rate = rateSoFar * run.candRate[h][i];
      if (rate * post <= RATIO_FLOOR) {
        continue;
      }
      run.slots[h] = slot;
      run.positions[h] = i;
      if (h + 1 < legs) {
        descend(run, h + 1, legs, rate, strategy, threshold, group);
      } else if (passesBound(run, legs, run.bound)) {
        run.pend(legs);
        if (run.pendingCount == PENDING_LIMIT) {
          // many paths may pay: confirm the best so far, whose exact profit prunes the rest
          // (it overwrites the path buffers, which hold the descent's prefix)
          int[] path = Arrays.copyOf(run.slots, legs);
          int[] tokens = Arrays.copyOf(run.tokens, legs + 1);
          confirmPending(run, legs, strategy, threshold, group);
          System.arraycopy(path, 0, run.slots, 0, legs);
          System.arraycopy(tokens, 0, run.tokens, 0, legs + 1);
        }
      }
    }
  }

  /** Keeps {@code found} as the best when it beats it, raising the bound to its profit. */
  private static void consider(Run run, Found found) {
    if (found != null
        && (run.best == null
            || BY_NET_PROFIT.compare(found.opportunity, run.best.opportunity) < 0)) {
      run.best = found;
      // a path can beat it only with at least its gross profit (same legs, same gas)
      run.bound = Math.max(run.bound, found.opportunity.profit().doubleValue() * TIE_SLACK);
    }
  }

  /**
   * Confirms the paths set aside during the descent, by their profit bound descending, while that
   * bound can still beat the best exact profit: usually none or one.
   */
  private void confirmPending(
      Run run, int legs, ScanStrategy strategy, Threshold threshold, Group group) {
    int n = run.pendingCount;
    if (n == 0) {
      return;
    }
    int[] order = run.pendingOrder(n);
    double[] bounds = Arrays.copyOf(run.pendingEstimate, n);
    sortDescending(bounds, order, n);
    for (int i = 0; i < n; i++) {
      if (bounds[i] < run.bound) {
        break;
      }
      run.restore(order[i], legs);
      consider(run, confirm(run, strategy, legs, threshold, group));
    }
    run.pendingCount = 0;
  }

  /** Paths set aside before the best of them is confirmed, to prune with its exact profit. */
  private static final int PENDING_LIMIT = 64;

  private static final int RANK_BITS = 20;
  private static final long RANK_MASK = (1L << RANK_BITS) - 1;

  /**
   * Sorts the positive {@code keys} descending, moving {@code values} along. A key may come back
   * rounded up by a relative 2^-32 (the keys are upper bounds: they stay upper bounds).
   */
  private static void sortDescending(double[] keys, int[] values, int n) {
    if (n < 24) {
      for (int i = 1; i < n; i++) {
        double key = keys[i];
        int value = values[i];
        int j = i - 1;
        while (j >= 0 && keys[j] < key) {
          keys[j + 1] = keys[j];
          values[j + 1] = values[j];
          j--;
        }
        keys[j + 1] = key;
        values[j + 1] = value;
      }
      return;
    }
    if (n > RANK_MASK) {
      Integer[] order = new Integer[n];
      for (int i = 0; i < n; i++) {
        order[i] = i;
      }
      double[] k = Arrays.copyOf(keys, n);
      int[] v = Arrays.copyOf(values, n);
      Arrays.sort(order, (a, b) -> Double.compare(k[b], k[a]));
      for (int i = 0; i < n; i++) {
        keys[i] = k[order[i]];
        values[i] = v[order[i]];
      }
      return;
    }
    // positive doubles order like their bits: round each key up to a multiple of 2^20 ulps and
    // keep its rank in the freed bits, so that one primitive sort moves keys and values together
    long[] packed = new long[n];
    for (int i = 0; i < n; i++) {
      long rounded = (Double.doubleToRawLongBits(keys[i]) & ~RANK_MASK) + RANK_MASK + 1;
      packed[i] = rounded | i;
    }
    Arrays.sort(packed);
    int[] v = Arrays.copyOf(values, n);
    for (int i = 0; i < n; i++) {
      long p = packed[n - 1 - i];
      keys[i] = Double.longBitsToDouble(p & ~RANK_MASK);
      values[i] = v[(int) (p & RANK_MASK)];
    }
  }

  /** The start token of a cross-venue pair: first in the start list, else the smaller address. */
  private int crossVenueStart(MarketIndex index, int pair) {
    int a = index.pairTokenA(pair);
    int b = index.pairTokenB(pair);
    Integer rankA = startRank.get(index.tokenAddress[a]);
    Integer rankB = startRank.get(index.tokenAddress[b]);
    if (rankB != null && (rankA == null || rankB < rankA)) {
      return b;
    }
    return a;
  }

  private void scanAllCycles(Run run) {
    MarketIndex index = run.index;
    for (int rank = 0; rank < startAddresses.size(); rank++) {
      for (int start : index.tokensWithAddress(startAddresses.get(rank))) {
        if (rank > 0 && run.rank[start] != rank) {
          continue;
        }
        Threshold threshold = threshold(index.tokenAddress[start]);
        run.startPairs = startPairs(index, start);
        int[] startPairs = index.tokenPairs[start];
        for (int i = 0; i < index.tokenPairCount[start]; i++) {
          int p1 = startPairs[i];
          int x = index.otherToken(p1, start);
          if (index.pairPoolCount(p1) == 0 || (rank > 0 && run.rank[x] < rank)) {
            continue;
          }
          int[] xPairs = index.tokenPairs[x];
          for (int j = 0; j < index.tokenPairCount[x]; j++) {
            int p2 = xPairs[j];
            int y = index.otherToken(p2, x);
            if (p2 == p1
                || y == start
                || index.pairPoolCount(p2) == 0
                || (rank > 0 && run.rank[y] < rank)) {
              continue;
            }
            int p3 = run.startPairs[y];
            if (p3 >= 0 && index.pairPoolCount(p3) > 0 && !threshold.skip[3]) {
              cycle3(run, threshold, start, x, y, p1, p2, p3, -1, -1);
            }
            if (maxLength >= 4 && !threshold.skip[4]) {
              int[] yPairs = index.tokenPairs[y];
              for (int k = 0; k < index.tokenPairCount[y]; k++) {
                int p3b = yPairs[k];
                int z = index.otherToken(p3b, y);
                if (p3b == p2
                    || z == start
                    || z == x
                    || index.pairPoolCount(p3b) == 0
                    || (rank > 0 && run.rank[z] < rank)) {
                  continue;
                }
                int p4 = run.startPairs[z];
                if (p4 >= 0 && index.pairPoolCount(p4) > 0) {
                  cycle4(run, threshold, start, x, y, z, p1, p2, p3b, p4, -1, -1);
                }
              }
            }
          }
        }
      }
    }
  }

  private void cycle3(
      Run run,
      Threshold threshold,
      int s,
      int x,
      int y,
      int p1,
      int p2,
      int p3,
      int fixedPosition,
      int fixedSlot) {
    MarketIndex index = run.index;
    double r0 = hopRate(index, 0, p1, s, fixedPosition, fixedSlot);
    double r1 = hopRate(index, 1, p2, x, fixedPosition, fixedSlot);
    double r2 = hopRate(index, 2, p3, y, fixedPosition, fixedSlot);
    if (r0 * r1 * r2 <= RATIO_FLOOR) {
      return;
    }
    Group group = x < y ? new Group(3, s, x, y, -1) : new Group(3, s, y, x, -1);
    if (fixedSlot >= 0) {
      double pre = fixedPosition == 0 ? 1 : fixedPosition == 1 ? r0 : r0 * r1;
      double post = fixedPosition == 0 ? r1 * r2 : fixedPosition == 1 ? r2 : 1;
      int tokenIn = fixedPosition == 0 ? s : fixedPosition == 1 ? x : y;
      if (!mayChange(run, group, slotBound(index, fixedSlot, tokenIn, pre, post), threshold)) {
        return;
      }
    }
    run.touch(group);
  }

  private void cycle4(
      Run run,
      Threshold threshold,
      int s,
      int x,
      int y,
      int z,
      int p1,
      int p2,
      int p3,
      int p4,
      int fixedPosition,
      int fixedSlot) {
    MarketIndex index = run.index;
    double[] r = run.hopRates;
    r[0] = hopRate(index, 0, p1, s, fixedPosition, fixedSlot);
    r[1] = hopRate(index, 1, p2, x, fixedPosition, fixedSlot);
    r[2] = hopRate(index, 2, p3, y, fixedPosition, fixedSlot);
    r[3] = hopRate(index, 3, p4, z, fixedPosition, fixedSlot);
    if (r[0] * r[1] * r[2] * r[3] <= RATIO_FLOOR) {
      return;
    }
    Group group = x < z ? new Group(4, s, x, y, z) : new Group(4, s, z, y, x);
    if (fixedSlot >= 0) {
      double pre = 1;
      double post = 1;
      for (int h = 0; h < 4; h++) {
        if (h < fixedPosition) {
          pre *= r[h];
        } else if (h > fixedPosition) {
          post *= r[h];
        }
      }
      int tokenIn = fixedPosition == 0 ? s : fixedPosition == 1 ? x : fixedPosition == 2 ? y : z;
      if (!mayChange(run, group, slotBound(index, fixedSlot, tokenIn, pre, post), threshold)) {
        return;
      }
    }
    run.touch(group);
  }

  /**
   * An upper bound of the profit of any path through the pool in {@code slot} entered with {@code
   * tokenIn}: the path's other hops at the rates {@code pre} (before the pool) and {@code post}
   * (after it) and infinitely deep; 0 when none can pay.
   */
  private static double slotBound(
      MarketIndex index, int slot, int tokenIn, double pre, double post) {
    boolean inIsA = index.pairTokenA(index.poolPair(slot)) == tokenIn;
    double x = inIsA ? index.reserveA(slot) : index.reserveB(slot);
    double y = inIsA ? index.reserveB(slot) : index.reserveA(slot);
    double rootOut = Math.sqrt(post * y);
    double rootIn = Math.sqrt(x / (pre * index.gamma(slot)));
    double gap = rootOut - rootIn + BOUND_MARGIN * (rootOut + rootIn);
    return gap > 0 ? gap * gap * (1 + BOUND_MARGIN) : 0;
  }

  /**
   * Whether a path through the changed pool, whose profit is at most {@code bound}, can change what
   * {@code group} reports: the group is not yet full and the path may reach the threshold, or it
   * may beat the least profitable of the group's reported opportunities. A path below all of them
   * changes nothing: the greedy choice takes each of them before it. (Groups whose reported
   * opportunities use the pool are re-evaluated anyway.)
   */
  private boolean mayChange(Run run, Group group, double bound, Threshold threshold) {
    if (run.index != own || run.touched.contains(group)) {
      return true;
    }
    double least = threshold.screenNeed[group.legs];
    List<BookEntry> entries = groupEntries.get(group);
    if (entries != null && entries.size() >= maxPerPair) {
      double lowest = Double.MAX_VALUE;
      for (BookEntry entry : entries) {
        lowest = Math.min(lowest, entry.opportunity.profit().doubleValue() * TIE_SLACK);
      }
      least = Math.max(least, lowest);
    }
    return bound >= least;
  }

  /**
   * The best rate of hop {@code position} out of {@code tokenIn}: the fixed pool's own rate at the
   * fixed position, else the best over the pair's pools.
   */
  private static double hopRate(
      MarketIndex index, int position, int pair, int tokenIn, int fixedPosition, int fixedSlot) {
    return position == fixedPosition
        ? index.rateFrom(fixedSlot, tokenIn)
        : index.maxRateFrom(pair, tokenIn);
  }

  /**
   * Every choice of one pool per hop (the fixed position keeps its pool), screened then confirmed.
   */
  /** The double upper bound of the path's real-valued profit reaches {@code need}. */
  private static boolean passesBound(Run run, int legs, double need) {
    int[] positions = run.positions;
    double a = 1;
    double b = 0;
    double c = 1;
    for (int k = 0; k < legs; k++) {
      int i = positions[k];
      double x = run.candX[k][i];
      double y = run.candY[k][i];
      double g = run.candGamma[k][i];
      b = b * x + g * a;
      a = a * g * y;
      c = c * x;
    }
    double rootA = Math.sqrt(a);
    double rootC = Math.sqrt(c);
    double gap = rootA - rootC + BOUND_MARGIN * (rootA + rootC);
    if (!(gap > 0)) {
      return false;
    }
    run.foldA = a;
    run.foldB = b;
    run.foldC = c;
    run.estimate = gap * gap / b * (1 + BOUND_MARGIN);
    return run.estimate >= need;
  }

  // ---------------------------------------------------------------- exact confirmation

  /** The path in {@code run.slots}, exact; null when it does not pay enough. */
  private Found confirm(
      Run run, ScanStrategy strategy, int legs, Threshold threshold, Group group) {
    MarketIndex index = run.index;
    BigInteger[] reserveIn = new BigInteger[legs];
    BigInteger[] reserveOut = new BigInteger[legs];
    int[] fees = new int[legs];
    int[] slots = Arrays.copyOf(run.slots, legs);
    long block = 0;
    for (int k = 0; k < legs; k++) {
      int slot = slots[k];
      Pool pool = index.pool(slot);
      boolean inIsA = index.pairTokenA(index.poolPair(slot)) == run.tokens[k];
      boolean inIsToken0 = inIsA != index.poolFlipped(slot);
      reserveIn[k] = inIsToken0 ? pool.reserve0() : pool.reserve1();
      reserveOut[k] = inIsToken0 ? pool.reserve1() : pool.reserve0();
      if (reserveIn[k].signum() == 0 || reserveOut[k].signum() == 0) {
        return null;
      }
      fees[k] = pool.feeBps();
      block = Math.max(block, index.poolSequence(slot));
    }
    ExactPath path = new ExactPath(reserveIn, reserveOut, fees, legs, run.wide);
    ExactPath.Best best = path.best(run.foldA, run.foldB, run.foldC);
    if (best == null) {
      return null;
    }
    String startToken = index.tokenAddress[run.tokens[0]];
    BigInteger amountIn = best.amountIn();
    BigInteger amountOut = best.amountOut();
    BigInteger profit = amountOut.subtract(amountIn);
    BigInteger gasCost = threshold.gas[legs];
    BigInteger netProfit = profit.subtract(gasCost);
    if (netProfit.compareTo(config.minProfitBaseUnits()) < 0) {
      return null;
    }
    BigDecimal netProfitUsd = prices.quoteValue(startToken, netProfit);
    if (config.minProfit() != null
        && (netProfitUsd == null || netProfitUsd.compareTo(config.minProfit()) < 0)) {
      return null;
    }
    BigDecimal profitUsd = prices.quoteValue(startToken, profit);
    BigInteger[] amounts = path.amounts(amountIn);
    List<Leg> legList = new ArrayList<>(legs);
    BigInteger legIn = amountIn;
    for (int k = 0; k < legs; k++) {
      Pool pool = index.pool(slots[k]);
      legList.add(
          new Leg(
              pool.chainId(),
              pool.dex(),
              pool.id(),
              index.tokenAddress[run.tokens[k]],
              index.tokenAddress[run.tokens[k + 1]],
              legIn,
              amounts[k]));
      legIn = amounts[k];
    }
    String id =
        opportunityId(run.digest, strategy, startToken, block, legList, reserveIn, reserveOut);
    Opportunity opportunity =
        new Opportunity(
            id,
            strategy.id(),
            config.sourceBot(),
            startToken,
            amountIn,
            amountOut,
            profit,
            gasCost,
            netProfit,
            display(profitUsd),
            display(netProfitUsd),
            block,
            run.detectedAt(),
            run.detectedAt().plus(config.ttl()),
            legList);
    return new Found(opportunity, slots, group);
  }

  private static BigDecimal display(BigDecimal quote) {
    return quote == null ? null : quote.round(QUOTE_DISPLAY).stripTrailingZeros();
  }

  /**
   * The opportunity's id: its strategy and first block, then 128 bits of the SHA-256 of what
   * identifies it (strategy, start token, and per leg the pool and both reserves, the reserves as
   * fixed-width binary), so that the same path on the same reserves always gets the same id.
   */
  private static String opportunityId(
      MessageDigest digest,
      ScanStrategy strategy,
      String startToken,
      long block,
      List<Leg> legs,
      BigInteger[] reserveIn,
      BigInteger[] reserveOut) {
    digest.reset();
    update(digest, strategy.id());
    update(digest, startToken);
    byte[] word = new byte[17];
    for (int k = 0; k < legs.size(); k++) {
      update(digest, legs.get(k).poolId());
      update(digest, reserveIn[k], word);
      update(digest, reserveOut[k], word);
    }
    byte[] hash = digest.digest();
    char[] id = new char[32];
    for (int i = 0; i < 16; i++) {
      id[2 * i] = Character.forDigit((hash[i] >> 4) & 0xF, 16);
      id[2 * i + 1] = Character.forDigit(hash[i] & 0xF, 16);
    }
    return (strategy == ScanStrategy.CROSS_VENUE ? "cv-" : "cy-") + block + '-' + new String(id);
  }

  /** A string's UTF-8 bytes, then a separator byte no such string contains. */
  private static void update(MessageDigest digest, String text) {
    digest.update(text.getBytes(StandardCharsets.UTF_8));
    digest.update((byte) '|');
  }

  /** A reserve: below 2^128 as a marker and 16 bytes, else its two's-complement bytes. */
  private static void update(MessageDigest digest, BigInteger value, byte[] word) {
    if (value.signum() >= 0 && value.bitLength() <= 128) {
      long hi = value.shiftRight(64).longValue();
      long lo = value.longValue();
      word[0] = 0;
      for (int i = 0; i < 8; i++) {
        word[1 + i] = (byte) (hi >>> (56 - 8 * i));
        word[9 + i] = (byte) (lo >>> (56 - 8 * i));
      }
      digest.update(word, 0, 17);
    } else {
      byte[] bytes = value.toByteArray();
      digest.update((byte) 1);
      digest.update((byte) (bytes.length >>> 8));
      digest.update((byte) bytes.length);
      digest.update(bytes);
    }
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new RehoboamException(ErrorCode.INTERNAL, "SHA-256 is not available", e);
    }
  }

  // ---------------------------------------------------------------- thresholds and ranks

  private Threshold threshold(String startToken) {
    Threshold threshold = thresholds.get(startToken);
    if (threshold == null) {
      threshold = new Threshold(startToken);
      thresholds.put(startToken, threshold);
    }
    return threshold;
  }

  /** What a path starting in one token must earn, per number of legs (2..4). */
  private final class Threshold {
    final boolean[] skip = new boolean[5];
    final BigInteger[] gas = new BigInteger[5];
    final double[] screenNeed = new double[5];

    Threshold(String startToken) {
      BigInteger minNet = config.minProfitBaseUnits();
      boolean unvalued = false;
      if (config.minProfit() != null) {
        var inToken = prices.fromQuote(startToken, config.minProfit());
        if (inToken.isPresent()) {
          minNet = minNet.max(inToken.get());
        } else {
          unvalued = true;
        }
      }
      for (int legs = 2; legs <= 4; legs++) {
        BigInteger wei = config.gasUnits(legs).multiply(config.gasPriceWei());
        var cost = prices.fromNative(startToken, wei);
        skip[legs] = unvalued || cost.isEmpty();
        gas[legs] = cost.orElse(BigInteger.ZERO);
        // minus one unit and a relative margin: fromQuote may round up across an integer
        double exactNeed = minNet.add(gas[legs]).subtract(BigInteger.ONE).doubleValue();
        screenNeed[legs] = exactNeed * (1 - BOUND_MARGIN) - 1;
      }
    }
  }

  /** The pair each token forms with {@code start}: kept current for the own index, else built. */
  private int[] startPairs(MarketIndex index, int start) {
    return index == own ? own.anchorPairs(start) : index.pairsWith(start, index.tokenCount);
  }

  private int[] rankFor(MarketIndex index) {
    if (index == own) {
      refreshOwnRank();
      return ownRank;
    }
    if (!cyclic) {
      return NO_RANKS;
    }
    int[] rank = new int[index.tokenCount];
    Arrays.fill(rank, NOT_A_START);
    for (int r = startAddresses.size() - 1; r >= 0; r--) {
      for (int token : index.tokensWithAddress(startAddresses.get(r))) {
        rank[token] = r;
      }
    }
    return rank;
  }

  private void refreshOwnRank() {
    int tokens = own.tokenCount;
    if (tokens > ownRank.length) {
      ownRank = Arrays.copyOf(ownRank, Math.max(16, Math.max(tokens, ownRank.length * 2)));
    }
    for (int token = ownRankFilled; token < tokens; token++) {
      Integer r = startRank.get(own.tokenAddress[token]);
      ownRank[token] = r == null ? NOT_A_START : r;
    }
    ownRankFilled = tokens;
  }

  // ---------------------------------------------------------------- incremental

  /** Updates whose memory is fetched together before they are applied one by one. */
  private static final int WARM_BATCH = 32;

  private final Pool[] warmPools = new Pool[WARM_BATCH];
  private final int[] warmSlots = new int[WARM_BATCH];

  /** Keeps the warm-up reads observable; never read for anything else. */
  private long warmed;

  /**
   * {@link #apply} of each update in order.
   *
   * @param warm fetch the memory a few updates will read together before applying them; pays on a
   *     market larger than the cache, costs a little on one that fits
   */
  public List<ScanDelta> applyAll(List<PoolUpdate> updates, boolean warm) {
    int n = updates.size();
    List<ScanDelta> deltas = new ArrayList<>(n);
    for (int from = 0; from < n; from += WARM_BATCH) {
      int count = Math.min(WARM_BATCH, n - from);
      if (warm && count > 1) {
        for (int i = 0; i < count; i++) {
          warmPools[i] = updates.get(from + i).pool();
        }
        warmed += own.warm(warmPools, count, warmSlots);
      }
      for (int i = 0; i < count; i++) {
        deltas.add(apply(updates.get(from + i)));
      }
    }
    Arrays.fill(warmPools, null);
    return deltas;
  }

  public ScanDelta apply(PoolUpdate update) {
    String id = update.pool().id();
    int before = own.slotOf(id);
    int oldPair = before >= 0 ? own.poolPair(before) : -1;
    Run run = ownRun;
    run.reset(rankFor(own));
    // the groups whose reported opportunities use the pool: they are chosen afresh
    if (before >= 0) {
      touchGroupsOf(run, before);
    }
    if (update.kind() == PoolUpdate.Kind.REMOVED) {
      own.remove(id, update.sequence());
      if (hubs != null && oldPair >= 0) {
        hubs.pairChanged(oldPair);
      }
    } else {
      double oldMaxAB = oldPair >= 0 ? own.maxRateAB(oldPair) : 0;
      double oldMaxBA = oldPair >= 0 ? own.maxRateBA(oldPair) : 0;
      int slot = own.upsert(before, update.pool(), update.sequence());
      if (hubs != null) {
        int newPair = own.poolPair(slot);
        if (oldPair >= 0 && oldPair != newPair) {
          hubs.pairChanged(oldPair);
        }
        // the bounds read only pairs' best rates: a pool that moved below its pair's best changes
        // none
        if (oldPair != newPair
            || Double.doubleToRawLongBits(oldMaxAB)
                != Double.doubleToRawLongBits(own.maxRateAB(newPair))
            || Double.doubleToRawLongBits(oldMaxBA)
                != Double.doubleToRawLongBits(own.maxRateBA(newPair))) {
          hubs.pairChanged(newPair);
        }
      }
      // the groups in which a path through the pool may now pay (new tokens: ranks afresh)
      run.rank = rankFor(own);
      evaluateSlot(run, slot);
    }
    if (run.touched.isEmpty()) {
      return ScanDelta.empty();
    }
    Map<String, BookEntry> detached = new HashMap<>();
    for (Group group : run.touched) {
      detachGroup(group, detached);
    }
    evaluateTouched(run);
    List<Opportunity> found = new ArrayList<>();
    for (Found f : run.found) {
      BookEntry previous = detached.isEmpty() ? null : detached.remove(f.opportunity.id());
      if (previous != null) {
        insert(previous);
      } else if (!book.containsKey(f.opportunity.id())) {
        insert(new BookEntry(f.opportunity, f.slots, f.group));
        found.add(f.opportunity);
      }
    }
    if (found.isEmpty() && detached.isEmpty()) {
      return ScanDelta.empty();
    }
    sortByNetProfit(found);
    return new ScanDelta(found, sortedIds(detached.keySet()));
  }

  /** Rebuilds the book from a full scan; entries whose id survives are kept as they were. */
  public ScanDelta rescan() {
    Map<String, BookEntry> previous = new HashMap<>(book);
    book.clear();
    slotEntries.clear();
    groupEntries.clear();
    Arrays.fill(slotInBook, 0);
    // the state may have been changed directly: the hub bounds start afresh from it
    hubs = cyclic ? new HubBounds(own) : null;
    Run run = new Run(own, rankFor(own));
    scanAll(run);
    List<Opportunity> found = new ArrayList<>();
    for (Found f : run.found) {
      String id = f.opportunity.id();
      if (book.containsKey(id)) {
        continue;
      }
      BookEntry kept = previous.remove(id);
      if (kept != null) {
        insert(kept);
      } else {
        insert(new BookEntry(f.opportunity, f.slots, f.group));
        found.add(f.opportunity);
      }
    }
    sortByNetProfit(found);
    return new ScanDelta(found, sortedIds(previous.keySet()));
  }

  public Collection<Opportunity> book() {
    List<Opportunity> all = new ArrayList<>(book.size());
    for (BookEntry entry : book.values()) {
      all.add(entry.opportunity);
    }
    sortByNetProfit(all);
    return List.copyOf(all);
  }

  /** Touches every group in which a path through the pool in {@code slot} may pay. */
  private void evaluateSlot(Run run, int slot) {
    MarketIndex index = run.index;
    int pair = index.poolPair(slot);
    if (crossVenue && index.pairScreen[pair] > RATIO_FLOOR) {
      touchPair(run, pair, slot);
    }
    if (cyclic) {
      cyclesThrough(run, slot);
    }
  }

  private void cyclesThrough(Run run, int slot) {
    MarketIndex index = run.index;
    int pair = index.poolPair(slot);
    int u = index.pairTokenA(pair);
    int v = index.pairTokenB(pair);
    if (index.rateAB(slot) == 0) {
      return;
    }
    int[] rank = run.rank;
    for (OwnStart start : ownStarts()) {
      int s = start.token;
      int r = start.rank;
      if (r > 0 && (rank[u] < r || rank[v] < r)) {
        continue;
      }
      run.startPairs = index.anchorPairs(s);
      run.startRates = index.anchorRates(s);
      if (s == u || s == v) {
        cyclesFromStartPool(run, start.threshold, r, s, index.otherToken(pair, s), pair, slot);
      } else {
        cyclesThroughMiddle(run, start.threshold, r, s, u, v, pair, slot);
        cyclesThroughMiddle(run, start.threshold, r, s, v, u, pair, slot);
      }
    }
  }

  /**
   * The start tokens of the own index as a full scan takes them: by rank, each token id once (under
   * the first rank of its address).
   */
  private OwnStart[] ownStarts() {
    if (ownStartsTokenCount != own.tokenCount) {
      int[] rank = rankFor(own);
      List<OwnStart> starts = new ArrayList<>();
      for (int r = 0; r < startAddresses.size(); r++) {
        for (int s : own.tokensWithAddress(startAddresses.get(r))) {
          if (r == 0 || rank[s] == r) {
            starts.add(new OwnStart(s, r, threshold(own.tokenAddress[s])));
          }
        }
      }
      ownStarts = starts.toArray(new OwnStart[0]);
      ownStartsTokenCount = own.tokenCount;
    }
    return ownStarts;
  }

  private record OwnStart(int token, int rank, Threshold threshold) {}

  /** Cycles whose first or last hop is the pool in {@code slot} (pair {@code s}-{@code o}). */
  private void cyclesFromStartPool(
      Run run, Threshold threshold, int r, int s, int o, int pair, int slot) {
    MarketIndex index = run.index;
    int[] rank = run.rank;
    boolean tryFirst = true;
    boolean tryLast = true;
    if (index == own && hubs != null && hubs.isHub(o)) {
      // a hub has thousands of neighbours: its exact two-hop bounds decide whether to look
      HubBounds.Start bounds = hubs.forStart(s);
      tryFirst = index.rateFrom(slot, s) * HubBounds.back(bounds, o) > RATIO_FLOOR;
      tryLast = HubBounds.fwd(bounds, o) * index.rateFrom(slot, o) > RATIO_FLOOR;
      if (!tryFirst && !tryLast && maxLength < 4) {
        return;
      }
    }
    int[] oPairs = index.tokenPairs[o];
    for (int i = 0; i < index.tokenPairCount[o]; i++) {
      int q = oPairs[i];
      int w = index.otherToken(q, o);
      if (q == pair || w == s || index.pairPoolCount(q) == 0 || (r > 0 && rank[w] < r)) {
        continue;
      }
      int closing = run.startPairs[w];
      if (!threshold.skip[3] && closing >= 0) {
        // s -> o -> w -> s with the pool first, and s -> w -> o -> s with the pool last; screened
        // here with the anchor rates (the same products cycle3 starts with), so that the closing
        // pair's row is read only for a cycle that may pay
        double[] startRates = run.startRates;
        if (tryFirst
            && index.rateFrom(slot, s) * index.maxRateFrom(q, o) * startRates[2 * w + 1]
                > RATIO_FLOOR) {
          cycle3(run, threshold, s, o, w, pair, q, closing, 0, slot);
        }
        if (tryLast
            && startRates[2 * w] * index.maxRateFrom(q, w) * index.rateFrom(slot, o)
                > RATIO_FLOOR) {
          cycle3(run, threshold, s, w, o, closing, q, pair, 2, slot);
        }
      }
      if (maxLength >= 4 && !threshold.skip[4]) {
        int[] wPairs = index.tokenPairs[w];
        for (int j = 0; j < index.tokenPairCount[w]; j++) {
          int t = wPairs[j];
          int z = index.otherToken(t, w);
          if (t == q || z == s || z == o || index.pairPoolCount(t) == 0 || (r > 0 && rank[z] < r)) {
            continue;
          }
          int last = run.startPairs[z];
          if (last >= 0 && index.pairPoolCount(last) > 0) {
            // s -> o -> w -> z -> s (pool first) and s -> z -> w -> o -> s (pool last)
            cycle4(run, threshold, s, o, w, z, pair, q, t, last, 0, slot);
            cycle4(run, threshold, s, z, w, o, last, t, q, pair, 3, slot);
          }
        }
      }
    }
  }

  /**
   * Cycles in which the pool in {@code slot} swaps {@code from} into {@code to}, neither the start.
   */
  private void cyclesThroughMiddle(
      Run run, Threshold threshold, int r, int s, int from, int to, int pair, int slot) {
    MarketIndex index = run.index;
    int[] rank = run.rank;
    double[] startRates = run.startRates;
    // s -> from -> to -> s (pool second), screened with the anchor rates, which are the entry and
    // exit pairs' best rates (0 when a pair is missing or empty): the same product cycle3 starts
    // with, without reading those pairs' rows
    if (!threshold.skip[3]
        && startRates[2 * from] * index.rateFrom(slot, from) * startRates[2 * to + 1]
            > RATIO_FLOOR) {
      cycle3(run, threshold, s, from, to, run.startPairs[from], pair, run.startPairs[to], 1, slot);
    }
    if (maxLength < 4 || threshold.skip[4]) {
      return;
    }
    int entry = run.startPairs[from];
    boolean entryOk = entry >= 0 && index.pairPoolCount(entry) > 0;
    // s -> from -> to -> z -> s (pool second)
    if (entryOk) {
      int[] toPairs = index.tokenPairs[to];
      for (int i = 0; i < index.tokenPairCount[to]; i++) {
        int t = toPairs[i];
        int z = index.otherToken(t, to);
        if (t == pair
            || z == s
            || z == from
            || index.pairPoolCount(t) == 0
            || (r > 0 && rank[z] < r)) {
          continue;
        }
        int last = run.startPairs[z];
        if (last >= 0 && index.pairPoolCount(last) > 0) {
          cycle4(run, threshold, s, from, to, z, entry, pair, t, last, 1, slot);
        }
      }
    }
    // s -> x -> from -> to -> s (pool third)
    int exit = run.startPairs[to];
    if (exit >= 0 && index.pairPoolCount(exit) > 0) {
      int[] fromPairs = index.tokenPairs[from];
      for (int i = 0; i < index.tokenPairCount[from]; i++) {
        int q = fromPairs[i];
        int x = index.otherToken(q, from);
        if (q == pair
            || x == s
            || x == to
            || index.pairPoolCount(q) == 0
            || (r > 0 && rank[x] < r)) {
          continue;
        }
        int first = run.startPairs[x];
        if (first >= 0 && index.pairPoolCount(first) > 0) {
          cycle4(run, threshold, s, x, from, to, first, q, pair, exit, 2, slot);
        }
      }
    }
  }

  /** Touches the groups of the book entries that use the pool in {@code slot}. */
  private void touchGroupsOf(Run run, int slot) {
    int word = slot >>> 6;
    if (word >= slotInBook.length || (slotInBook[word] & (1L << slot)) == 0) {
      return;
    }
    List<BookEntry> entries = slotEntries.get(slot);
    if (entries == null || entries.isEmpty()) {
      slotInBook[word] &= ~(1L << slot);
      return;
    }
    for (BookEntry entry : entries) {
      run.touch(entry.group);
    }
  }

  /** Takes the group's entries out of the book, into {@code detached} by id. */
  private void detachGroup(Group group, Map<String, BookEntry> detached) {
    List<BookEntry> entries = groupEntries.remove(group);
    if (entries == null) {
      return;
    }
    for (BookEntry entry : entries) {
      book.remove(entry.opportunity.id());
      for (int slot : entry.slots) {
        List<BookEntry> list = slotEntries.get(slot);
        if (list != null) {
          list.remove(entry);
          if (list.isEmpty()) {
            slotInBook[slot >>> 6] &= ~(1L << slot);
          }
        }
      }
      detached.put(entry.opportunity.id(), entry);
    }
  }

  private void insert(BookEntry entry) {
    book.put(entry.opportunity.id(), entry);
    groupEntries.computeIfAbsent(entry.group, g -> new ArrayList<>(2)).add(entry);
    for (int slot : entry.slots) {
      while (slotEntries.size() <= slot) {
        slotEntries.add(null);
      }
      List<BookEntry> list = slotEntries.get(slot);
      if (list == null) {
        list = new ArrayList<>(2);
        slotEntries.set(slot, list);
      }
      list.add(entry);
      int word = slot >>> 6;
      if (word >= slotInBook.length) {
        slotInBook = Arrays.copyOf(slotInBook, Math.max(word + 1, slotInBook.length * 2));
      }
      slotInBook[word] |= 1L << slot;
    }
  }

  private static List<String> sortedIds(Collection<String> ids) {
    List<String> sorted = new ArrayList<>(ids);
    sorted.sort(null);
    return sorted;
  }

  // ---------------------------------------------------------------- scratch

  /**
   * A group of opportunities of which at most {@code max_per_pair} non-overlapping ones are
   * reported: a token pair ({@code legs} 2: start {@code s}, other token {@code x}), or a start
   * token and the route of a cycle (3 or 4 legs through {@code x}, {@code y} and {@code z}, either
   * way round; the way with {@code x < y} for 3 legs, {@code x < z} for 4 is the key).
   */
  private record Group(int legs, int s, int x, int y, int z) {
    /**
     * Mixed, not the record's default: groups differ in small token ids, whose default hashes
     * collide often enough to turn the hash sets' buckets into trees.
     */
    @Override
    public int hashCode() {
      long h = ((long) s * 0x9E37_79B9_7F4A_7C15L) ^ ((long) x << 21) ^ ((long) y << 42) ^ z;
      h = (h ^ (h >>> 31) ^ legs) * 0xBF58_476D_1CE4_E5B9L;
      h = (h ^ (h >>> 27)) * 0x94D0_49BB_1331_11EBL;
      return (int) (h ^ (h >>> 31) ^ (h >>> 32));
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Group g
          && g.legs == legs
          && g.s == s
          && g.x == x
          && g.y == y
          && g.z == z;
    }
  }

  /** One scan's state: the index, ranks, scratch path buffers and what was found. */
  private final class Run {
    final MarketIndex index;
    int[] rank;
    final int[] slots = new int[4];
    final int[] tokens = new int[5];
    int[] startPairs = NO_RANKS;

    /** The anchor rates of the current start token ({@link MarketIndex#anchorRates}). */
    double[] startRates = NO_RATES;

    double foldA;
    double foldB;
    double foldC;

    /** The profit bound {@link #passesBound} computed last. */
    double estimate;

    // paths that passed the bound after the first, to confirm best bound first
    int pendingCount;
    int[] pendingSlots = new int[64];
    int[] pendingTokens = new int[80];
    double[] pendingFold = new double[48];
    double[] pendingEstimate = new double[16];
    int[] order = new int[16];

    final List<Found> found = new ArrayList<>();

    /** Scratch of the exact confirmations' 128-bit arithmetic. */
    final WideSwapMath wide = new WideSwapMath();

    /** The opportunity ids' hash. */
    final MessageDigest digest = sha256();

    /** Groups to evaluate, each once. */
    final java.util.LinkedHashSet<Group> touched = new java.util.LinkedHashSet<>();

    // the routes of the group being evaluated (one way, or both ways round a cycle)
    final int[][] routeTokens = new int[2][5];
    final int[][] routePairs = new int[2][4];
    int directions;

    // branch and bound over the pools of each hop
    final double[] bestRate = new double[4];
    final double[] hopRates = new double[4];
    final double[] pre = new double[4];
    final double[] post = new double[4];
    final int[][] candSlots = {NO_RANKS, NO_RANKS, NO_RANKS, NO_RANKS};
    final double[][] candBounds = {NO_RATES, NO_RATES, NO_RATES, NO_RATES};
    final int[] candCount = new int[4];

    // per candidate, in candSlots' order: reserve in, reserve out, fee factor, marginal rate
    final double[][] candX = {NO_RATES, NO_RATES, NO_RATES, NO_RATES};
    final double[][] candY = {NO_RATES, NO_RATES, NO_RATES, NO_RATES};
    final double[][] candGamma = {NO_RATES, NO_RATES, NO_RATES, NO_RATES};
    final double[][] candRate = {NO_RATES, NO_RATES, NO_RATES, NO_RATES};

    /** The position in its hop's candidates of each pool of the path in {@link #slots}. */
    final int[] positions = new int[4];

    /** The profit a path must reach to matter: the threshold, then the best exact so far. */
    double bound;

    Found best;

    /** Pools taken by the group's opportunities reported so far. */
    int[] excludedSlots = new int[8];

    int excludedCount;
    private Instant detectedAt;

    Run(MarketIndex index, int[] rank) {
      this.index = index;
      this.rank = rank;
    }

    void touch(Group group) {
      touched.add(group);
    }

    /** Route {@code d}: tokens t0..t(legs) (t(legs) = t0) and the pairs p(h) between them. */
    void setRoute(int d, int legs, int t0, int t1, int t2, int t3, int p0, int p1, int p2, int p3) {
      int[] t = routeTokens[d];
      int[] p = routePairs[d];
      t[0] = t0;
      t[1] = t1;
      t[2] = t2;
      t[3] = t3;
      t[legs] = t0;
      p[0] = p0;
      p[1] = p1;
      p[2] = p2;
      p[3] = p3;
    }

    /** Sets the path in {@link #slots} and {@link #tokens} aside, with its fold and bound. */
    void pend(int legs) {
      int n = pendingCount;
      if (n == pendingEstimate.length) {
        pendingSlots = Arrays.copyOf(pendingSlots, 2 * n * 4);
        pendingTokens = Arrays.copyOf(pendingTokens, 2 * n * 5);
        pendingFold = Arrays.copyOf(pendingFold, 2 * n * 3);
        pendingEstimate = Arrays.copyOf(pendingEstimate, 2 * n);
      }
      System.arraycopy(slots, 0, pendingSlots, n * 4, legs);
      System.arraycopy(tokens, 0, pendingTokens, n * 5, legs + 1);
      pendingFold[n * 3] = foldA;
      pendingFold[n * 3 + 1] = foldB;
      pendingFold[n * 3 + 2] = foldC;
      pendingEstimate[n] = estimate;
      pendingCount = n + 1;
    }

    /** Puts pending path {@code i} back into {@link #slots}, {@link #tokens} and the fold. */
    void restore(int i, int legs) {
      System.arraycopy(pendingSlots, i * 4, slots, 0, legs);
      System.arraycopy(pendingTokens, i * 5, tokens, 0, legs + 1);
      foldA = pendingFold[i * 3];
      foldB = pendingFold[i * 3 + 1];
      foldC = pendingFold[i * 3 + 2];
    }

    /** 0..n-1, in a scratch array. */
    int[] pendingOrder(int n) {
      if (order.length < n) {
        order = new int[pendingEstimate.length];
      }
      for (int i = 0; i < n; i++) {
        order[i] = i;
      }
      return order;
    }

    void ensureCandidates(int h, int count) {
      if (candSlots[h].length < count) {
        int size = Math.max(16, Integer.highestOneBit(count - 1) << 1);
        candSlots[h] = new int[size];
        candBounds[h] = new double[size];
        candX[h] = new double[size];
        candY[h] = new double[size];
        candGamma[h] = new double[size];
        candRate[h] = new double[size];
      }
    }

    void exclude(int slot) {
      if (excludedCount == excludedSlots.length) {
        excludedSlots = Arrays.copyOf(excludedSlots, excludedCount * 2);
      }
      excludedSlots[excludedCount++] = slot;
    }

    boolean excluded(int slot) {
      for (int i = 0; i < excludedCount; i++) {
        if (excludedSlots[i] == slot) {
          return true;
        }
      }
      return false;
    }

    void reset(int[] ranks) {
      rank = ranks;
      found.clear();
      touched.clear();
      detectedAt = null;
    }

    /** Read once per scan, and only when something is found. */
    Instant detectedAt() {
      if (detectedAt == null) {
        detectedAt = clock.instant();
      }
      return detectedAt;
    }
  }

  private record Found(Opportunity opportunity, int[] slots, Group group) {}

  private static final class BookEntry {
    final Opportunity opportunity;
    final int[] slots;
    final Group group;

    BookEntry(Opportunity opportunity, int[] slots, Group group) {
      this.opportunity = opportunity;
      this.slots = slots;
      this.group = group;
    }
  }
}
