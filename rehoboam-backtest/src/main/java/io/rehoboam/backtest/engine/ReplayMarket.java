package io.rehoboam.backtest.engine;

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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One recorded source as it stands at a point of a replay: its tokens, the quote prices in effect,
 * and every pool with the sequence of the change that set it. A backtest's executors trade on it.
 *
 * <p>Changes: a recorded update sets a pool unless the pool already carries a later sequence; a
 * trade of the backtest itself ({@link #applyTrade}) sets its pools at the next sequence after
 * every one seen. So a replay of a run's own recording (whose trades were recorded too) keeps the
 * pools a trade left until the market's next change of them, exactly as the live market did; and a
 * backtest of another configuration sees its own trades until the recording's next update of those
 * pools.
 *
 * <p>Not a live source: {@link #subscribe} is refused (the backtest feeds the updates itself). Not
 * thread-safe: a backtest runs on one thread.
 */
public final class ReplayMarket implements MarketSource, io.rehoboam.core.sim.PaperMarket {
  private final String id;
  private final String type;
  private final Map<String, Token> tokens = new LinkedHashMap<>();
  private final Map<String, BigDecimal> prices = new HashMap<>();
  private final Map<String, Pool> pools = new LinkedHashMap<>();
  private final Map<String, Long> poolSequence = new HashMap<>();
  private final Map<Long, String> wethByChain = new LinkedHashMap<>();
  private long sequence;
  private Instant lastUpdate;

  public ReplayMarket(String id, String type) {
    this.id = Checks.notBlank(id, "id");
    this.type = Checks.notBlank(type, "type");
  }

  @Override
  public String id() {
    return id;
  }

  /** The type of the source that was recorded. */
  public String type() {
    return type;
  }

  /** Adds a recorded token. */
  public void addToken(Token token) {
    tokens.put(token.address(), token);
    if (token.symbol().toUpperCase(Locale.ROOT).equals("WETH")) {
      wethByChain.putIfAbsent(token.chainId(), token.address());
    }
  }

  /** Sets a token's quote price (null: none known). */
  public void setPrice(String token, BigDecimal price) {
    String key = token.toLowerCase(Locale.ROOT);
    if (price == null) {
      prices.remove(key);
    } else {
      prices.put(key, price);
    }
  }

  /** Applies a recorded update (see the class comment for when it is skipped). */
  public void apply(PoolUpdate update, Instant at) {
    Pool pool = update.pool();
    sequence = Math.max(sequence, update.sequence());
    lastUpdate = at;
    Long current = poolSequence.get(pool.id());
    if (current != null && current > update.sequence()) {
      return;
    }
    if (update.kind() == PoolUpdate.Kind.REMOVED) {
      pools.remove(pool.id());
      poolSequence.remove(pool.id());
    } else {
      pools.put(pool.id(), pool);
      poolSequence.put(pool.id(), update.sequence());
    }
  }

  /**
   * Applies a trade of the backtest: the pools as the trade left them, at one new sequence.
   *
   * @return the sequence the trade took
   */
  public long applyTrade(Iterable<Pool> after) {
    long seq = ++sequence;
    for (Pool pool : after) {
      pools.put(pool.id(), pool);
      poolSequence.put(pool.id(), seq);
    }
    return seq;
  }

  /** The pool as it is now. */
  public Optional<Pool> pool(String poolId) {
    return Optional.ofNullable(pools.get(poolId));
  }

  /**
   * Every pool as the {@code ADDED} update a new subscriber would receive now: with the sequence
   * that set it, by sequence (first appearance within one sequence).
   */
  public List<PoolUpdate> snapshot() {
    List<PoolUpdate> out = new ArrayList<>(pools.size());
    for (Pool p : pools.values()) {
      out.add(PoolUpdate.added(p, poolSequence.get(p.id())));
    }
    out.sort(Comparator.comparingLong(PoolUpdate::sequence));
    return out;
  }

  /** Pools known now. */
  public int poolCount() {
    return pools.size();
  }

  /** The last sequence seen or taken. */
  public long sequence() {
    return sequence;
  }

  /** The WETH address of each chain (tokens named WETH, first per chain, in token order). */
  public Map<Long, String> wethByChain() {
    return Collections.unmodifiableMap(wethByChain);
  }

  @Override
  public Subscription subscribe(Consumer<PoolUpdate> listener) {
    throw new RehoboamException(
        ErrorCode.CONFLICT, "replayed source " + id + " is fed by the backtest, not subscribed");
  }

  @Override
  public Map<String, Token> tokens() {
    return Collections.unmodifiableMap(tokens);
  }

  @Override
  public Optional<BigDecimal> quotePrice(String tokenAddress) {
    return tokenAddress == null
        ? Optional.empty()
        : Optional.ofNullable(prices.get(tokenAddress.toLowerCase(Locale.ROOT)));
  }

  @Override
  public SourceHealth health() {
    return lastUpdate == null
        ? SourceHealth.down("nothing replayed yet")
        : SourceHealth.up(lastUpdate);
  }

  @Override
  public void close() {}
}
