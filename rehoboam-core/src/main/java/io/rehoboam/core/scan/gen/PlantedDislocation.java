package io.rehoboam.core.scan.gen;

import io.rehoboam.spi.Checks;

/**
 * A price dislocation the generator planted on purpose: {@code poolId} quotes the pair {@code
 * deviationBps} away from the true price while {@code counterpartPoolId} (same pair, another venue)
 * stays inside its no-arbitrage band, so buying in one and selling in the other pays after fees.
 * Every other pair of the market is unprofitable.
 *
 * @param poolId the dislocated pool
 * @param counterpartPoolId a pool of the same pair at the true price (within its fee band)
 * @param token0 the pair's token0 (lower address)
 * @param token1 the pair's token1
 * @param deviationBps how far the dislocated pool's price of token0 in token1 is from the true
 *     price, signed: positive means token0 is dearer there
 */
public record PlantedDislocation(
    String poolId, String counterpartPoolId, String token0, String token1, int deviationBps) {
  public PlantedDislocation {
    Checks.notBlank(poolId, "pool_id");
    Checks.notBlank(counterpartPoolId, "counterpart_pool_id");
    Checks.check(
        !poolId.equals(counterpartPoolId), "counterpart_pool_id", "must differ from pool_id");
    Checks.notBlank(token0, "token0");
    Checks.notBlank(token1, "token1");
    Checks.check(deviationBps != 0, "deviation_bps", "must not be 0");
  }
}
