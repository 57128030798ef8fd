package io.rehoboam.core.scan.internal;

import io.rehoboam.core.scan.ScanConfig;
import io.rehoboam.core.scan.ScanDelta;
import io.rehoboam.core.scan.TokenPrices;
import io.rehoboam.spi.market.PoolUpdate;
import io.rehoboam.spi.trade.Opportunity;
import java.time.Clock;
import java.util.Collection;
import java.util.List;

/** The scan engine's implementation. */
public final class Scanner {
  private final ScanConfig config;
  private final Clock clock;
  private final TokenPrices prices;
  private MarketIndex own;

  public Scanner(ScanConfig config, Clock clock, TokenPrices prices) {
    this.config = config;
    this.clock = clock;
    this.prices = prices;
  }

  public void attach(MarketIndex index) {
    own = index;
  }

  public List<Opportunity> fullScan(MarketIndex index) {
    return List.of();
  }

  public ScanDelta apply(PoolUpdate update) {
    if (update.kind() == PoolUpdate.Kind.REMOVED) {
      own.remove(update.pool().id(), update.sequence());
    } else {
      own.upsert(update.pool(), update.sequence());
    }
    return ScanDelta.empty();
  }

  public ScanDelta rescan() {
    return ScanDelta.empty();
  }

  public Collection<Opportunity> book() {
    return List.of(config, clock, prices).isEmpty() ? List.of() : List.of();
  }
}
