package io.rehoboam.core.scan.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Exact two-hop aggregates that let an update of a pool between a start token and a hub token skip
 * the hub's thousands of neighbours when no triangle through it can pay.
 *
 * <p>For start token s and hub token o (a token in at least {@value #HUB_PAIRS} pairs):
 *
 * <ul>
 *   <li>{@code back(s, o) = max over w of maxRate(o -> w) * maxRate(w -> s)}: the best way back to
 *       s in two hops, which caps every triangle s -> o -> w -> s at {@code rate(s -> o) * back};
 *   <li>{@code fwd(s, o) = max over w of maxRate(s -> w) * maxRate(w -> o)}, which caps every
 *       triangle s -> w -> o -> s at {@code fwd * rate(o -> s)}.
 * </ul>
 *
 * <p>Both are kept exact (over the pairs' best rates) as pairs change: a change of pair o-w updates
 * one term of each hub among o and w; a change of pair w-s updates one term of each hub next to w,
 * found through a per-token list of pairs to hubs (so the fan-out is the number of hub neighbours,
 * not the degree). Each aggregate remembers which pair gives it, and only when that term gets worse
 * is the hub recomputed over its pairs, 1/degree of its updates on average. Single-writer, like the
 * index.
 */
final class HubBounds {
  /** A token in this many pairs or more is a hub. */
  static final int HUB_PAIRS = 32;

  private final MarketIndex index;
  private boolean[] hub = new boolean[0];
  private int[][] pairsToHubs = new int[0][];
  private int[] pairsToHubsCount = new int[0];
  private int knownPairs;
  private final List<Start> starts = new ArrayList<>();

  private static final int ROW = 4;
  private static final int BACK = 0;
  private static final int FWD = 1;
  private static final int BACK_ARG = 2;
  private static final int FWD_ARG = 3;

  /**
   * The aggregates of one start token: per hub a row of four longs (back and fwd as double bits,
   * the pairs giving them), so that updating a hub's terms touches one place.
   */
  static final class Start {
    final int token;
    long[] rows = new long[0];

    Start(int token) {
      this.token = token;
    }

    double back(int hub) {
      return Double.longBitsToDouble(rows[hub * ROW + BACK]);
    }

    double fwd(int hub) {
      return Double.longBitsToDouble(rows[hub * ROW + FWD]);
    }
  }

  HubBounds(MarketIndex index) {
    this.index = index;
    syncPairs();
  }

  boolean isHub(int token) {
    return token < hub.length && hub[token];
  }

  /** The aggregates for a start token, computed from the current state on first use. */
  Start forStart(int token) {
    for (Start start : starts) {
      if (start.token == token) {
        return start;
      }
    }
    Start start = new Start(token);
    starts.add(start);
    for (int t = 0; t < hub.length; t++) {
      if (hub[t]) {
        recompute(start, t);
      }
    }
    return start;
  }

  /** Upper bound of {@code maxRate(o -> w) * maxRate(w -> s)} over w, exact; 0 if none. */
  static double back(Start start, int hubToken) {
    return hubToken * ROW < start.rows.length ? start.back(hubToken) : 0;
  }

  /** Upper bound of {@code maxRate(s -> w) * maxRate(w -> o)} over w, exact; 0 if none. */
  static double fwd(Start start, int hubToken) {
    return hubToken * ROW < start.rows.length ? start.fwd(hubToken) : 0;
  }

  /** Call after every change of a pair's pools (new pair, pool moved, added or removed). */
  void pairChanged(int pair) {
    syncPairs();
    int u = index.pairTokenA(pair);
    int v = index.pairTokenB(pair);
    for (Start start : starts) {
      int s = start.token;
      if (u == s || v == s) {
        int w = u == s ? v : u;
        int[] toHubs = w < pairsToHubs.length ? pairsToHubs[w] : null;
        for (int i = 0; toHubs != null && i < pairsToHubsCount[w]; i++) {
          int q = toHubs[i];
          int o = index.otherToken(q, w);
          if (o != s) {
            updateTerm(start, o, q);
          }
        }
      } else {
        if (isHub(u)) {
          updateTerm(start, u, pair);
        }
        if (isHub(v)) {
          updateTerm(start, v, pair);
        }
      }
    }
  }

  /** Registers pairs created since the last call and promotes tokens that became hubs. */
  private void syncPairs() {
    int pairs = index.pairCount;
    if (knownPairs == pairs) {
      return;
    }
    growTokens(index.tokenCount);
    for (int pair = knownPairs; pair < pairs; pair++) {
      int u = index.pairTokenA(pair);
      int v = index.pairTokenB(pair);
      if (hub[u]) {
        linkToHub(v, pair);
      }
      if (hub[v]) {
        linkToHub(u, pair);
      }
      if (!hub[u] && index.tokenPairCount[u] >= HUB_PAIRS) {
        promote(u);
      }
      if (!hub[v] && index.tokenPairCount[v] >= HUB_PAIRS) {
        promote(v);
      }
    }
    knownPairs = pairs;
  }

  private void promote(int token) {
    hub[token] = true;
    int[] pairs = index.tokenPairs[token];
    for (int i = 0; i < index.tokenPairCount[token]; i++) {
      linkToHub(index.otherToken(pairs[i], token), pairs[i]);
    }
    for (Start start : starts) {
      recompute(start, token);
    }
  }

  private void linkToHub(int token, int pair) {
    int count = pairsToHubsCount[token];
    int[] list = pairsToHubs[token];
    if (list == null || count == list.length) {
      list = list == null ? new int[2] : Arrays.copyOf(list, count * 2);
      pairsToHubs[token] = list;
    }
    list[count] = pair;
    pairsToHubsCount[token] = count + 1;
  }

  private void growTokens(int tokens) {
    if (tokens > hub.length) {
      int capacity = Math.max(16, Math.max(tokens, hub.length + (hub.length >> 1)));
      hub = Arrays.copyOf(hub, capacity);
      pairsToHubs = Arrays.copyOf(pairsToHubs, capacity);
      pairsToHubsCount = Arrays.copyOf(pairsToHubsCount, capacity);
    }
  }

  private void updateTerm(Start start, int o, int q) {
    ensure(start, o);
    int w = index.otherToken(q, o);
    double termBack = 0;
    double termFwd = 0;
    if (w != start.token) {
      int closing = index.anchorPairs(start.token)[w];
      if (closing >= 0) {
        termBack = index.maxRateFrom(q, o) * index.maxRateFrom(closing, w);
        termFwd = index.maxRateFrom(closing, start.token) * index.maxRateFrom(q, w);
      }
    }
    long[] rows = start.rows;
    int at = o * ROW;
    if (termBack >= Double.longBitsToDouble(rows[at + BACK])) {
      rows[at + BACK] = Double.doubleToRawLongBits(termBack);
      rows[at + BACK_ARG] = q;
    } else if (rows[at + BACK_ARG] == q) {
      recompute(start, o);
      return;
    }
    if (termFwd >= Double.longBitsToDouble(rows[at + FWD])) {
      rows[at + FWD] = Double.doubleToRawLongBits(termFwd);
      rows[at + FWD_ARG] = q;
    } else if (rows[at + FWD_ARG] == q) {
      recompute(start, o);
    }
  }

  private void recompute(Start start, int o) {
    ensure(start, o);
    int s = start.token;
    int[] closingPairs = index.anchorPairs(s);
    double bestBack = 0;
    double bestFwd = 0;
    int argBack = -1;
    int argFwd = -1;
    int[] pairs = index.tokenPairs[o];
    for (int i = 0; i < index.tokenPairCount[o]; i++) {
      int q = pairs[i];
      int w = index.otherToken(q, o);
      if (w == s) {
        continue;
      }
      int closing = closingPairs[w];
      if (closing < 0) {
        continue;
      }
      double termBack = index.maxRateFrom(q, o) * index.maxRateFrom(closing, w);
      double termFwd = index.maxRateFrom(closing, s) * index.maxRateFrom(q, w);
      if (termBack > bestBack || argBack < 0) {
        bestBack = termBack;
        argBack = q;
      }
      if (termFwd > bestFwd || argFwd < 0) {
        bestFwd = termFwd;
        argFwd = q;
      }
    }
    int at = o * ROW;
    start.rows[at + BACK] = Double.doubleToRawLongBits(bestBack);
    start.rows[at + FWD] = Double.doubleToRawLongBits(bestFwd);
    start.rows[at + BACK_ARG] = argBack;
    start.rows[at + FWD_ARG] = argFwd;
  }

  private void ensure(Start start, int token) {
    if (token * ROW >= start.rows.length) {
      int capacity = Math.max(16, Math.max(token + 1, index.tokenAddress.length));
      int old = start.rows.length;
      start.rows = Arrays.copyOf(start.rows, capacity * ROW);
      for (int at = old; at < start.rows.length; at += ROW) {
        start.rows[at + BACK_ARG] = -1;
        start.rows[at + FWD_ARG] = -1;
      }
    }
  }
}
