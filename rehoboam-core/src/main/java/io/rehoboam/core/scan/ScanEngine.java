package io.rehoboam.core.scan;

import io.rehoboam.core.scan.internal.Scanner;
import io.rehoboam.spi.Checks;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.market.PoolUpdate;
import io.rehoboam.spi.trade.Opportunity;
import java.time.Clock;
import java.util.Collection;
import java.util.List;

/**
 * Finds arbitrage opportunities in a {@link MarketState}: a full scan of any state, or an
 * incremental scan that keeps a book of opportunities current as updates arrive.
 *
 * <p>Every opportunity leaving the engine is exact: its amounts are what Uniswap's integer formula
 * gives, leg by leg, for the reported input, and that input is the integer optimum of the path up
 * to rounding (within one base unit of the intermediate token's value). Doubles only screen
 * candidates, with a safety margin that never drops a candidate above the configured minimum.
 *
 * <p>What is reported (full scan and book alike): per group, a token pair for {@code cross_venue}
 * and a start token with a route (the set of token pairs a cycle passes through) for {@code
 * cyclic}, the most profitable opportunity, then the next most profitable sharing no pool with one
 * reported before it, up to {@link ScanConfig#maxPerPair()}; see {@link ScanConfig}. Each is found
 * by branch and bound over the pools of the group (upper bounds from marginal prices and closed
 * forms, exact confirmation only while a path can still beat the best exact one), so that the cost
 * of a scan does not grow with how many paths pay. An incremental update re-evaluates the groups
 * that use the pool or in which a path through it may now pay.
 *
 * <p>Opportunity ids: {@code cv-<block>-<hash>} or {@code cy-<block>-<hash>}, where the block is
 * the highest sequence of the updates that set the reserves of the path's pools (also reported as
 * {@code block_number}) and the hash (128 bits) covers the strategy, start token, pools in order
 * and their reserves. The same path on the same reserves at the same block gets the same id, so a
 * full scan and the incremental book agree on ids; a path whose reserves changed gets a new one.
 *
 * <p>Threading: single-threaded. {@link #apply} and {@link #book} must be called from one thread
 * (or with external synchronization); {@link #fullScan} reads the state it is given and must not
 * run concurrently with updates to that state.
 */
public final class ScanEngine {
  /**
   * From this many pools on, {@link #applyAll} fetches memory ahead: a smaller market stays in the
   * cache of a small machine, where the warm-up would only add work (measured here: about 25 ns
   * more per update at 2k pools, 40% less at 200k).
   */
  private static final int WARM_MIN_POOLS = 50_000;

  private final ScanConfig config;
  private final Clock clock;
  private final TokenPrices prices;
  private final MarketState state;
  private final Scanner scanner;

  /**
   * An engine with its own empty {@link MarketState} for incremental use.
   *
   * @param config what to look for
   * @param clock source of {@code detected_at}
   * @param prices decimals, prices and the native token
   */
  public ScanEngine(ScanConfig config, Clock clock, TokenPrices prices) {
    this(config, clock, prices, new MarketState());
  }

  /**
   * An engine whose incremental state starts as {@code state}, which it then owns: nobody else may
   * modify it. The book starts as a full scan of it.
   */
  public ScanEngine(ScanConfig config, Clock clock, TokenPrices prices, MarketState state) {
    this.config = Checks.notNull(config, "config");
    this.clock = Checks.notNull(clock, "clock");
    this.prices = Checks.notNull(prices, "prices");
    this.state = Checks.notNull(state, "state");
    this.scanner = new Scanner(config, clock, prices);
    scanner.attach(state.index());
    if (state.size() > 0) {
      scanner.rescan();
    }
  }

  /** The strategies the engine offers, with their parameters. */
  public static List<StrategyDescriptor> strategies() {
    return Strategies.ALL;
  }

  public ScanConfig config() {
    return config;
  }

  public Clock clock() {
    return clock;
  }

  public TokenPrices prices() {
    return prices;
  }

  /**
   * The engine's own state, which {@link #apply} keeps current. Change it through {@link #apply};
   * after changing it directly, call {@link #rescan()} before the next {@link #apply}.
   */
  public MarketState state() {
    return state;
  }

  /**
   * Every opportunity in {@code market} for the enabled strategies, by net profit descending (ties
   * by id). Does not touch the engine's book.
   */
  public List<Opportunity> fullScan(MarketState market) {
    Checks.notNull(market, "market");
    return scanner.fullScan(market.index());
  }

  /**
   * Applies one update to the engine's state and re-evaluates only what it can change: the other
   * pools of the same pair and the cycles through the pool. The book afterwards equals a full scan
   * of the state (ids and amounts; {@code detected_at} is when each entry was found).
   *
   * @return what entered and left the book
   */
  public ScanDelta apply(PoolUpdate update) {
    Checks.notNull(update, "update");
    return scanner.apply(update);
  }

  /**
   * {@link #apply} of each update, in order: the same book and the same deltas. Faster than one
   * call per update on a market larger than the cache (from 50,000 pools), because it fetches what
   * a few updates will read from memory together before applying them one by one (each update of a
   * random pool of a large market is otherwise a chain of trips to memory, one after the other).
   * Same threading as {@link #apply}.
   *
   * @param updates applied in list order; none may be null
   * @return one delta per update, in the same order
   * @throws io.rehoboam.spi.RehoboamException INVALID_ARGUMENT naming the first null update, before
   *     anything is applied
   */
  public List<ScanDelta> applyAll(List<PoolUpdate> updates) {
    Checks.notNull(updates, "updates");
    for (int i = 0; i < updates.size(); i++) {
      if (updates.get(i) == null) {
        throw RehoboamException.invalid("updates[" + i + "]", "must not be null");
      }
    }
    return scanner.applyAll(updates, state.size() >= WARM_MIN_POOLS);
  }

  /**
   * Rebuilds the book from a full scan of the engine's state. Entries still valid are kept as they
   * were (same id, same {@code detected_at}); the delta says what entered and what left.
   *
   * @return the book's new entries and the ids that left it
   */
  public ScanDelta rescan() {
    return scanner.rescan();
  }

  /** The current book, an unmodifiable snapshot by net profit descending. */
  public Collection<Opportunity> book() {
    return scanner.book();
  }
}
