package io.rehoboam.core.scan.internal;

import io.rehoboam.spi.market.Pool;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The market as structure-of-arrays: pools live in int slots, tokens and token pairs get dense int
 * ids, and every per-pool number the hot loops read sits in a primitive array indexed by slot.
 *
 * <p>A pair orients its two tokens by address: token A has the smaller address. Per pool the index
 * keeps its reserves as doubles in that orientation and its marginal rates after the fee ({@code
 * rateAB = gamma * reserveB / reserveA}, the other way round for {@code rateBA}; both 0 when a
 * reserve is 0, since such a pool cannot trade). Per pair it keeps the best rate each way over its
 * pools and their product {@code pairScreen}: no ordered pair of the pair's pools can be profitable
 * unless {@code pairScreen > 1}, which lets a full cross-venue scan skip a pair with one read.
 *
 * <p>Fields are public for the scan loops in this package tree; nothing outside {@code
 * io.rehoboam.core.scan} touches them. Single-writer; not thread-safe.
 */
public final class MarketIndex {
  private static final int[] NO_INTS = new int[0];
  private static final int STRIDE = 4;

  // tokens
  public int tokenCount;
  public String[] tokenAddress;
  public long[] tokenChain;
  public int[][] tokenPairs;
  public int[] tokenPairCount;
  private final StringIntMap tokenIds;
  private final Map<String, int[]> tokensByAddress = new HashMap<>();

  // pairs
  public int pairCount;
  public int[] pairTokenA;
  public int[] pairTokenB;
  public int[][] pairPools;
  public int[] pairPoolCount;
  public double[] pairMaxAB;
  public double[] pairMaxBA;
  public double[] pairScreen;
  private int[] pairBestAB;
  private int[] pairBestBA;
  private final LongIntMap pairIds;

  // pools, by slot
  public int slotLimit;
  public int poolCount;
  public Pool[] pool;
  public int[] poolPair;
  public boolean[] poolFlipped;

  /**
   * Per slot, four doubles side by side (one cache line or two): reserve A, reserve B, rate A to B,
   * rate B to A; an update and a screen of one pool touch one place.
   */
  public double[] poolNumbers;

  public double[] gamma;
  public long[] poolSequence;
  private int[] positionInPair;
  private final StringIntMap poolIds;
  private int[] freeSlots = NO_INTS;
  private int freeCount;

  public long sequence;

  // hubs: tokens (the scan's start tokens) whose pair with any other token is one array read
  private int[] hubTokens = NO_INTS;
  private int[][] hubPairs = new int[0][];

  public MarketIndex(int expectedPools) {
    int pools = Math.max(16, expectedPools);
    int tokens = Math.max(16, pools / 4);
    tokenAddress = new String[tokens];
    tokenChain = new long[tokens];
    tokenPairs = new int[tokens][];
    tokenPairCount = new int[tokens];
    tokenIds = new StringIntMap(tokens);
    pairTokenA = new int[pools];
    pairTokenB = new int[pools];
    pairPools = new int[pools][];
    pairPoolCount = new int[pools];
    pairMaxAB = new double[pools];
    pairMaxBA = new double[pools];
    pairScreen = new double[pools];
    pairBestAB = new int[pools];
    pairBestBA = new int[pools];
    pairIds = new LongIntMap(pools);
    pool = new Pool[pools];
    poolPair = new int[pools];
    poolFlipped = new boolean[pools];
    poolNumbers = new double[pools * STRIDE];
    gamma = new double[pools];
    poolSequence = new long[pools];
    positionInPair = new int[pools];
    poolIds = new StringIntMap(pools);
  }

