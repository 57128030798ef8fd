package io.rehoboam.benchmarks;

import io.rehoboam.core.scan.MarketState;
import io.rehoboam.core.scan.ScanConfig;
import io.rehoboam.core.scan.ScanEngine;
import io.rehoboam.core.scan.ScanStrategy;
import io.rehoboam.core.scan.gen.MarketRegime;
import io.rehoboam.core.scan.gen.MarketShape;
import io.rehoboam.core.scan.gen.ReserveMoves;
import io.rehoboam.core.scan.gen.SyntheticMarket;
import io.rehoboam.core.scan.gen.SyntheticMarketGenerator;
import io.rehoboam.spi.market.PoolUpdate;
import io.rehoboam.spi.trade.Opportunity;
import java.math.BigInteger;
import java.time.Clock;
import java.util.List;

/** What every scan benchmark sets up the same way: the engine's configuration and the updates. */
final class ScanFixture {
  /** The seed of every benchmark market, so that all runs measure the same data. */
  static final long SEED = 1;

  /** Planted opportunities per market: on a calm market the scans find these and nothing else. */
  static final int DISLOCATIONS = 10;

  /**
   * No gas and a minimum net profit of one base unit: the lowest threshold, where every path that
   * earns anything counts (on a volatile market, most pairs).
   */
  static final BigInteger GAS_PRICE_WEI = BigInteger.ZERO;

  /** Updates prepared per benchmark; applied round-robin with fresh sequences. */
  static final int UPDATE_RING = 1 << 16;

  private ScanFixture() {}

  /** A generated benchmark market. */
  static SyntheticMarket market(String shape, String regime, int size, int dislocations) {
    return SyntheticMarketGenerator.generate(
        MarketShape.parse(shape), MarketRegime.parse(regime), size, SEED, dislocations);
  }

  /** The configuration live monitoring would use on this market, for the given strategies. */
  static ScanConfig config(SyntheticMarket market, ScanStrategy... strategies) {
    return ScanConfig.builder()
        .strategies(strategies)
        .startTokens(market.weth())
        .maxCycleLength(3)
        .gasPriceWei(GAS_PRICE_WEI)
        .chainId(market.chainId())
        .sourceBot("benchmark")
        .build();
  }

  /**
   * A market, an engine for one strategy and the updates that change the market between scans: what
   * every full-scan benchmark measures.
   */
  static final class FullScan {
    private final MarketState market;
    private final ScanEngine engine;
    private final UpdateRing updates;

    /**
     * A generated market of {@code shape}, {@code regime} and {@code size} with the planted
     * dislocations.
     */
    FullScan(String shape, String regime, int size, ScanStrategy strategy) {
      SyntheticMarket generated = market(shape, regime, size, DISLOCATIONS);
      market = MarketState.of(generated.pools(), 1);
      engine =
          new ScanEngine(config(generated, strategy), Clock.systemUTC(), generated.tokenPrices());
      updates = updates(generated);
    }

    /** One ordinary reserve update, then a full scan of the whole market. */
    List<Opportunity> updateAndScan() {
      market.apply(updates.next());
      return engine.fullScan(market);
    }
  }

  /**
   * The engine live monitoring keeps for {@code market}: both strategies, its book filled by a full
   * scan.
   */
  static ScanEngine incrementalEngine(SyntheticMarket market) {
    ScanEngine engine =
        new ScanEngine(
            config(market, ScanStrategy.CROSS_VENUE, ScanStrategy.CYCLIC),
            Clock.systemUTC(),
            market.tokenPrices(),
            MarketState.of(market.pools(), 1));
    engine.rescan();
    return engine;
  }

  /**
   * Ordinary reserve moves (small trades and drifts inside each pool's fee band, never touching a
   * planted dislocation), so that applying them finds nothing new.
   */
  static UpdateRing updates(SyntheticMarket market) {
    return updates(market, UPDATE_RING);
  }

  /** As {@link #updates(SyntheticMarket)} with {@code count} (a power of two) prepared updates. */
  static UpdateRing updates(SyntheticMarket market, int count) {
    if (count < 1 || Integer.bitCount(count) != 1) {
      throw new IllegalArgumentException("updates must be a power of two: " + count);
    }
    return new UpdateRing(
        new ReserveMoves(market, SEED).nextUpdates(count, 0).toArray(new PoolUpdate[0]));
  }

  /**
   * Prepared updates handed out round-robin. Each is re-stamped with the next sequence (one small
   * allocation) so that a state never sees a sequence go backwards when the ring wraps.
   */
  static final class UpdateRing {
    private final PoolUpdate[] updates;
    private int next;
    private long sequence = 1;

    UpdateRing(PoolUpdate[] updates) {
      this.updates = updates;
    }

    PoolUpdate next() {
      PoolUpdate update = updates[next];
      next = (next + 1) & (updates.length - 1);
      return new PoolUpdate(update.kind(), update.pool(), ++sequence);
    }
  }
}
