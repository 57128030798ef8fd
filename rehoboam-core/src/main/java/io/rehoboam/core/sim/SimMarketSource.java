package io.rehoboam.core.sim;

import io.rehoboam.core.scan.TokenPrices;
import io.rehoboam.core.sim.internal.SimMarket;
import io.rehoboam.spi.Checks;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.Subscription;
import io.rehoboam.spi.market.MarketSource;
import io.rehoboam.spi.market.Pool;
import io.rehoboam.spi.market.PoolUpdate;
import io.rehoboam.spi.market.SourceHealth;
import io.rehoboam.spi.market.Token;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A deterministic simulated market: N tokens and pools over the generator's venues on one or more
 * chains, whose true prices random-walk and whose pools follow them through trades of random size,
 * with occasional dislocations that open arbitrage (see {@link SimConfig} and {@link
 * SimMarketSourceProvider} for the settings). Paper trades ({@link #swap}, {@link #executeLegs})
 * move its reserves exactly as the swaps would on chain.
 *
 * <p>Updates: each tick is one new sequence (a "block"); its pool changes are {@link
 * PoolUpdate.Kind#RESERVES} updates at that sequence. An applied route is a sequence of its own. A
 * new subscriber first receives every pool as an {@link PoolUpdate.Kind#ADDED} update carrying the
 * sequence that last set its reserves, in sequence order, then the changes.
 *
 * <p>Threading: ticks run on the scheduler handed in, every {@link SimConfig#updateInterval()} from
 * the first subscription on (never with a zero interval); {@link #tick()} and {@link #step} run one
 * on the caller's thread. Every change and its delivery happen under one lock, so listeners see
 * updates one at a time in sequence order, on the thread that made the change; a listener must not
 * block and must not trade on this source from inside the callback. All public methods are
 * thread-safe.
 */
public final class SimMarketSource implements MarketSource, PaperMarket {
  private static final Logger log = LoggerFactory.getLogger(SimMarketSource.class);

  private final String id;
  private final SimConfig config;
  private final ScheduledExecutorService scheduler;
  private final Clock clock;
  private final SimMarket market;
  private final List<Consumer<PoolUpdate>> listeners = new CopyOnWriteArrayList<>();
  private ScheduledFuture<?> timer;
  private Instant lastUpdate;
  private boolean closed;
  private long listenerFailures;

  /**
   * Generates the market; nothing is delivered before the first subscription.
   *
   * @param id the source's id
   * @param config how to build and move the market
   * @param scheduler where timed ticks run; may be null when {@code config.updateInterval()} is
   *     zero
   * @param clock stamps {@link SourceHealth#lastUpdate()}
   * @throws RehoboamException INVALID_ARGUMENT when the market cannot be generated
   */
  public SimMarketSource(
      String id, SimConfig config, ScheduledExecutorService scheduler, Clock clock) {
    this.id = Checks.notBlank(id, "id");
    this.config = Checks.notNull(config, "config");
    Checks.check(
        scheduler != null || config.updateInterval().isZero(),
        "scheduler",
        "is required when update_interval is not zero");
    this.scheduler = scheduler;
    this.clock = Checks.notNull(clock, "clock");
    this.market = new SimMarket(config);
  }

  @Override
  public String id() {
    return id;
  }

  public SimConfig config() {
    return config;
  }

  @Override
  public Subscription subscribe(Consumer<PoolUpdate> listener) {
    Checks.notNull(listener, "listener");
    synchronized (this) {
      ensureOpen();
      for (PoolUpdate update : market.snapshot()) {
        deliver(listener, update);
      }
      listeners.add(listener);
      if (timer == null && !config.updateInterval().isZero()) {
        long nanos = config.updateInterval().toNanos();
        timer = scheduler.scheduleAtFixedRate(this::timedTick, nanos, nanos, TimeUnit.NANOSECONDS);
      }
    }
    return () -> listeners.remove(listener);
  }

  private void timedTick() {
    try {
      tick();
    } catch (RuntimeException e) {
      // A periodic task that throws is never run again: log and keep the market moving.
      log.error("Simulated market {} failed to tick", id, e);
    }
  }

  /**
   * Runs one tick now on the calling thread and delivers its updates.
   *
   * @return the updates of the tick, in order (possibly none)
   * @throws RehoboamException SHUTTING_DOWN after {@link #close()}
   */
  public List<PoolUpdate> tick() {
    synchronized (this) {
      ensureOpen();
      List<PoolUpdate> updates = market.tick();
      lastUpdate = clock.instant();
      deliverAll(updates);
      return updates;
    }
  }

  /** Runs {@code ticks} ticks now; returns all their updates in order. */
  public List<PoolUpdate> step(int ticks) {
    Checks.check(ticks >= 0, "ticks", "must not be negative, was " + ticks);
    List<PoolUpdate> all = new ArrayList<>();
    for (int i = 0; i < ticks; i++) {
      all.addAll(tick());
    }
    return all;
  }

  /**
   * Swaps {@code amountIn} of {@code tokenIn} in one pool, as a router with {@code amountOutMin}
   * would.
   *
   * @param minAmountOut the least the swap must give, or null for no minimum
   * @return the applied swap, or a reverted one (nothing changed)
   * @throws RehoboamException NOT_FOUND for an unknown pool, INVALID_ARGUMENT for a token the pool
   *     does not trade or a non-positive amount
   */
  public SwapResult swap(
      String poolId, String tokenIn, BigInteger amountIn, BigInteger minAmountOut) {
    return executeLegs(List.of(new Hop(poolId, tokenIn)), amountIn, minAmountOut);
  }

  /**
   * Executes a route atomically, like a router's {@code swapExactTokensForTokens}: {@code amountIn}
   * goes into the first leg, each next leg takes what the previous one took out, amounts exactly as
   * Uniswap's integer formula gives them on the current reserves. Either every leg is applied (one
   * new sequence, one {@link PoolUpdate.Kind#RESERVES} update per pool touched, delivered before
   * this returns) or, when it reverts, none.
   *
   * @param minAmountOut the least the last leg must give (else the route reverts), or null
   * @throws RehoboamException NOT_FOUND for an unknown pool; INVALID_ARGUMENT for an empty route, a
   *     token a pool does not trade, a leg that does not take the previous one's output, or a
   *     non-positive amount; SHUTTING_DOWN after close
   */
  public SwapResult executeLegs(List<Hop> hops, BigInteger amountIn, BigInteger minAmountOut) {
    synchronized (this) {
      ensureOpen();
      SimMarket.RouteOutcome outcome = market.route(hops, amountIn, minAmountOut, true);
      if (!outcome.updates().isEmpty()) {
        lastUpdate = clock.instant();
        deliverAll(outcome.updates());
      }
      return outcome.result();
    }
  }

  /** What {@link #executeLegs} would do now, without changing anything. */
  public SwapResult quoteLegs(List<Hop> hops, BigInteger amountIn, BigInteger minAmountOut) {
    synchronized (this) {
      ensureOpen();
      return market.route(hops, amountIn, minAmountOut, false).result();
    }
  }

  /** The pool as it is now. */
  public synchronized Optional<Pool> pool(String poolId) {
    return market.pool(Checks.notBlank(poolId, "pool_id"));
  }

  /** Every pool as it is now. */
  public synchronized List<Pool> pools() {
    return market.pools();
  }

  /** The sequence of the last change (1 before the first tick). */
  public synchronized long sequence() {
    return market.sequence();
  }

  /**
   * Every pool as the {@link PoolUpdate.Kind#ADDED} update a new subscriber would receive now (with
   * the sequence that last set its reserves), in sequence order. Applied to an empty {@link
   * io.rehoboam.core.scan.MarketState} it reproduces the market as a subscriber sees it.
   */
  public synchronized List<PoolUpdate> snapshot() {
    return market.snapshot();
  }

  /** The WETH address of each chain, in the order of {@link SimConfig#chainIds()}. */
  public Map<Long, String> wethByChain() {
    return market.wethByChain();
  }

  /**
   * The current prices as the scan engine takes them, with the first chain's WETH as the native
   * token.
   */
  public synchronized TokenPrices tokenPrices() {
    return market.tokenPrices();
  }

  @Override
  public Map<String, Token> tokens() {
    return market.tokens();
  }

  /** Every token's current USD price, at one moment. */
  @Override
  public synchronized Map<String, BigDecimal> quotePrices() {
    Map<String, BigDecimal> out = new java.util.LinkedHashMap<>();
    for (String address : tokens().keySet()) {
      quotePrice(address).ifPresent(p -> out.put(address, p));
    }
    return java.util.Collections.unmodifiableMap(out);
  }

  /** WETH of each chain. */
  @Override
  public Map<Long, String> nativeTokens() {
    return wethByChain();
  }

  /** The current USD price of one whole token (the true price the pools follow). */
  @Override
  public synchronized Optional<BigDecimal> quotePrice(String tokenAddress) {
    return tokenAddress == null
        ? Optional.empty()
        : market.quotePrice(tokenAddress.toLowerCase(Locale.ROOT));
  }

  @Override
  public synchronized SourceHealth health() {
    if (closed) {
      return SourceHealth.down("closed");
    }
    if (timer == null && lastUpdate == null) {
      return new SourceHealth(
          false,
          null,
          config.updateInterval().isZero()
              ? "no timer (update_interval 0): ticks only when asked"
              : "waiting for the first subscriber");
    }
    return SourceHealth.up(lastUpdate);
  }

  /** Stops the ticks and drops every listener; later trades and ticks fail. Idempotent. */
  @Override
  public void close() {
    synchronized (this) {
      closed = true;
      if (timer != null) {
        timer.cancel(false);
      }
    }
    listeners.clear();
  }

  private void ensureOpen() {
    if (closed) {
      throw new RehoboamException(ErrorCode.SHUTTING_DOWN, "simulated market " + id + " is closed");
    }
  }

  private void deliverAll(List<PoolUpdate> updates) {
    for (PoolUpdate update : updates) {
      for (Consumer<PoolUpdate> listener : listeners) {
        deliver(listener, update);
      }
    }
  }

  private void deliver(Consumer<PoolUpdate> listener, PoolUpdate update) {
    try {
      listener.accept(update);
    } catch (RuntimeException e) {
      // A listener that fails on every update would flood the log: the 1st, 10th, 100th, ...
      long n = ++listenerFailures;
      if (Long.toString(n).matches("10*")) {
        log.warn("A listener of simulated market {} failed ({} failures so far)", id, n, e);
      } else {
        log.debug("A listener of simulated market {} failed", id, e);
      }
    }
  }
}
