package io.rehoboam.core.bots.internal;

import io.rehoboam.core.book.OpportunityBook;
import io.rehoboam.core.log.LogText;
import io.rehoboam.core.scan.MarketState;
import io.rehoboam.core.scan.ScanConfig;
import io.rehoboam.core.scan.ScanDelta;
import io.rehoboam.core.scan.ScanEngine;
import io.rehoboam.core.scan.TokenPrices;
import io.rehoboam.spi.BotContext;
import io.rehoboam.spi.BotMetrics;
import io.rehoboam.spi.market.GasPriceOracle;
import io.rehoboam.spi.market.PoolUpdate;
import io.rehoboam.spi.trade.Opportunity;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds one market source into one scan engine and keeps what the bot published equal to the
 * engine's book.
 *
 * <p>Threading: {@link #offer} runs on the source's delivery thread and only parks the update; a
 * single drain task on the blocking executor applies what is parked, so at most one thread scans.
 * Updates of a pool that are still parked when a newer one arrives are replaced by it (a monitor
 * that falls behind scans the latest state, not every intermediate one).
 *
 * <p>Publishing: per drained batch, the opportunities that left the engine's book are expired
 * (unless their time to live already ran out: the service purges those itself), then the new ones
 * are published; an opportunity that entered and left within one batch is never shown.
 */
final class SourceFeed {
  private static final Logger log = LoggerFactory.getLogger(SourceFeed.class);

  private final String sourceId;
  private final BotContext ctx;
  private final ScanConfig config;
  private final Supplier<TokenPrices> pricing;
  // Read once, at the first update (a source that loads on subscription knows its tokens then).
  private TokenPrices prices;
  private final Executor executor;
  private final BotMetrics metrics;
  private final GasPriceOracle gasOracle;

  private final Object pendingLock = new Object();
  private LinkedHashMap<String, PoolUpdate> pending = new LinkedHashMap<>();
  private boolean draining;

  // Guarded by this (the drain, and stop).
  private ScanEngine engine;
  // Pools received before the first gas estimate (gas priced by the source), scanned once it comes.
  private MarketState waiting;
  private final Map<String, Instant> published = new HashMap<>();
  private boolean stopped;

  private volatile long sequence = -1;
  private volatile int live;
  private volatile String failure;

  SourceFeed(
      String sourceId,
      BotContext ctx,
      ScanConfig config,
      Supplier<TokenPrices> pricing,
      Executor executor,
      BotMetrics metrics,
      GasPriceOracle gasOracle) {
    this.sourceId = sourceId;
    this.gasOracle = gasOracle;
    this.ctx = ctx;
    this.config = config;
    this.pricing = pricing;
    this.executor = executor;
    this.metrics = metrics;
  }

  String sourceId() {
    return sourceId;
  }

  /** The highest sequence scanned so far, -1 before the first update. */
  long sequence() {
    return sequence;
  }

  /** Opportunities published and neither expired nor past their time to live (as last counted). */
  int live() {
    return live;
  }

  /** Updates waiting to be scanned. */
  int backlog() {
    synchronized (pendingLock) {
      return pending.size();
    }
  }

  /** Why scanning stopped, or null while it works. */
  String failure() {
    return failure;
  }

  /** Parks an update for the drain; called on the source's delivery thread, never blocks. */
  void offer(PoolUpdate update) {
    boolean startDrain;
    synchronized (pendingLock) {
      if (failure != null) {
        return;
      }
      pending.put(update.pool().id(), update);
      startDrain = !draining;
      draining = true;
    }
    if (startDrain) {
      try {
        executor.execute(this::drain);
      } catch (RejectedExecutionException e) {
        // The service is closing: nothing will read the book any more.
        synchronized (pendingLock) {
          draining = false;
          pending.clear();
        }
      }
    }
  }

  private void drain() {
    while (true) {
      List<PoolUpdate> batch;
      synchronized (pendingLock) {
        if (pending.isEmpty()) {
          draining = false;
          return;
        }
        batch = new ArrayList<>(pending.values());
        pending = new LinkedHashMap<>();
      }
      try {
        long started = System.nanoTime();
        process(batch);
        metrics.scanned(sourceId, System.nanoTime() - started);
      } catch (RuntimeException e) {
        String reason = "scanning source " + sourceId + " failed: " + e;
        log.error("Live monitor {}: {}", ctx.botId(), LogText.escape(reason), LogText.failure(e));
        synchronized (pendingLock) {
          failure = reason;
          pending.clear();
          draining = false;
        }
        ctx.reportFailure("scanning source " + sourceId + " failed", e);
        return;
      }
    }
  }

  private synchronized void process(List<PoolUpdate> batch) {
    if (stopped) {
      return;
    }
    Instant now = ctx.clock().instant();
    forgetTimedOut(now);
    Map<String, Opportunity> found = new LinkedHashMap<>();
    Map<String, String> gone = new LinkedHashMap<>();
    long highest = sequence;
    BigInteger gasPrice = gasOracle == null ? null : gasOracle.gasPriceWei().orElse(null);
    if (engine == null) {
      // The first batch (usually the source's replay of every pool) is loaded in one go and
      // scanned once, instead of pool by pool.
      MarketState state = waiting == null ? new MarketState(batch.size()) : waiting;
      for (PoolUpdate update : batch) {
        state.apply(update);
        highest = Math.max(highest, update.sequence());
      }
      if (prices == null) {
        prices = pricing.get();
      }
      if (gasOracle != null && gasPrice == null) {
        // Gas cannot be priced yet: nothing is published until the source's first estimate.
        waiting = state;
        sequence = highest;
        ctx.heartbeat();
        return;
      }
      waiting = null;
      engine = new ScanEngine(priced(gasPrice), ctx.clock(), prices, state);
      for (Opportunity o : engine.book()) {
        found.put(o.id(), o);
      }
    } else if (gasPrice != null && !gasPrice.equals(engine.config().gasPriceWei())) {
      // The gas price moved: the book is scanned again at the new price and republished.
      engine.applyAll(batch);
      for (PoolUpdate update : batch) {
        highest = Math.max(highest, update.sequence());
      }
      engine = new ScanEngine(priced(gasPrice), ctx.clock(), prices, engine.state());
      for (Opportunity o : engine.book()) {
        found.put(o.id(), o);
      }
      for (String id : published.keySet()) {
        if (!found.containsKey(id)) {
          gone.put(id, "gas price changed to " + gasPrice + " wei");
        }
      }
    } else {
      List<ScanDelta> deltas = engine.applyAll(batch);
      for (int i = 0; i < batch.size(); i++) {
        PoolUpdate update = batch.get(i);
        ScanDelta delta = deltas.get(i);
        highest = Math.max(highest, update.sequence());
        for (String id : delta.expiredIds()) {
          if (found.remove(id) == null) {
            gone.putIfAbsent(
                id, "pool " + update.pool().id() + " changed at sequence " + update.sequence());
          }
        }
        for (Opportunity o : delta.found()) {
          // Found again within the batch with the same id: the same path on the same reserves,
          // still valid and still published.
          if (gone.remove(o.id()) == null) {
            found.put(o.id(), o);
          }
        }
      }
    }
    for (Map.Entry<String, String> e : gone.entrySet()) {
      if (published.remove(e.getKey()) != null) {
        ctx.expireOpportunity(e.getKey(), e.getValue());
      }
    }
    List<Opportunity> fresh = new ArrayList<>(found.values());
    fresh.sort(OpportunityBook.BEST_FIRST);
    for (Opportunity o : fresh) {
      published.put(o.id(), o.expiresAt());
      ctx.publishOpportunity(o);
    }
    live = published.size();
    sequence = highest;
    ctx.heartbeat();
  }

  private ScanConfig priced(BigInteger gasPriceWei) {
    return gasPriceWei == null ? config : config.toBuilder().gasPriceWei(gasPriceWei).build();
  }

  /** Drops published opportunities past their time to live: the service expires those. */
  private void forgetTimedOut(Instant now) {
    Iterator<Instant> it = published.values().iterator();
    while (it.hasNext()) {
      if (!now.isBefore(it.next())) {
        it.remove();
      }
    }
  }

  /** Stops publishing and expires what is still published. */
  synchronized void stop(String reason) {
    if (stopped) {
      return;
    }
    stopped = true;
    Instant now = ctx.clock().instant();
    forgetTimedOut(now);
    for (String id : published.keySet()) {
      ctx.expireOpportunity(id, reason);
    }
    published.clear();
    live = 0;
    synchronized (pendingLock) {
      pending.clear();
    }
  }
}
