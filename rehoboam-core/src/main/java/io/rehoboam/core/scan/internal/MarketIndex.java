package io.rehoboam.core.scan.internal;

import io.rehoboam.spi.market.Pool;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The market as primitive arrays: pools live in int slots, tokens and token pairs get dense int
 * ids, and every number the scan loops read sits in a primitive array.
 *
 * <p>Layout, chosen for the two hot paths. A full cross-venue scan streams one dense {@code
 * double[]} ({@link #pairScreen}, 8 bytes per pair). An update reads and writes one pool and one
 * pair at random places of a large market, so what it needs of each sits together: a row of eight
 * longs per slot (reserves and rates as double bits, fee factor, sequence, orientation and fee,
 * chain), a row of eight references per slot (the pool and the id, dex, address and token strings
 * an update is matched against, so that matching never reads the stored pool object), a row of
 * eight longs per pair (tokens, best rates each way and which pools give them, pool count), and the
 * pair of each slot in a small int array, so that the pair's row can be fetched while the slot's
 * rows are still on their way; pool ids map to slots through one flat hash array. A handful of
 * cache lines per update, fetched as much in parallel as their dependencies allow; on a market
 * larger than the cache, each of them is a trip to memory and they are most of an update's cost.
 *
 * <p>A pair orients its two tokens by address: token A has the smaller address. Per pool the index
 * keeps its reserves as doubles in that orientation and its marginal rates after the fee ({@code
 * rateAB = gamma * reserveB / reserveA}, the other way round for {@code rateBA}; both 0 when a
 * reserve is 0, since such a pool cannot trade). Per pair it keeps the best rate each way over its
 * pools and their product {@code pairScreen}: no ordered pair of the pair's pools can be profitable
 * unless {@code pairScreen > 1}.
 *
 * <p>Single-writer; not thread-safe. Public for the scan loops of this package tree only.
 */
public final class MarketIndex implements SlotMap.Ids {
  private static final int[] NO_INTS = new int[0];

  /** A warm-up reads the pairs of a token with at most this many (a hub's are bounded anyway). */
  private static final int WARM_MAX_DEGREE = 16;

  private static final int ROW = 8;

  // slot row
  private static final int RESERVE_A = 0;
  private static final int RESERVE_B = 1;
  private static final int RATE_AB = 2;
  private static final int RATE_BA = 3;
  private static final int GAMMA = 4;
  private static final int SEQUENCE = 5;

  /**
   * Whether token0 is the pair's token B (bit 0) and the fee (bits 1+); the pair is in slotPair.
   */
  private static final int SHAPE = 6;

  private static final int CHAIN = 7;
  private static final long FLIPPED_BIT = 1L;
  private static final int FEE_SHIFT = 1;

  // slot refs: the pool and the strings an update is matched against, together in one place
  private static final int REFS = 8;
  private static final int POOL = 0;
  private static final int ID = 1;
  private static final int DEX = 2;
  private static final int ADDRESS = 3;
  private static final int TOKEN0 = 4;
  private static final int TOKEN1 = 5;

  // pair row
  private static final int TOKENS = 0;
  private static final int MAX_AB = 1;
  private static final int MAX_BA = 2;
  private static final int BEST = 3;
  private static final int COUNT = 4;

  // tokens
  public int tokenCount;
  public String[] tokenAddress;
  public int[][] tokenPairs;
  public int[] tokenPairCount;
  private final StringIntMap tokenIds;
  private final Map<String, int[]> tokensByAddress = new HashMap<>();

  // pairs
  public int pairCount;

  /** Per pair: best rate A to B times best rate B to A when it has two pools or more, else 0. */
  public double[] pairScreen;

  private long[] pairRows;
  private int[][] pairPools;
  private final LongIntMap pairIds;

  // pools, by slot
  public int slotLimit;
  public int poolCount;
  private Object[] slotRefs;
  private long[] slotRows;

  /** The pair of each slot, also in the slot row: a small array an update can read early. */
  private int[] slotPair;

  private int[] positionInPair;
  private final SlotMap slots;
  private int[] freeSlots = NO_INTS;
  private int freeCount;

  public long sequence;

  // anchors: tokens (the scan's start tokens) whose pair with any other token is one array read,
  // and whose best rates with any other token are one read of a compact array: an update screens
  // the cycles through its pool without touching the (cold) rows of the pairs that close them
  private int[] anchorTokens = NO_INTS;
  private int[][] anchorPairArrays = new int[0][];
  private double[][] anchorRateArrays = new double[0][];

  public MarketIndex(int expectedPools) {
    int pools = Math.max(16, expectedPools);
    int tokens = Math.max(16, pools / 4);
    tokenAddress = new String[tokens];
    tokenPairs = new int[tokens][];
    tokenPairCount = new int[tokens];
    tokenIds = new StringIntMap(tokens);
    pairScreen = new double[pools];
    pairRows = new long[pools * ROW];
    pairPools = new int[pools][];
    pairIds = new LongIntMap(pools);
    slotRefs = new Object[pools * REFS];
    slotRows = new long[pools * ROW];
    slotPair = new int[pools];
    positionInPair = new int[pools];
    slots = new SlotMap(pools);
  }

  // ---------------------------------------------------------------- reads

  /** The slot of a pool id, or -1. */
  public int slotOf(String poolId) {
    return slots.get(poolId, this);
  }

  @Override
  public boolean holds(int slot, String id) {
    Object held = slotRefs[slot * REFS + ID];
    return held == id || id.equals(held);
  }

  /** The pool in a slot (null when the slot is free). */
  public Pool pool(int slot) {
    return (Pool) slotRefs[slot * REFS + POOL];
  }

  public double reserveA(int slot) {
    return Double.longBitsToDouble(slotRows[slot * ROW + RESERVE_A]);
  }

  public double reserveB(int slot) {
    return Double.longBitsToDouble(slotRows[slot * ROW + RESERVE_B]);
  }

  /** Marginal rate from token A to token B after the fee; 0 when the pool cannot trade. */
  public double rateAB(int slot) {
    return Double.longBitsToDouble(slotRows[slot * ROW + RATE_AB]);
  }

  /** Marginal rate from token B to token A after the fee; 0 when the pool cannot trade. */
  public double rateBA(int slot) {
    return Double.longBitsToDouble(slotRows[slot * ROW + RATE_BA]);
  }

  /** The fee factor {@code (10000 - fee) / 10000}. */
  public double gamma(int slot) {
    return Double.longBitsToDouble(slotRows[slot * ROW + GAMMA]);
  }

  /** The sequence of the update that last set this pool. */
  public long poolSequence(int slot) {
    return slotRows[slot * ROW + SEQUENCE];
  }

  public int poolPair(int slot) {
    return slotPair[slot];
  }

  /** True when the pool's token0 is its pair's token B. */
  public boolean poolFlipped(int slot) {
    return (slotRows[slot * ROW + SHAPE] & FLIPPED_BIT) != 0;
  }

  public int pairTokenA(int pair) {
    return (int) pairRows[pair * ROW + TOKENS];
  }

  public int pairTokenB(int pair) {
    return (int) (pairRows[pair * ROW + TOKENS] >>> 32);
  }

  public int pairPoolCount(int pair) {
    return (int) pairRows[pair * ROW + COUNT];
  }

  /** The slots of the pair's pools; the first {@link #pairPoolCount} entries are valid. */
  public int[] pairPools(int pair) {
    return pairPools[pair];
  }

  /** The other token of a pair. */
  public int otherToken(int pair, int token) {
    long tokens = pairRows[pair * ROW + TOKENS];
    int a = (int) tokens;
    return a == token ? (int) (tokens >>> 32) : a;
  }

  /** Rate of swapping out of {@code tokenIn} on the pool in {@code slot}. */
  public double rateFrom(int slot, int tokenIn) {
    long[] rows = slotRows;
    int at = slot * ROW;
    int pair = slotPair[slot];
    boolean fromA = (int) pairRows[pair * ROW + TOKENS] == tokenIn;
    return Double.longBitsToDouble(rows[at + (fromA ? RATE_AB : RATE_BA)]);
  }

  /** The best rate from token A to token B over the pools of a pair (0 when none can trade). */
  public double maxRateAB(int pair) {
    return Double.longBitsToDouble(pairRows[pair * ROW + MAX_AB]);
  }

  /** The best rate from token B to token A over the pools of a pair (0 when none can trade). */
  public double maxRateBA(int pair) {
    return Double.longBitsToDouble(pairRows[pair * ROW + MAX_BA]);
  }

  /** The best rate out of {@code tokenIn} over the pools of a pair. */
  public double maxRateFrom(int pair, int tokenIn) {
    long[] rows = pairRows;
    int at = pair * ROW;
    boolean fromA = (int) rows[at + TOKENS] == tokenIn;
    return Double.longBitsToDouble(rows[at + (fromA ? MAX_AB : MAX_BA)]);
  }

  /** The pair of two token ids, or -1 when no pool ever joined them. */
  public int pairOf(int token1, int token2) {
    return pairIds.get(pairKey(token1, token2));
  }

  /** The token ids with this lower-case address (one per chain). */
  public int[] tokensWithAddress(String address) {
    int[] tokens = tokensByAddress.get(address);
    return tokens == null ? NO_INTS : tokens;
  }

  /** The token id of an address on a chain, or -1. */
  public int tokenOf(long chainId, String address) {
    return tokenIds.get(tokenKey(chainId, address));
  }

  /**
   * For an anchor token, the pair it forms with each token id (-1 when none), kept current from
   * then on. The first call for a token registers it as an anchor. The array may be replaced as
   * tokens are added: fetch it again after an update instead of keeping it.
   */
  public int[] anchorPairs(int anchor) {
    for (int h = 0; h < anchorTokens.length; h++) {
      if (anchorTokens[h] == anchor) {
        return anchorPairArrays[h];
      }
    }
    int[] pairs = pairsWith(anchor, tokenAddress.length);
    double[] rates = new double[2 * pairs.length];
    for (int token = 0; token < tokenCount; token++) {
      if (pairs[token] >= 0) {
        rates[2 * token] = maxRateFrom(pairs[token], anchor);
        rates[2 * token + 1] = maxRateFrom(pairs[token], token);
      }
    }
    int h = anchorTokens.length;
    anchorTokens = Arrays.copyOf(anchorTokens, h + 1);
    anchorTokens[h] = anchor;
    anchorPairArrays = Arrays.copyOf(anchorPairArrays, h + 1);
    anchorPairArrays[h] = pairs;
    anchorRateArrays = Arrays.copyOf(anchorRateArrays, h + 1);
    anchorRateArrays[h] = rates;
    return pairs;
  }

  /**
   * For an anchor token (registered by {@link #anchorPairs}), the best rates of its pair with each
   * token id, interleaved: {@code [2t]} from the anchor to token t, {@code [2t + 1]} from t to the
   * anchor; both 0 when there is no such pair or none of its pools can trade. Kept current like
   * {@link #anchorPairs}, with the same values as {@link #maxRateFrom}; fetch it again after an
   * update instead of keeping it.
   *
   * @throws IllegalStateException if {@code anchor} was not registered
   */
  public double[] anchorRates(int anchor) {
    for (int h = 0; h < anchorTokens.length; h++) {
      if (anchorTokens[h] == anchor) {
        return anchorRateArrays[h];
      }
    }
    throw new IllegalStateException("token " + anchor + " is not an anchor");
  }

  /** A fresh array: the pair {@code token} forms with each token id, -1 when none. */
  public int[] pairsWith(int token, int length) {
    int[] pairs = new int[Math.max(length, tokenCount)];
    Arrays.fill(pairs, -1);
    for (int i = 0; i < tokenPairCount[token]; i++) {
      int pair = tokenPairs[token][i];
      pairs[otherToken(pair, token)] = pair;
    }
    return pairs;
  }

  /** Every live pool, in slot order. */
  public List<Pool> pools() {
    List<Pool> pools = new ArrayList<>(poolCount);
    for (int slot = 0; slot < slotLimit; slot++) {
      Pool p = pool(slot);
      if (p != null) {
        pools.add(p);
      }
    }
    return pools;
  }

  /**
   * Reads what updates to these pools will read (the new pools' ids and reserves, the id table, the
   * slot rows, the pair rows), in passes over the whole batch, so that on a market larger than the
   * cache the trips to memory of different updates overlap instead of following one another.
   * Changes nothing.
   *
   * @param pools the pools of a batch of updates
   * @param count how many of {@code pools} to read
   * @param slots scratch, at least {@code count} long
   * @return a value derived from everything read, so that no read can be skipped
   */
  public long warm(Pool[] pools, int count, int[] slots) {
    long seen = 0;
    for (int i = 0; i < count; i++) {
      Pool p = pools[i];
      seen += p.id().hashCode() + p.reserve0().bitLength() + p.reserve1().bitLength();
    }
    for (int i = 0; i < count; i++) {
      slots[i] = slotOf(pools[i].id());
    }
    for (int i = 0; i < count; i++) {
      int slot = slots[i];
      if (slot >= 0) {
        // both ends of the row: with the array header in front, a row can span two cache lines
        seen += slotRows[slot * ROW + RATE_AB] + slotRows[slot * ROW + CHAIN] + slotPair[slot];
      }
    }
    for (int i = 0; i < count; i++) {
      int slot = slots[i];
      if (slot >= 0) {
        seen += pairRows[slotPair[slot] * ROW + MAX_AB];
      }
    }
    if (anchorTokens.length == 0) {
      return seen;
    }
    // a pool of an anchor (start token) and token o: its triangles read the rows of o's pairs
    for (int i = 0; i < count; i++) {
      int slot = slots[i];
      if (slot < 0) {
        continue;
      }
      long tokens = pairRows[slotPair[slot] * ROW + TOKENS];
      int o = anchorTokenIn((int) tokens) ? (int) (tokens >>> 32) : (int) tokens;
      if (o != (int) tokens || anchorTokenIn((int) (tokens >>> 32))) {
        int[] pairs = tokenPairs[o];
        int degree = Math.min(tokenPairCount[o], WARM_MAX_DEGREE);
        for (int k = 0; k < degree; k++) {
          seen += pairRows[pairs[k] * ROW + TOKENS];
        }
      }
    }
    return seen;
  }

  private boolean anchorTokenIn(int token) {
    for (int anchor : anchorTokens) {
      if (anchor == token) {
        return true;
      }
    }
    return false;
  }

  // ---------------------------------------------------------------- writes

  /**
   * Adds or replaces a pool. When the pool's tokens, chain, dex or fee changed, it is re-indexed
   * (its slot may change).
   *
   * @return the pool's slot
   */
  public int upsert(Pool newPool, long updateSequence) {
    return upsert(slotOf(newPool.id()), newPool, updateSequence);
  }

  /**
   * {@link #upsert(Pool, long)} when the caller already looked up the pool's slot.
   *
   * @param slot the pool's current slot ({@link #slotOf}), or -1 when it is new
   */
  public int upsert(int slot, Pool newPool, long updateSequence) {
    if (slot >= 0) {
      if (sameShape(slot, newPool)) {
        slotRefs[slot * REFS + POOL] = newPool;
        slotRows[slot * ROW + SEQUENCE] = updateSequence;
        setReserves(slot, newPool);
        poolMoved(poolPair(slot), slot);
        advance(updateSequence);
        return slot;
      }
      remove(slot, updateSequence);
    }
    slot = allocateSlot();
    int token0 = internToken(newPool.chainId(), newPool.token0());
    int token1 = internToken(newPool.chainId(), newPool.token1());
    int pair = internPair(token0, token1);
    int refs = slot * REFS;
    slotRefs[refs + POOL] = newPool;
    slotRefs[refs + ID] = newPool.id();
    slotRefs[refs + DEX] = newPool.dex();
    slotRefs[refs + ADDRESS] = newPool.address();
    slotRefs[refs + TOKEN0] = newPool.token0();
    slotRefs[refs + TOKEN1] = newPool.token1();
    boolean flipped = pairTokenA(pair) != token0;
    slotPair[slot] = pair;
    slotRows[slot * ROW + SHAPE] =
        (flipped ? FLIPPED_BIT : 0) | ((long) newPool.feeBps() << FEE_SHIFT);
    slotRows[slot * ROW + CHAIN] = newPool.chainId();
    slotRows[slot * ROW + SEQUENCE] = updateSequence;
    setReserves(slot, newPool);
    int count = pairPoolCount(pair);
    int[] members = pairPools[pair];
    if (count == members.length) {
      members = Arrays.copyOf(members, Math.max(4, count * 2));
      pairPools[pair] = members;
    }
    members[count] = slot;
    positionInPair[slot] = count;
    pairRows[pair * ROW + COUNT] = count + 1;
    slots.put(newPool.id(), slot);
    poolCount++;
    poolMoved(pair, slot);
    advance(updateSequence);
    return slot;
  }

  /**
   * Removes a pool.
   *
   * @return the slot it had, or -1 when unknown
   */
  public int remove(String poolId, long updateSequence) {
    int slot = slotOf(poolId);
    if (slot >= 0) {
      remove(slot, updateSequence);
    }
    return slot;
  }

  private void remove(int slot, long updateSequence) {
    slots.remove(slotRefs[slot * REFS + ID].hashCode(), slot);
    int pair = poolPair(slot);
    int position = positionInPair[slot];
    int last = pairPoolCount(pair) - 1;
    int[] members = pairPools[pair];
    int moved = members[last];
    members[position] = moved;
    positionInPair[moved] = position;
    pairRows[pair * ROW + COUNT] = last;
    Arrays.fill(slotRefs, slot * REFS, slot * REFS + REFS, null);
    Arrays.fill(slotRows, slot * ROW, slot * ROW + ROW, 0L);
    slotPair[slot] = -1;
    if (freeCount == freeSlots.length) {
      freeSlots = Arrays.copyOf(freeSlots, Math.max(16, freeCount * 2));
    }
    freeSlots[freeCount++] = slot;
    poolCount--;
    long best = pairRows[pair * ROW + BEST];
    if ((int) best == slot || (int) (best >>> 32) == slot) {
      refreshPair(pair);
    } else {
      updateScreen(pair);
    }
    advance(updateSequence);
  }

  private void advance(long updateSequence) {
    if (updateSequence > sequence) {
      sequence = updateSequence;
    }
  }

  /**
   * True when {@code p} has the tokens, chain, dex, address and fee of the pool in {@code slot}.
   * Reads the slot's rows, not the stored pool: an update usually carries the same string instances
   * (a pool's {@code withReserves}), which compare by reference.
   */
  private boolean sameShape(int slot, Pool p) {
    Object[] refs = slotRefs;
    int at = slot * REFS;
    long shape = slotRows[slot * ROW + SHAPE];
    return slotRows[slot * ROW + CHAIN] == p.chainId()
        && (int) (shape >>> FEE_SHIFT) == p.feeBps()
        && same(refs[at + TOKEN0], p.token0())
        && same(refs[at + TOKEN1], p.token1())
        && same(refs[at + DEX], p.dex())
        && same(refs[at + ADDRESS], p.address());
  }

  private static boolean same(Object held, String value) {
    return held == value || value.equals(held);
  }

  private void setReserves(int slot, Pool p) {
    double r0 = p.reserve0().doubleValue();
    double r1 = p.reserve1().doubleValue();
    int at = slot * ROW;
    long[] rows = slotRows;
    boolean flipped = (rows[at + SHAPE] & FLIPPED_BIT) != 0;
    double a = flipped ? r1 : r0;
    double b = flipped ? r0 : r1;
    double g = (10_000 - p.feeBps()) / 10_000.0;
    boolean trades = a > 0 && b > 0;
    rows[at + RESERVE_A] = Double.doubleToRawLongBits(a);
    rows[at + RESERVE_B] = Double.doubleToRawLongBits(b);
    rows[at + RATE_AB] = Double.doubleToRawLongBits(trades ? g * b / a : 0);
    rows[at + RATE_BA] = Double.doubleToRawLongBits(trades ? g * a / b : 0);
    rows[at + GAMMA] = Double.doubleToRawLongBits(g);
  }

  /**
   * Keeps the pair's best rates after one pool's rates changed: O(1) unless that pool was the best
   * one way and got worse, which costs a pass over the pair (1/k of the updates of a k-pool pair).
   */
  private void poolMoved(int pair, int slot) {
    double ab = rateAB(slot);
    double ba = rateBA(slot);
    long[] rows = pairRows;
    int at = pair * ROW;
    long best = rows[at + BEST];
    int bestAB = (int) best;
    int bestBA = (int) (best >>> 32);
    boolean stale = false;
    if (ab >= Double.longBitsToDouble(rows[at + MAX_AB])) {
      rows[at + MAX_AB] = Double.doubleToRawLongBits(ab);
      bestAB = slot;
    } else {
      stale = bestAB == slot;
    }
    if (ba >= Double.longBitsToDouble(rows[at + MAX_BA])) {
      rows[at + MAX_BA] = Double.doubleToRawLongBits(ba);
      bestBA = slot;
    } else {
      stale |= bestBA == slot;
    }
    if (stale) {
      refreshPair(pair);
    } else {
      rows[at + BEST] = (bestAB & 0xFFFF_FFFFL) | ((long) bestBA << 32);
      updateScreen(pair);
    }
  }

  /** After a pair's best rates or pool count changed: its screen value and anchor rates. */
  private void updateScreen(int pair) {
    int at = pair * ROW;
    double maxAB = Double.longBitsToDouble(pairRows[at + MAX_AB]);
    double maxBA = Double.longBitsToDouble(pairRows[at + MAX_BA]);
    pairScreen[pair] = pairRows[at + COUNT] >= 2 ? maxAB * maxBA : 0;
    int[] anchors = anchorTokens;
    if (anchors.length > 0) {
      long tokens = pairRows[at + TOKENS];
      int a = (int) tokens;
      int b = (int) (tokens >>> 32);
      for (int h = 0; h < anchors.length; h++) {
        if (anchors[h] == a) {
          anchorRateArrays[h][2 * b] = maxAB;
          anchorRateArrays[h][2 * b + 1] = maxBA;
        } else if (anchors[h] == b) {
          anchorRateArrays[h][2 * a] = maxBA;
          anchorRateArrays[h][2 * a + 1] = maxAB;
        }
      }
    }
  }

  private void refreshPair(int pair) {
    int count = pairPoolCount(pair);
    int[] members = pairPools[pair];
    double maxAB = 0;
    double maxBA = 0;
    int bestAB = -1;
    int bestBA = -1;
    for (int i = 0; i < count; i++) {
      int slot = members[i];
      double ab = rateAB(slot);
      double ba = rateBA(slot);
      if (bestAB < 0 || ab > maxAB) {
        maxAB = ab;
        bestAB = slot;
      }
      if (bestBA < 0 || ba > maxBA) {
        maxBA = ba;
        bestBA = slot;
      }
    }
    int at = pair * ROW;
    pairRows[at + MAX_AB] = Double.doubleToRawLongBits(maxAB);
    pairRows[at + MAX_BA] = Double.doubleToRawLongBits(maxBA);
    pairRows[at + BEST] = (bestAB & 0xFFFF_FFFFL) | ((long) bestBA << 32);
    updateScreen(pair);
  }

  private int allocateSlot() {
    if (freeCount > 0) {
      return freeSlots[--freeCount];
    }
    int slot = slotLimit;
    if (slot == slotPair.length) {
      int capacity = Math.max(16, slot + (slot >> 1));
      slotRefs = Arrays.copyOf(slotRefs, capacity * REFS);
      slotPair = Arrays.copyOf(slotPair, capacity);
      slotRows = Arrays.copyOf(slotRows, capacity * ROW);
      positionInPair = Arrays.copyOf(positionInPair, capacity);
    }
    slotLimit = slot + 1;
    return slot;
  }

  private int internToken(long chainId, String address) {
    String key = tokenKey(chainId, address);
    int token = tokenIds.get(key);
    if (token >= 0) {
      return token;
    }
    token = tokenCount;
    if (token == tokenAddress.length) {
      int capacity = token + (token >> 1);
      tokenAddress = Arrays.copyOf(tokenAddress, capacity);
      tokenPairs = Arrays.copyOf(tokenPairs, capacity);
      tokenPairCount = Arrays.copyOf(tokenPairCount, capacity);
      for (int h = 0; h < anchorPairArrays.length; h++) {
        int[] grown = Arrays.copyOf(anchorPairArrays[h], capacity);
        Arrays.fill(grown, token, capacity, -1);
        anchorPairArrays[h] = grown;
        anchorRateArrays[h] = Arrays.copyOf(anchorRateArrays[h], 2 * capacity);
      }
    }
    tokenAddress[token] = address;
    tokenPairs[token] = NO_INTS;
    tokenCount = token + 1;
    tokenIds.put(key, token);
    int[] same = tokensByAddress.get(address);
    int[] grown = same == null ? new int[1] : Arrays.copyOf(same, same.length + 1);
    grown[grown.length - 1] = token;
    tokensByAddress.put(address, grown);
    return token;
  }

  private int internPair(int token0, int token1) {
    long key = pairKey(token0, token1);
    int pair = pairIds.get(key);
    if (pair >= 0) {
      return pair;
    }
    pair = pairCount;
    if (pair == pairScreen.length) {
      int capacity = pair + (pair >> 1);
      pairScreen = Arrays.copyOf(pairScreen, capacity);
      pairRows = Arrays.copyOf(pairRows, capacity * ROW);
      pairPools = Arrays.copyOf(pairPools, capacity);
    }
    boolean zeroFirst = tokenAddress[token0].compareTo(tokenAddress[token1]) < 0;
    int a = zeroFirst ? token0 : token1;
    int b = zeroFirst ? token1 : token0;
    int at = pair * ROW;
    pairRows[at + TOKENS] = (a & 0xFFFF_FFFFL) | ((long) b << 32);
    pairRows[at + MAX_AB] = 0;
    pairRows[at + MAX_BA] = 0;
    pairRows[at + BEST] = -1L;
    pairRows[at + COUNT] = 0;
    pairPools[pair] = NO_INTS;
    pairCount = pair + 1;
    pairIds.put(key, pair);
    linkTokenPair(token0, pair);
    linkTokenPair(token1, pair);
    for (int h = 0; h < anchorTokens.length; h++) {
      if (anchorTokens[h] == token0) {
        anchorPairArrays[h][token1] = pair;
      } else if (anchorTokens[h] == token1) {
        anchorPairArrays[h][token0] = pair;
      }
    }
    return pair;
  }

  private void linkTokenPair(int token, int pair) {
    int count = tokenPairCount[token];
    int[] pairs = tokenPairs[token];
    if (count == pairs.length) {
      pairs = Arrays.copyOf(pairs, Math.max(4, count * 2));
      tokenPairs[token] = pairs;
    }
    pairs[count] = pair;
    tokenPairCount[token] = count + 1;
  }

  private static long pairKey(int token1, int token2) {
    int low = Math.min(token1, token2);
    int high = Math.max(token1, token2);
    return ((long) low << 32) | high;
  }

  private static String tokenKey(long chainId, String address) {
    return chainId + ":" + address;
  }
}
