package io.rehoboam.core.scan;

import io.rehoboam.core.scan.internal.MarketIndex;
import io.rehoboam.spi.Checks;
import io.rehoboam.spi.market.Pool;
import io.rehoboam.spi.market.PoolUpdate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The pools of a market as the scan sees them, kept current by {@link PoolUpdate}s.
 *
 * <p>Inside, pools sit in int slots of primitive arrays (structure of arrays) with indexes by token
 * pair and by token, so that a full scan streams over arrays and an update touches only its pool
 * and its pair. Growing to a million pools needs no tuning; pass the expected size to avoid
 * re-allocation on the way.
 *
 * <p>Update semantics: {@code ADDED} of a known id replaces the pool; {@code RESERVES} of an
 * unknown id adds it; an update that changes a pool's tokens, chain, dex or fee re-indexes it;
 * {@code REMOVED} of an unknown id does nothing. Tokens are identified by chain id and lower-case
 * address. {@link #sequence()} is the highest sequence applied so far.
 *
 * <p>Threading: single writer. Not safe for concurrent use; a scan must not run while another
 * thread applies updates.
 */
public final class MarketState {
  private final MarketIndex index;

  /** An empty market sized for about a thousand pools (it grows as needed). */
  public MarketState() {
    this(1_024);
  }

  /** An empty market with room for about {@code expectedPools} pools before it grows. */
  public MarketState(int expectedPools) {
    Checks.check(expectedPools >= 0, "expected_pools", "must not be negative");
    index = new MarketIndex(expectedPools);
  }

  /** A market holding {@code pools}, all at {@code sequence}. */
  public static MarketState of(Collection<Pool> pools, long sequence) {
    Checks.notNull(pools, "pools");
    MarketState state = new MarketState(pools.size());
    for (Pool pool : pools) {
      state.apply(PoolUpdate.added(pool, sequence));
    }
    return state;
  }

  /** Applies one update (see the class comment for its semantics). */
  public void apply(PoolUpdate update) {
    Checks.notNull(update, "update");
    if (update.kind() == PoolUpdate.Kind.REMOVED) {
      index.remove(update.pool().id(), update.sequence());
    } else {
      index.upsert(update.pool(), update.sequence());
    }
  }

  /** The pool with this id, if present. */
  public Optional<Pool> pool(String id) {
    int slot = index.slotOf(Checks.notNull(id, "id"));
    return slot < 0 ? Optional.empty() : Optional.of(index.pool(slot));
  }

  /** The sequence of the last update that changed this pool, if present. */
  public Optional<Long> poolSequence(String id) {
    int slot = index.slotOf(Checks.notNull(id, "id"));
    return slot < 0 ? Optional.empty() : Optional.of(index.poolSequence(slot));
  }

  /** Number of pools. */
  public int size() {
    return index.poolCount;
  }

  /** Number of distinct tokens seen (tokens are never forgotten). */
  public int tokenCount() {
    return index.tokenCount;
  }

  /** The highest sequence applied; 0 before any update. */
  public long sequence() {
    return index.sequence;
  }

  /** Every pool, in no particular order. A copy. */
  public List<Pool> pools() {
    return index.pools();
  }

  /** The pools trading {@code tokenA} against {@code tokenB} on {@code chainId}, either order. */
  public List<Pool> poolsOfPair(long chainId, String tokenA, String tokenB) {
    int a = index.tokenOf(chainId, normalize(tokenA, "token_a"));
    int b = index.tokenOf(chainId, normalize(tokenB, "token_b"));
    if (a < 0 || b < 0) {
      return List.of();
    }
    int pair = index.pairOf(a, b);
    return pair < 0 ? List.of() : poolsOf(pair);
  }

  /** The pools holding {@code token} on {@code chainId}. */
  public List<Pool> poolsOfToken(long chainId, String token) {
    int t = index.tokenOf(chainId, normalize(token, "token"));
    if (t < 0) {
      return List.of();
    }
    List<Pool> pools = new ArrayList<>();
    for (int i = 0; i < index.tokenPairCount[t]; i++) {
      pools.addAll(poolsOf(index.tokenPairs[t][i]));
    }
    return pools;
  }

  private List<Pool> poolsOf(int pair) {
    List<Pool> pools = new ArrayList<>(index.pairPoolCount(pair));
    for (int i = 0; i < index.pairPoolCount(pair); i++) {
      pools.add(index.pool(index.pairPools(pair)[i]));
    }
    return pools;
  }

  private static String normalize(String token, String field) {
    return Checks.notBlank(token, field).toLowerCase(Locale.ROOT);
  }

  MarketIndex index() {
    return index;
  }
}
