package io.rehoboam.backtest.recording;

import io.rehoboam.spi.Checks;
import io.rehoboam.spi.Subscription;
import io.rehoboam.spi.market.MarketSource;
import io.rehoboam.spi.market.PoolUpdate;
import io.rehoboam.spi.market.Token;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Records one market source into a {@link RecordingWriter}: its tokens and their quote prices when
 * recording starts, then every update it delivers with the time it arrived (from the clock handed
 * in). The quote prices of the watched tokens (the hub tokens gas and profits are valued in: WETH,
 * WBTC, USDC, USDT, DAI) are checked at each update and recorded when they changed, so a replay
 * values executions at the prices of their time.
 *
 * <p>Works on any {@link MarketSource}; the listener runs on the source's delivery thread and only
 * encodes into the writer's buffer.
 */
public final class MarketRecorder implements AutoCloseable {
  /** Symbols whose price is followed through the recording. */
  public static final Set<String> WATCHED_SYMBOLS = Set.of("WETH", "WBTC", "USDC", "USDT", "DAI");

  private final MarketSource source;
  private final String type;
  private final RecordingWriter writer;
  private final Clock clock;
  private final List<String> watched = new ArrayList<>();
  private final Map<String, BigDecimal> lastPrice = new HashMap<>();
  private int index = -1;
  private Subscription subscription;
  private long updates;

  /**
   * @param type the source's type as the recording names it ({@code sim}, {@code evm}, ...)
   */
  public MarketRecorder(MarketSource source, String type, RecordingWriter writer, Clock clock) {
    this.source = Checks.notNull(source, "source");
    this.type = Checks.notBlank(type, "type");
    this.writer = Checks.notNull(writer, "writer");
    this.clock = Checks.notNull(clock, "clock");
  }

  /**
   * Declares the source, writes its tokens and prices, and subscribes: the source's replay of its
   * pools and every later update are recorded until {@link #close()}.
   */
  public synchronized MarketRecorder start() {
    Checks.check(index < 0, "recorder", "already started");
    index = writer.source(source.id(), type);
    for (Token token : source.tokens().values()) {
      writer.token(index, token);
    }
    for (Token token : source.tokens().values()) {
      BigDecimal price = source.quotePrice(token.address()).orElse(null);
      writer.price(index, token.address(), price);
      if (WATCHED_SYMBOLS.contains(token.symbol().toUpperCase(Locale.ROOT))) {
        watched.add(token.address());
        lastPrice.put(token.address(), price);
      }
    }
    subscription = source.subscribe(this::record);
    return this;
  }

  private void record(PoolUpdate update) {
    for (String token : watched) {
      Optional<BigDecimal> now = source.quotePrice(token);
      BigDecimal price = now.orElse(null);
      if (!Objects.equals(price, lastPrice.get(token))) {
        lastPrice.put(token, price);
        writer.price(index, token, price);
      }
    }
    writer.update(index, update, clock.instant());
    updates++;
  }

  /** Updates recorded so far. */
  public long updates() {
    return updates;
  }

  /** Stops recording this source (the writer stays open for the caller to close). */
  @Override
  public synchronized void close() {
    if (subscription != null) {
      subscription.close();
      subscription = null;
    }
    writer.flush();
  }
}
