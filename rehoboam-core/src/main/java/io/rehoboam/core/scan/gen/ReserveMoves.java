package io.rehoboam.core.scan.gen;

import io.rehoboam.spi.Checks;
import io.rehoboam.spi.market.Pool;
import io.rehoboam.spi.market.PoolUpdate;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Seeded reserve changes for a {@link SyntheticMarket}, for benchmarks and simulated markets: a
 * small trade through a pool, or a drift of its price, both kept inside the pool's no-arbitrage
 * band around the true price, so that ordinary moves create no new opportunity; {@link #dislocate}
 * creates one on purpose.
 *
 * <p>{@link #nextUpdate} keeps the current state of every pool and never moves a planted
 * dislocation, so the planted opportunities stand while the rest of the market jitters. Not
 * thread-safe: one instance per thread.
 */
public final class ReserveMoves {
  private static final double MIN_TRADE_OF_BAND = 0.05;
  private static final double MAX_TRADE_OF_BAND = 0.25;

  private final PriceModel prices;
  private final Random random;
  private final Pool[] current;
  private final int[] movable;

  /**
   * @param market the market whose true prices the moves respect
   * @param seed the same seed gives the same moves
   */
  public ReserveMoves(SyntheticMarket market, long seed) {
    Checks.notNull(market, "market");
    this.prices = PriceModel.of(market);
    this.random = new Random(seed);
    this.current = market.pools().toArray(new Pool[0]);
    Set<String> planted = new HashSet<>();
    for (PlantedDislocation d : market.dislocations()) {
      planted.add(d.poolId());
      planted.add(d.counterpartPoolId());
    }
    List<Integer> free = new ArrayList<>();
    for (int i = 0; i < current.length; i++) {
      if (!planted.contains(current[i].id())) {
        free.add(i);
      }
    }
    Checks.check(!free.isEmpty(), "market", "has no pool outside the planted dislocations");
    this.movable = free.stream().mapToInt(Integer::intValue).toArray();
  }

  /**
   * The pool after one ordinary move: with even odds a small trade (a few hundredths to a quarter
   * of its fee band, in a random direction, the fee staying in the pool) or a drift to a new price
   * inside the band at the same liquidity. A pool outside its band (a dislocation) is drifted back
   * into it, as an arbitrageur would.
   *
   * @param pool a pool of the market (the same tokens; its reserves may differ)
   * @throws io.rehoboam.spi.RehoboamException INVALID_ARGUMENT naming {@code pool} when it trades a
   *     token the market does not know
   */
  public Pool move(Pool pool) {
    Checks.notNull(pool, "pool");
    double band = PriceModel.band(pool.feeBps());
    double deviation = prices.deviation(pool);
    if (Math.abs(deviation) <= band && random.nextBoolean()) {
      Pool traded = trade(pool, band, random.nextBoolean());
      if (traded != null) {
        return traded;
      }
    }
    return prices.atDeviation(pool, (random.nextDouble() * 2 - 1) * band);
  }

  /**
   * The pool at the same liquidity with its price of token0 in token1 {@code deviationBps} away
   * from the true price (positive: token0 dearer), which makes it profitable against the other
   * pools of its pair once {@code |deviationBps|} exceeds their fees.
   *
   * @throws io.rehoboam.spi.RehoboamException INVALID_ARGUMENT naming {@code deviation_bps} unless
   *     it is within -9999..100000, or naming {@code pool} for a token the market does not know
   */
  public Pool dislocate(Pool pool, int deviationBps) {
    Checks.notNull(pool, "pool");
    Checks.check(
        deviationBps > -10_000 && deviationBps <= 100_000,
        "deviation_bps",
        "must be within -9999..100000, was " + deviationBps);
    return prices.atDeviation(pool, deviationBps / 10_000.0);
  }

  /**
   * Moves one pool, drawn uniformly among those not part of a planted dislocation, from its current
   * state (the market's, then the last move's) and returns the change.
   *
   * @param sequence the sequence to stamp on the update
   */
  public PoolUpdate nextUpdate(long sequence) {
    int index = movable[random.nextInt(movable.length)];
    Pool moved = move(current[index]);
    current[index] = moved;
    return PoolUpdate.reserves(moved, sequence);
  }

  /** {@code count} successive {@link #nextUpdate} results, sequences from {@code firstSequence}. */
  public List<PoolUpdate> nextUpdates(int count, long firstSequence) {
    Checks.check(count >= 0, "count", "must not be negative, was " + count);
    List<PoolUpdate> updates = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      updates.add(nextUpdate(firstSequence + i));
    }
    return updates;
  }

  /** A constant-product swap of a small part of the band; null if it would leave the band. */
  private Pool trade(Pool pool, double band, boolean zeroForOne) {
    double share =
        (MIN_TRADE_OF_BAND + random.nextDouble() * (MAX_TRADE_OF_BAND - MIN_TRADE_OF_BAND)) * band;
    for (int attempt = 0; attempt < 2; attempt++) {
      boolean direction = attempt == 0 ? zeroForOne : !zeroForOne;
      Pool traded = swap(pool, share, direction);
      if (traded != null && Math.abs(prices.deviation(traded)) <= band) {
        return traded;
      }
    }
    return null;
  }

  private static Pool swap(Pool pool, double share, boolean zeroForOne) {
    BigInteger reserveIn = zeroForOne ? pool.reserve0() : pool.reserve1();
    BigInteger reserveOut = zeroForOne ? pool.reserve1() : pool.reserve0();
    BigInteger amountIn =
        new BigDecimal(reserveIn)
            .multiply(new BigDecimal(share))
            .toBigInteger()
            .max(BigInteger.ONE);
    BigInteger amountInWithFee = amountIn.multiply(BigInteger.valueOf(10_000L - pool.feeBps()));
    BigInteger amountOut =
        amountInWithFee
            .multiply(reserveOut)
            .divide(reserveIn.multiply(BigInteger.valueOf(10_000)).add(amountInWithFee));
    BigInteger newIn = reserveIn.add(amountIn);
    BigInteger newOut = reserveOut.subtract(amountOut);
    if (newOut.signum() <= 0 || newIn.compareTo(Pool.MAX_RESERVE) > 0) {
      return null;
    }
    return zeroForOne ? pool.withReserves(newIn, newOut) : pool.withReserves(newOut, newIn);
  }
}
