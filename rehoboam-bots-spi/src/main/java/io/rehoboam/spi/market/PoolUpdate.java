package io.rehoboam.spi.market;

import io.rehoboam.spi.Checks;

/**
 * One change to a market: a pool appeared, its reserves changed, or it is gone.
 *
 * @param kind what happened
 * @param pool the pool as it is now (for {@link Kind#REMOVED}, as it was last)
 * @param sequence the block number, or the market's own sequence for a simulated market; never
 *     decreases for one source
 */
public record PoolUpdate(Kind kind, Pool pool, long sequence) {
  /** What happened to the pool. */
  public enum Kind {
    ADDED,
    RESERVES,
    REMOVED
  }

  public PoolUpdate {
    Checks.notNull(kind, "kind");
    Checks.notNull(pool, "pool");
    Checks.nonNegative(sequence, "sequence");
  }

  public static PoolUpdate added(Pool pool, long sequence) {
    return new PoolUpdate(Kind.ADDED, pool, sequence);
  }

  public static PoolUpdate reserves(Pool pool, long sequence) {
    return new PoolUpdate(Kind.RESERVES, pool, sequence);
  }

  public static PoolUpdate removed(Pool pool, long sequence) {
    return new PoolUpdate(Kind.REMOVED, pool, sequence);
  }
}
