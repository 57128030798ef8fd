package io.rehoboam.core.bots.internal;

import io.rehoboam.core.scan.ScanConfig;
import io.rehoboam.core.scan.TokenPrices;
import io.rehoboam.spi.Bot;
import io.rehoboam.spi.BotContext;
import io.rehoboam.spi.BotHealth;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.LogLevel;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.Subscription;
import io.rehoboam.spi.market.GasPriceOracle;
import io.rehoboam.spi.market.MarketSource;
import io.rehoboam.spi.market.SourceHealth;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * The {@code live_monitor} bot: one {@link SourceFeed} (scan engine) per subscribed source,
 * publishing what each engine's book gains and expiring what it loses.
 */
public final class LiveMonitorBot implements Bot {
  /** Parked updates beyond which the monitor reports itself degraded (it is falling behind). */
  static final int BACKLOG_WARNING = 50_000;

  private record Plan(
      String sourceId, ScanConfig scan, List<String> natives, GasPriceOracle gasOracle) {}

  private final BotContext ctx;
  private final LiveMonitorConfig config;
  private final List<Plan> plans = new ArrayList<>();
  private final List<SourceFeed> feeds = new CopyOnWriteArrayList<>();
  private final List<Subscription> subscriptions = new ArrayList<>();

  /**
   * Resolves the sources and what to scan in each; subscribes nothing yet.
   *
   * @throws RehoboamException INVALID_CONFIG for a bad setting or an unknown source id
   */
  public LiveMonitorBot(BotContext ctx, LiveMonitorConfig config) {
    this.ctx = ctx;
    this.config = config;
    List<String> known = ctx.marketSourceIds();
    List<String> ids = config.sources().isEmpty() ? known : config.sources();
    if (ids.isEmpty()) {
      throw new RehoboamException(
          ErrorCode.INVALID_CONFIG,
          "sources: the service has no market source to monitor (add one to the sources section)");
    }
    for (String id : ids) {
      if (!known.contains(id)) {
        throw new RehoboamException(
            ErrorCode.INVALID_CONFIG,
            "sources: no market source with id '"
                + id
                + "' (known: "
                + String.join(", ", known)
                + ")");
      }
      List<String> natives = nativeTokens(ctx.marketSource(id));
      ScanConfig scan =
          config.startTokens().isEmpty()
              ? config.scan().toBuilder().startTokens(natives).sourceBot(ctx.botId()).build()
              : config.scan().toBuilder().sourceBot(ctx.botId()).build();
      GasPriceOracle oracle = null;
      if (config.gasPriceFromSource()) {
        oracle =
            ctx.marketSource(id)
                .capability(GasPriceOracle.class)
                .orElseThrow(
                    () ->
                        new RehoboamException(
                            ErrorCode.INVALID_CONFIG,
                            "gas_price_from_source: source '"
                                + id
                                + "' gives no gas price estimate (an evm source needs"
                                + " fee_estimate: true)"));
      }
      plans.add(new Plan(id, scan, natives, oracle));
    }
  }

  /**
   * The tokens gas is paid in: the source's native token of each chain, else any token called WETH,
   * else mainnet WETH.
   */
  static List<String> nativeTokens(MarketSource source) {
    return TokenPrices.nativeTokens(source);
  }

  @Override
  public void start() {
    try {
      for (Plan plan : plans) {
        MarketSource source = ctx.marketSource(plan.sourceId());
        // Prices are read once per run, so that a run values everything it finds alike: now, from
        // a source that already knows its tokens (its prices as of the run's start, whatever the
        // market does before the first update arrives), else at the first update (a source that
        // loads on subscription, as a chain's, knows its tokens and native token only then).
        TokenPrices atStart =
            source.tokens().isEmpty()
                ? null
                : TokenPrices.fromSource(source, TokenPrices.nativeTokens(source).get(0));
        Supplier<TokenPrices> prices =
            atStart != null
                ? () -> atStart
                : () -> TokenPrices.fromSource(source, TokenPrices.nativeTokens(source).get(0));
        SourceFeed feed =
            new SourceFeed(
                plan.sourceId(),
                ctx,
                plan.scan(),
                prices,
                ctx.blockingExecutor(),
                ctx.metrics(),
                plan.gasOracle());
        feeds.add(feed);
        subscriptions.add(source.subscribe(feed::offer));
      }
    } catch (RuntimeException e) {
      // A failed start must not leave the sources it already reached feeding this instance.
      stop(Duration.ZERO);
      throw e;
    }
    ctx.log(
        LogLevel.INFO,
        "monitoring "
            + String.join(", ", plans.stream().map(Plan::sourceId).toList())
            + " for "
            + config.scan().strategies().stream().map(s -> s.id()).sorted().toList());
  }

  @Override
  public void stop(Duration timeout) {
    for (Subscription s : subscriptions) {
      s.close();
    }
    subscriptions.clear();
    for (SourceFeed feed : feeds) {
      feed.stop("monitor stopped");
    }
  }

  /**
   * DOWN when a scan failed, DEGRADED while a source's updates pile up, else UP; the message gives
   * each source's scanned sequence and live opportunities.
   */
  @Override
  public BotHealth health() {
    List<String> parts = new ArrayList<>();
    String degraded = null;
    for (SourceFeed feed : feeds) {
      if (feed.failure() != null) {
        return BotHealth.down(feed.failure());
      }
      // A source that lost its node (or its market) makes the monitor blind: it is unhealthy too.
      SourceHealth sourceHealth = sourceHealth(feed.sourceId());
      if (!sourceHealth.up()) {
        return BotHealth.down("source " + feed.sourceId() + " is down: " + sourceHealth.message());
      }
      int backlog = feed.backlog();
      if (backlog > BACKLOG_WARNING && degraded == null) {
        degraded = "falling behind source " + feed.sourceId() + ": " + backlog + " updates waiting";
      }
      parts.add(
          feed.sourceId()
              + " at sequence "
              + feed.sequence()
              + " with "
              + feed.live()
              + " live opportunities");
    }
    return degraded != null
        ? BotHealth.degraded(degraded)
        : new BotHealth(BotHealth.Status.UP, String.join("; ", parts));
  }

  private SourceHealth sourceHealth(String sourceId) {
    try {
      return ctx.marketSource(sourceId).health();
    } catch (RuntimeException e) {
      return SourceHealth.down("health check failed: " + e.getMessage());
    }
  }
}