  /** The slot of a pool id, or -1. */
  public int slotOf(String poolId) {
    return poolIds.get(poolId);
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

  /**
   * For a hub token, the pair it forms with each token id (-1 when none), kept current from then
   * on. The first call for a token registers it as a hub. The array may be replaced as tokens are
   * added: fetch it again after an update instead of keeping it.
   */
  public int[] hubPairs(int hubToken) {
    for (int h = 0; h < hubTokens.length; h++) {
      if (hubTokens[h] == hubToken) {
        return hubPairs[h];
      }
    }
    int[] pairs = pairsWith(hubToken, tokenAddress.length);
    hubTokens = Arrays.copyOf(hubTokens, hubTokens.length + 1);
    hubTokens[hubTokens.length - 1] = hubToken;
    hubPairs = Arrays.copyOf(hubPairs, hubPairs.length + 1);
    hubPairs[hubPairs.length - 1] = pairs;
    return pairs;
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

  /** The token id of an address on a chain, or -1. */
  public int tokenOf(long chainId, String address) {
    return tokenIds.get(tokenKey(chainId, address));
  }

  /** The other token of a pair. */
  public int otherToken(int pair, int token) {
    return pairTokenA[pair] == token ? pairTokenB[pair] : pairTokenA[pair];
  }

  /**
   * Rate of swapping out of {@code tokenIn} on the pool in {@code slot}: the marginal output per
   * unit of input after the fee.
   */
  public double rateFrom(int slot, int tokenIn) {
    return pairTokenA[poolPair[slot]] == tokenIn ? rateAB(slot) : rateBA(slot);
  }

  public double reserveA(int slot) {
    return poolNumbers[slot * STRIDE];
  }

  public double reserveB(int slot) {
    return poolNumbers[slot * STRIDE + 1];
  }

  /** Marginal rate from token A to token B after the fee; 0 when the pool cannot trade. */
  public double rateAB(int slot) {
    return poolNumbers[slot * STRIDE + 2];
  }

  /** Marginal rate from token B to token A after the fee; 0 when the pool cannot trade. */
  public double rateBA(int slot) {
    return poolNumbers[slot * STRIDE + 3];
  }

  /** The best rate out of {@code tokenIn} over the pools of a pair. */
  public double maxRateFrom(int pair, int tokenIn) {
    return pairTokenA[pair] == tokenIn ? pairMaxAB[pair] : pairMaxBA[pair];
  }

  /** Reserve (as a double) of {@code token} in the pool in {@code slot}. */
  public double reserveOf(int slot, int token) {
    return pairTokenA[poolPair[slot]] == token ? reserveA(slot) : reserveB(slot);
  }

  /**
   * Adds or replaces a pool. When the pool's tokens, chain, dex or fee changed, it is re-indexed
   * (its slot may change).
   *
   * @return the pool's slot
   */
  public int upsert(Pool newPool, long updateSequence) {
    return upsert(poolIds.get(newPool.id()), newPool, updateSequence);
  }

  /**
   * {@link #upsert(Pool, long)} when the caller already looked up the pool's slot.
   *
   * @param slot the pool's current slot ({@link #slotOf}), or -1 when it is new
   */
  public int upsert(int slot, Pool newPool, long updateSequence) {
    if (slot >= 0) {
      Pool old = pool[slot];
      if (sameShape(old, newPool)) {
        pool[slot] = newPool;
        poolSequence[slot] = updateSequence;
        setReserves(slot, newPool);
        poolMoved(poolPair[slot], slot);
        advance(updateSequence);
        return slot;
      }
      remove(newPool.id(), updateSequence);
    }
    slot = allocateSlot();
    int token0 = internToken(newPool.chainId(), newPool.token0());
    int token1 = internToken(newPool.chainId(), newPool.token1());
    int pair = internPair(token0, token1);
    pool[slot] = newPool;
    poolPair[slot] = pair;
    poolFlipped[slot] = pairTokenA[pair] != token0;
    poolSequence[slot] = updateSequence;
    setReserves(slot, newPool);
    int count = pairPoolCount[pair];
    int[] members = pairPools[pair];
    if (count == members.length) {
      members = Arrays.copyOf(members, Math.max(4, count * 2));
      pairPools[pair] = members;
    }
    members[count] = slot;
    positionInPair[slot] = count;
    pairPoolCount[pair] = count + 1;
    poolIds.put(newPool.id(), slot);
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
    int slot = poolIds.remove(poolId);
    if (slot < 0) {
      return -1;
    }
    int pair = poolPair[slot];
    int position = positionInPair[slot];
    int last = pairPoolCount[pair] - 1;
    int[] members = pairPools[pair];
    int moved = members[last];
    members[position] = moved;
    positionInPair[moved] = position;
    pairPoolCount[pair] = last;
    pool[slot] = null;
    Arrays.fill(poolNumbers, slot * STRIDE, slot * STRIDE + STRIDE, 0.0);
    poolPair[slot] = -1;
    if (freeCount == freeSlots.length) {
      freeSlots = Arrays.copyOf(freeSlots, Math.max(16, freeCount * 2));
    }
    freeSlots[freeCount++] = slot;
    poolCount--;
    if (pairBestAB[pair] == slot || pairBestBA[pair] == slot) {
      refreshPair(pair);
    } else {
      pairScreen[pair] = last >= 2 ? pairMaxAB[pair] * pairMaxBA[pair] : 0;
    }
    advance(updateSequence);
    return slot;
  }

  /** Every live pool, in slot order. */
  public List<Pool> pools() {
    List<Pool> pools = new ArrayList<>(poolCount);
    for (int slot = 0; slot < slotLimit; slot++) {
      if (pool[slot] != null) {
        pools.add(pool[slot]);
      }
    }
    return pools;
  }

  private void advance(long updateSequence) {
    if (updateSequence > sequence) {
      sequence = updateSequence;
    }
  }

  private static boolean sameShape(Pool a, Pool b) {
    return a.chainId() == b.chainId()
        && a.feeBps() == b.feeBps()
        && a.token0().equals(b.token0())
        && a.token1().equals(b.token1())
        && a.dex().equals(b.dex())
        && a.address().equals(b.address());
  }

  private void setReserves(int slot, Pool p) {
    double r0 = p.reserve0().doubleValue();
    double r1 = p.reserve1().doubleValue();
    double a = poolFlipped[slot] ? r1 : r0;
    double b = poolFlipped[slot] ? r0 : r1;
    double g = (10_000 - p.feeBps()) / 10_000.0;
    gamma[slot] = g;
    int at = slot * STRIDE;
    double[] numbers = poolNumbers;
    numbers[at] = a;
    numbers[at + 1] = b;
    boolean trades = a > 0 && b > 0;
    numbers[at + 2] = trades ? g * b / a : 0;
    numbers[at + 3] = trades ? g * a / b : 0;
  }

  /**
   * Keeps the pair's best rates after one pool's rates changed: O(1) unless that pool was the best
   * one way and got worse, which costs a pass over the pair (1/k of the updates of a k-pool pair).
   */
  private void poolMoved(int pair, int slot) {
    double ab = rateAB(slot);
    double ba = rateBA(slot);
    boolean stale = false;
    if (ab >= pairMaxAB[pair]) {
      pairMaxAB[pair] = ab;
      pairBestAB[pair] = slot;
    } else {
      stale = pairBestAB[pair] == slot;
    }
    if (ba >= pairMaxBA[pair]) {
      pairMaxBA[pair] = ba;
      pairBestBA[pair] = slot;
    } else {
      stale |= pairBestBA[pair] == slot;
    }
    if (stale) {
      refreshPair(pair);
    } else {
      pairScreen[pair] = pairPoolCount[pair] >= 2 ? pairMaxAB[pair] * pairMaxBA[pair] : 0;
    }
  }

  private void refreshPair(int pair) {
    int count = pairPoolCount[pair];
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
    pairMaxAB[pair] = maxAB;
    pairMaxBA[pair] = maxBA;
    pairBestAB[pair] = bestAB;
    pairBestBA[pair] = bestBA;
    pairScreen[pair] = count >= 2 ? maxAB * maxBA : 0;
  }

  private int allocateSlot() {
    if (freeCount > 0) {
      return freeSlots[--freeCount];
    }
    int slot = slotLimit;
    if (slot == pool.length) {
      int capacity = Math.max(16, slot + (slot >> 1));
      pool = Arrays.copyOf(pool, capacity);
      poolPair = Arrays.copyOf(poolPair, capacity);
      poolFlipped = Arrays.copyOf(poolFlipped, capacity);
      poolNumbers = Arrays.copyOf(poolNumbers, capacity * STRIDE);
      gamma = Arrays.copyOf(gamma, capacity);
      poolSequence = Arrays.copyOf(poolSequence, capacity);
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
      tokenChain = Arrays.copyOf(tokenChain, capacity);
      tokenPairs = Arrays.copyOf(tokenPairs, capacity);
      tokenPairCount = Arrays.copyOf(tokenPairCount, capacity);
      for (int h = 0; h < hubPairs.length; h++) {
        int[] grown = Arrays.copyOf(hubPairs[h], capacity);
        Arrays.fill(grown, token, capacity, -1);
        hubPairs[h] = grown;
      }
    }
    tokenAddress[token] = address;
    tokenChain[token] = chainId;
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
    if (pair == pairTokenA.length) {
      int capacity = pair + (pair >> 1);
      pairTokenA = Arrays.copyOf(pairTokenA, capacity);
      pairTokenB = Arrays.copyOf(pairTokenB, capacity);
      pairPools = Arrays.copyOf(pairPools, capacity);
      pairPoolCount = Arrays.copyOf(pairPoolCount, capacity);
      pairMaxAB = Arrays.copyOf(pairMaxAB, capacity);
      pairMaxBA = Arrays.copyOf(pairMaxBA, capacity);
      pairScreen = Arrays.copyOf(pairScreen, capacity);
      pairBestAB = Arrays.copyOf(pairBestAB, capacity);
      pairBestBA = Arrays.copyOf(pairBestBA, capacity);
    }
    boolean zeroFirst = tokenAddress[token0].compareTo(tokenAddress[token1]) < 0;
    pairTokenA[pair] = zeroFirst ? token0 : token1;
    pairTokenB[pair] = zeroFirst ? token1 : token0;
    pairPools[pair] = NO_INTS;
    pairPoolCount[pair] = 0;
    pairMaxAB[pair] = 0;
    pairMaxBA[pair] = 0;
    pairBestAB[pair] = -1;
    pairBestBA[pair] = -1;
    pairCount = pair + 1;
    pairIds.put(key, pair);
    linkTokenPair(token0, pair);
    linkTokenPair(token1, pair);
    for (int h = 0; h < hubTokens.length; h++) {
      if (hubTokens[h] == token0) {
        hubPairs[h][token1] = pair;
      } else if (hubTokens[h] == token1) {
        hubPairs[h][token0] = pair;
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
