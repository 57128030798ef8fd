package io.rehoboam.backtest.engine;

import io.rehoboam.core.book.OpportunityBook;
import io.rehoboam.core.scan.MarketState;
import io.rehoboam.core.scan.ScanConfig;
import io.rehoboam.core.scan.ScanDelta;
import io.rehoboam.core.scan.ScanEngine;
import io.rehoboam.core.scan.TokenPrices;
import io.rehoboam.spi.market.PoolUpdate;
import io.rehoboam.spi.trade.Opportunity;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One monitor bot's scan of one source, batch by batch, as the {@code live_monitor}'s feed does it:
 * the first batch (the source's replay of its pools) is loaded and scanned in one go, each later
 * batch is applied update by update, and what the scan engine's book gained and lost is reported.
 */
final class MonitorFeed {
  /** What a batch changed: opportunities gone (id to reason) and new ones, best first. */
  record Change(Map<String, String> gone, List<Opportunity> fresh) {}

  private final String botId;
  private final String sourceId;
  private final ScanConfig config;
  private final TokenPrices prices;
  private final Clock clock;
  private ScanEngine engine;

  MonitorFeed(String botId, String sourceId, ScanConfig config, TokenPrices prices, Clock clock) {
    this.botId = botId;
    this.sourceId = sourceId;
    this.config = config;
    this.prices = prices;
    this.clock = clock;
  }

  String botId() {
    return botId;
  }

  String sourceId() {
    return sourceId;
  }

  boolean started() {
    return engine != null;
  }

  Change process(List<PoolUpdate> batch) {
    Map<String, Opportunity> found = new LinkedHashMap<>();
    Map<String, String> gone = new LinkedHashMap<>();
    if (engine == null) {
      MarketState state = new MarketState(batch.size());
      for (PoolUpdate update : batch) {
        state.apply(update);
      }
      engine = new ScanEngine(config, clock, prices, state);
      for (Opportunity o : engine.book()) {
        found.put(o.id(), o);
      }
    } else {
      List<ScanDelta> deltas = engine.applyAll(batch);
      for (int i = 0; i < batch.size(); i++) {
        PoolUpdate update = batch.get(i);
        ScanDelta delta = deltas.get(i);
        for (String id : delta.expiredIds()) {
          if (found.remove(id) == null) {
            gone.putIfAbsent(
                id, "pool " + update.pool().id() + " changed at sequence " + update.sequence());
          }
        }
        for (Opportunity o : delta.found()) {
          if (gone.remove(o.id()) == null) {
            found.put(o.id(), o);
          }
        }
      }
    }
    List<Opportunity> fresh = new ArrayList<>(found.values());
    fresh.sort(OpportunityBook.BEST_FIRST);
    return new Change(gone, fresh);
  }
}
