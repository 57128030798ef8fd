package io.rehoboam.bot.layer2.internal;

import io.rehoboam.bot.layer2.AssetMap;
import io.rehoboam.bot.layer2.ChainCosts;
import io.rehoboam.bot.layer2.CrossLayerConfig;
import io.rehoboam.bot.layer2.CrossLayerQuote;
import io.rehoboam.bot.layer2.CrossLayerScanner;
import io.rehoboam.bot.layer2.internal.Layer2Settings.ChainSettings;
import io.rehoboam.core.sim.SimMarketSource;
import io.rehoboam.spi.Bot;
import io.rehoboam.spi.BotContext;
import io.rehoboam.spi.BotHealth;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.LogLevel;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.Subscription;
import io.rehoboam.spi.market.MarketSource;
import io.rehoboam.spi.market.PoolUpdate;
import io.rehoboam.spi.market.Token;
import io.rehoboam.spi.trade.Execution;
import io.rehoboam.spi.trade.Opportunity;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code layer2} bot: watches one market source per chain (a multi-chain sim source counts once
 * per chain it serves), keeps a {@link CrossLayerScanner} of the mapped pools, publishes its best
 * opportunity per asset pair and direction as strategy {@code cross_layer}, expires what a later
 * scan no longer finds, and (with {@code auto_execute}) executes the best new one through the
 * service, one at a time.
 *
 * <p>Threading: sources' delivery threads only park updates; one drain task at a time on the
 * context's blocking executor applies them and scans.
 */
public final class Layer2Bot implements Bot {
  private static final Logger log = LoggerFactory.getLogger(Layer2Bot.class);
  private static final Duration HEARTBEAT = Duration.ofSeconds(1);
  private static final MathContext QUOTE_DISPLAY = new MathContext(18, RoundingMode.HALF_EVEN);
  static final String STRATEGY = "cross_layer";

  private record Published(
      String opportunityId, String signature, Instant expiresAt, String pair) {}

  private final BotContext ctx;
  private final Layer2Settings settings;
  private final VenueFactory venueFactory;

  private final Object pendingLock = new Object();
  private LinkedHashMap<String, PoolUpdate> pending = new LinkedHashMap<>();
  private boolean draining;
  private boolean rescanAll = true;

  // Guarded by this.
  private CrossLayerScanner scanner;
  private final Map<String, Published> published = new HashMap<>();
  private boolean stopped;

  private volatile Desk desk;
  private volatile Map<String, Token> tokensByChainAddress = Map.of();
  private volatile Map<Long, MarketSource> sourceByChain = Map.of();
  private volatile Map<String, String> assetByChainToken = Map.of();
  private volatile String failure;
  private int fullScanPools = -1;
  private int fullScanPairs;
  private final AtomicBoolean executing = new AtomicBoolean();
  private final io.rehoboam.core.risk.RejectionSummary refusals;
  private final java.util.ArrayDeque<java.time.Instant> sent = new java.util.ArrayDeque<>();
  private final List<Subscription> subscriptions = new ArrayList<>();
  private ScheduledFuture<?> beat;

  /** Builds the parts of a venue that talk to a chain; the evm one needs web3j. */
  public interface VenueFactory {
    ChainVenue create(ChainSettings chain, Map<String, Integer> decimalsByToken, BotContext ctx);
  }

  public Layer2Bot(BotContext ctx, Layer2Settings settings, VenueFactory venueFactory) {
    this.ctx = ctx;
    this.settings = settings;
    this.venueFactory = venueFactory;
    this.refusals =
        new io.rehoboam.core.risk.RejectionSummary(
            ctx.clock(), ctx.scheduler(), line -> ctx.log(LogLevel.INFO, line));
    List<String> known = ctx.marketSourceIds();
    for (ChainSettings c : settings.chains()) {
      if (!known.contains(c.source())) {
        throw new RehoboamException(
            ErrorCode.INVALID_CONFIG,
            "chains: chain "
                + c.chainId()
                + ": no market source with id '"
                + c.source()
                + "' (known: "
                + String.join(", ", known)
                + ")");
      }
    }
  }

  @Override
  public void start() {
    refusals.open();
    Map<Long, MarketSource> sources = new LinkedHashMap<>();
    Map<String, Token> tokens = new HashMap<>();
    for (ChainSettings c : settings.chains()) {
      MarketSource source = ctx.marketSource(c.source());
      sources.put(c.chainId(), source);
      for (Token t : source.tokens().values()) {
        if (t.chainId() == c.chainId()) {
          tokens.put(t.chainId() + ":" + t.address(), t);
        }
      }
    }
    sourceByChain = Map.copyOf(sources);
    tokensByChainAddress = Map.copyOf(tokens);
    AssetMap assets = assetMap(tokens);
    Map<String, Integer> decimals = assetDecimals(assets, tokens);
    Map<String, String> reverse = new HashMap<>();
    assets.asMap().forEach((a, m) -> m.forEach((c, t) -> reverse.put(c + ":" + t, a)));
    assetByChainToken = Map.copyOf(reverse);
    List<ChainCosts> costs = new ArrayList<>();
    for (ChainSettings c : settings.chains()) {
      costs.add(
          new ChainCosts(
              c.chainId(), c.gasPriceWei(), c.gasPerSwap(), c.l1DataFeeWei(), c.nativeAsset()));
    }
    List<String> startAssets =
        settings.startAssets().isEmpty() ? assets.assets() : settings.startAssets();
    CrossLayerConfig config;
    try {
      config =
          new CrossLayerConfig(
              assets,
              costs,
              settings.bridges(),
              settings.mode(),
              startAssets,
              settings.minProfitBaseUnits());
      for (ChainSettings c : settings.chains()) {
        for (ChainSettings d : settings.chains()) {
          if (c != d) {
            config.bridge(c.chainId(), d.chainId());
          }
        }
      }
    } catch (RehoboamException e) {
      throw new RehoboamException(ErrorCode.INVALID_CONFIG, e.getMessage(), e);
    }
    if (settings.mode() == io.rehoboam.bot.layer2.Layer2Mode.BRIDGE) {
      for (ChainSettings c : settings.chains()) {
        if (c.rpcUrl() != null) {
          throw new RehoboamException(
              ErrorCode.INVALID_CONFIG,
              "mode: bridge mode trades on sim chains only (its bridge is simulated); chain "
                  + c.chainId()
                  + " has rpc_url");
        }
      }
    }
    Map<Long, ChainVenue> venues = new LinkedHashMap<>();
    try {
      for (ChainSettings c : settings.chains()) {
        venues.put(c.chainId(), venue(c, sources.get(c.chainId()), assets, decimals));
      }
    } catch (RuntimeException e) {
      venues.values().forEach(ChainVenue::close);
      throw e;
    }
    Desk d =
        new Desk(ctx, settings, config, venues, assets.asMap(), asset -> decimalsOf(asset, assets));
    synchronized (this) {
      scanner = new CrossLayerScanner(config);
      stopped = false;
    }
    desk = d;
    try {
      // The bot's own executor: the engine executes the bot's opportunities through it (risk
      // policy, journal, once per opportunity), and it hands each to this desk.
      subscriptions.add(ctx.registerExecutor(new Layer2Executor(settings.executor(), d)));
      d.refreshBalances();
      List<MarketSource> distinct = new ArrayList<>();
      for (MarketSource s : sources.values()) {
        if (!distinct.contains(s)) {
          distinct.add(s);
        }
      }
      for (MarketSource s : distinct) {
        subscriptions.add(s.subscribe(this::offer));
      }
    } catch (RuntimeException e) {
      stop(Duration.ZERO);
      throw e;
    }
    long nanos = HEARTBEAT.toNanos();
    beat = ctx.scheduler().scheduleAtFixedRate(ctx::heartbeat, nanos, nanos, TimeUnit.NANOSECONDS);
    ctx.log(
        LogLevel.INFO,
        settings.mode().wireName()
            + " mode on chains "
            + sources.keySet()
            + ", assets "
            + assets.asMap()
            + ", executing "
            + (settings.autoExecute()
                ? "through " + settings.executor()
                : "nothing (auto_execute off)"));
    request(true);
  }

  private ChainVenue venue(
      ChainSettings c, MarketSource source, AssetMap assets, Map<String, Integer> decimals) {
    Map<String, Integer> byToken = new HashMap<>();
    Map<String, BigInteger> start = new HashMap<>();
    for (Map.Entry<String, Map<Long, String>> a : assets.asMap().entrySet()) {
      String token = a.getValue().get(c.chainId());
      if (token != null) {
        byToken.put(token, decimals.get(a.getKey()));
      }
    }
    for (Map.Entry<String, BigDecimal> e : c.inventory().entrySet()) {
      String token =
          assets
              .address(e.getKey(), c.chainId())
              .orElseThrow(
                  () ->
                      new RehoboamException(
                          ErrorCode.INVALID_CONFIG,
                          "chains: chain "
                              + c.chainId()
                              + ".inventory."
                              + e.getKey()
                              + ": not an asset of this chain (assets: "
                              + assets.assets()
                              + ")"));
      start.put(
          token,
          e.getValue()
              .movePointRight(decimals.get(e.getKey()))
              .setScale(0, RoundingMode.FLOOR)
              .toBigInteger());
    }
    if (c.rpcUrl() != null) {
      return venueFactory.create(c, byToken, ctx);
    }
    java.util.Optional<SimMarketSource> sim = source.capability(SimMarketSource.class);
    if (sim.isPresent()) {
      return new SimVenue(c.chainId(), sim.get(), start, ctx.blockingExecutor());
    }
    throw new RehoboamException(
        ErrorCode.INVALID_CONFIG,
        "chains: chain "
            + c.chainId()
            + ": source '"
            + c.source()
            + "' is not a sim source; give rpc_url, private_key and routers to trade on it");
  }

  private AssetMap assetMap(Map<String, Token> tokens) {
    if (!settings.assetAddresses().isEmpty()) {
      return new AssetMap(settings.assetAddresses());
    }
    Map<String, Map<Long, String>> bySymbol = new LinkedHashMap<>();
    for (String symbol : settings.assetSymbols()) {
      Map<Long, String> chains = new LinkedHashMap<>();
      for (ChainSettings c : settings.chains()) {
        List<String> matches = new ArrayList<>();
        for (Token t : tokens.values()) {
          if (t.chainId() == c.chainId() && t.symbol().equalsIgnoreCase(symbol)) {
            matches.add(t.address());
          }
        }
        if (matches.size() > 1) {
          throw new RehoboamException(
              ErrorCode.INVALID_CONFIG,
              "assets: symbol "
                  + symbol
                  + " names "
                  + matches.size()
                  + " tokens on chain "
                  + c.chainId()
                  + "; give the asset map with addresses");
        }
        if (matches.size() == 1) {
          chains.put(c.chainId(), matches.get(0));
        }
      }
      if (chains.size() >= 2) {
        bySymbol.put(symbol, chains);
      }
    }
    if (bySymbol.isEmpty()) {
      throw new RehoboamException(
          ErrorCode.INVALID_CONFIG,
          "assets: none of " + settings.assetSymbols() + " is on two or more of the chains");
    }
    return new AssetMap(bySymbol);
  }

  private Map<String, Integer> assetDecimals(AssetMap assets, Map<String, Token> tokens) {
    Map<String, Integer> out = new HashMap<>();
    for (Map.Entry<String, Map<Long, String>> a : assets.asMap().entrySet()) {
      Integer decimals = null;
      for (Map.Entry<Long, String> c : a.getValue().entrySet()) {
        Token t = tokens.get(c.getKey() + ":" + c.getValue());
        if (t == null) {
          continue;
        }
        if (decimals != null && decimals != t.decimals()) {
          throw new RehoboamException(
              ErrorCode.INVALID_CONFIG,
              "assets."
                  + a.getKey()
                  + ": has "
                  + decimals
                  + " decimals on one chain and "
                  + t.decimals()
                  + " on chain "
                  + c.getKey()
                  + "; an asset must have the same decimals on every chain");
        }
        decimals = t.decimals();
      }
      out.put(a.getKey(), decimals == null ? 18 : decimals);
    }
    return out;
  }

  @Override
  public void stop(Duration timeout) {
    for (Subscription s : subscriptions) {
      s.close();
    }
    subscriptions.clear();
    if (beat != null) {
      beat.cancel(false);
    }
    refusals.close();
    synchronized (this) {
      stopped = true;
      Instant now = ctx.clock().instant();
      for (Published p : published.values()) {
        if (now.isBefore(p.expiresAt())) {
          ctx.expireOpportunity(p.opportunityId(), "layer2 bot stopped");
        }
      }
      published.clear();
    }
    synchronized (pendingLock) {
      pending.clear();
    }
    Desk d = desk;
    if (d != null) {
      d.close();
    }
  }

  @Override
  public void command(String type, Map<String, Object> payload) {
    Desk d = desk;
    switch (type) {
      case "inventory", "positions", "transfers" -> {
        if (d == null) {
          throw new RehoboamException(ErrorCode.CONFLICT, "command: the bot is not running");
        }
        d.report(type);
      }
      case "rescan" -> request(true);
      default ->
          throw new RehoboamException(
              ErrorCode.INVALID_ARGUMENT,
              "command: unknown command '"
                  + type
                  + "' (known: inventory, positions, transfers, rescan)");
    }
  }

  /**
   * DOWN when scanning failed; DEGRADED while a failed leg left a position that is not unwound;
   * else UP. The message shows every chain's inventory, live opportunities, executions in flight,
   * positions and transfers.
   */
  @Override
  public BotHealth health() {
    if (failure != null) {
      return BotHealth.down(failure);
    }
    Desk d = desk;
    if (d == null) {
      return BotHealth.up();
    }
    StringBuilder sb = new StringBuilder(settings.mode().wireName()).append(" mode");
    sb.append("; inventory ").append(d.inventoryText());
    sb.append("; live opportunities ").append(liveCount());
    sb.append("; in flight ").append(d.inFlight());
    long transfers = d.transfers().stream().filter(t -> t.state() != TransferState.SETTLED).count();
    sb.append("; transfers in flight ").append(transfers);
    long open = d.openPositions();
    sb.append("; open positions ").append(open);
    return open > 0
        ? BotHealth.degraded(sb.toString())
        : new BotHealth(BotHealth.Status.UP, sb.toString());
  }

  private synchronized int liveCount() {
    return published.size();
  }

  // ---------------------------------------------------------------- feed and scan

  private void offer(PoolUpdate update) {
    if (!sourceByChain.containsKey(update.pool().chainId())) {
      return;
    }
    synchronized (pendingLock) {
      pending.put(update.pool().id(), update);
    }
    request(false);
  }

  private void request(boolean all) {
    boolean start;
    synchronized (pendingLock) {
      if (failure != null) {
        return;
      }
      rescanAll |= all;
      start = !draining;
      draining = true;
    }
    if (start) {
      try {
        ctx.blockingExecutor().execute(this::drain);
      } catch (RejectedExecutionException e) {
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
      boolean all;
      synchronized (pendingLock) {
        if (pending.isEmpty() && !rescanAll) {
          draining = false;
          return;
        }
        batch = new ArrayList<>(pending.values());
        pending = new LinkedHashMap<>();
        all = rescanAll;
        rescanAll = false;
      }
      try {
        process(batch, all);
      } catch (RuntimeException e) {
        String reason = "cross-layer scan failed: " + e;
        log.error("Layer2 bot {}: {}", ctx.botId(), reason, e);
        synchronized (pendingLock) {
          failure = reason;
          pending.clear();
          draining = false;
        }
        ctx.reportFailure("cross-layer scan failed", e);
        return;
      }
    }
  }

  private void process(List<PoolUpdate> batch, boolean fullScan) {
    boolean all = fullScan;
    List<Opportunity> fresh = new ArrayList<>();
    synchronized (this) {
      if (stopped || scanner == null) {
        return;
      }
      for (PoolUpdate u : batch) {
        scanner.apply(u);
      }
      List<CrossLayerQuote> quotes =
          all ? scanner.scanAll(inputs()) : scanner.scanChanged(inputs());
      int watched = scanner.poolCount();
      if (watched != fullScanPools) {
        all = true;
        fullScanPools = watched;
      }
      if (all) {
        fullScanPairs = scanner.crossChainPairs();
      }
      Instant now = ctx.clock().instant();
      // Past their time to live the service has expired them: forget their plans too.
      published
          .values()
          .removeIf(
              p -> {
                boolean gone = !now.isBefore(p.expiresAt());
                if (gone) {
                  desk.forget(p.opportunityId());
                }
                return gone;
              });
      Map<String, CrossLayerQuote> found = new HashMap<>();
      for (CrossLayerQuote q : quotes) {
        if (!desk.showsOwnSwaps(q.buyPool().id(), scanner.sequenceOf(q.buyPool().id()))
            || !desk.showsOwnSwaps(q.sellPool().id(), scanner.sequenceOf(q.sellPool().id()))) {
          continue;
        }
        CrossLayerQuote sized = capped(q);
        if (sized != null) {
          found.put(CrossLayerScanner.key(sized), sized);
        }
      }
      // Every key the scan returned, and every key published for a pair it scanned (gone if not
      // returned again).
      java.util.Set<String> keys = new java.util.LinkedHashSet<>(found.keySet());
      java.util.Set<String> scannedPairs = scanner.lastScannedPairs();
      for (Map.Entry<String, Published> e : published.entrySet()) {
        if (scannedPairs.contains(e.getValue().pair())) {
          keys.add(e.getKey());
        }
      }
      for (String key : keys) {
        Published old = published.get(key);
        CrossLayerQuote q = found.get(key);
        String signature = q == null ? null : signature(q);
        if (old != null && old.signature().equals(signature)) {
          continue;
        }
        if (old != null) {
          published.remove(key);
          desk.forget(old.opportunityId());
          ctx.expireOpportunity(
              old.opportunityId(),
              q == null
                  ? "no longer pays after the latest pool updates"
                  : "replaced by a new quote");
        }
        if (q == null) {
          continue;
        }
        Opportunity o = opportunity(q, now);
        if (settings.minProfitUsd() != null
            && (o.netProfitUsd() == null
                || o.netProfitUsd().compareTo(settings.minProfitUsd()) < 0)) {
          continue;
        }
        desk.remember(o, q);
        published.put(
            key,
            new Published(
                o.id(),
                signature,
                o.expiresAt(),
                scanner.pairName(q.startAsset(), q.otherAsset())));
        fresh.add(o);
      }
    }
    fresh.sort((a, b) -> b.netProfit().compareTo(a.netProfit()));
    for (Opportunity o : fresh) {
      ctx.publishOpportunity(o, settings.executor());
    }
    if (all) {
      // A full scan (start, rescan command) or one that saw pools come or go says what it
      // covered, so that "nothing found" is visible as such.
      ctx.log(
          LogLevel.INFO,
          "layer2.scan {\"watched_pools\":"
              + fullScanPools
              + ",\"cross_chain_pairs\":"
              + fullScanPairs
              + ",\"published\":"
              + fresh.size()
              + "}");
    }
    ctx.heartbeat();
    if (settings.autoExecute() && !fresh.isEmpty()) {
      maybeExecute(fresh.get(0));
    }
  }

  /**
   * The quote with its input cut down to {@code max_input} (quote currency) when it is worth more,
   * recomputed exactly; null when the smaller trade no longer reaches the minimum net profit.
   */
  private CrossLayerQuote capped(CrossLayerQuote q) {
    if (settings.maxInputUsd() == null) {
      return q;
    }
    Token start = token(q.buyChain(), q.startTokenBuy());
    Optional<BigDecimal> price = quotePrice(q.buyChain(), q.startTokenBuy());
    if (start == null || price.isEmpty() || price.get().signum() <= 0) {
      return null;
    }
    BigInteger cap =
        settings
            .maxInputUsd()
            .divide(price.get(), MathContext.DECIMAL128)
            .movePointRight(start.decimals())
            .setScale(0, RoundingMode.FLOOR)
            .toBigInteger();
    if (q.amountIn().compareTo(cap) <= 0) {
      return q;
    }
    if (cap.signum() <= 0) {
      return null;
    }
    try {
      CrossLayerQuote smaller = q.withAmountIn(cap);
      return smaller.netProfit().compareTo(settings.minProfitBaseUnits()) >= 0 ? smaller : null;
    } catch (RehoboamException e) {
      return null;
    }
  }

  private static String signature(CrossLayerQuote q) {
    return q.buyPool().id()
        + "|"
        + q.sellPool().id()
        + "|"
        + q.amountIn()
        + "|"
        + q.proceeds()
        + "|"
        + q.netProfit();
  }

  private void maybeExecute(Opportunity o) {
    Desk d = desk;
    if (d == null || d.inFlight() > 0 || !executing.compareAndSet(false, true)) {
      return;
    }
    if (!takePace()) {
      executing.set(false);
      return;
    }
    try {
      ctx.execute(o.id(), null, settings.executor())
          .whenComplete(
              (execution, error) -> {
                executing.set(false);
                if (error != null) {
                  Throwable cause = error.getCause() != null ? error.getCause() : error;
                  String line = "not executed " + o.id() + ": " + cause.getMessage();
                  if (cause instanceof io.rehoboam.spi.RehoboamException re
                      && re.code() == io.rehoboam.spi.ErrorCode.RISK_REJECTED) {
                    // A stream of refusals: the first of each minute, then a count.
                    refusals.record("risk", line);
                  } else {
                    ctx.log(LogLevel.INFO, line);
                  }
                } else {
                  logExecution(execution);
                }
              });
    } catch (RuntimeException e) {
      executing.set(false);
      ctx.log(LogLevel.WARN, "executing " + o.id() + " failed: " + e.getMessage());
    }
  }

  /** A place in the bot's own per-minute pace ({@code max_trades_per_minute}); false when used. */
  private boolean takePace() {
    if (settings.maxTradesPerMinute() == 0) {
      return true;
    }
    java.time.Instant now = ctx.clock().instant();
    synchronized (sent) {
      java.time.Instant cutoff = now.minus(Duration.ofMinutes(1));
      while (!sent.isEmpty() && !sent.peekFirst().isAfter(cutoff)) {
        sent.pollFirst();
      }
      if (sent.size() >= settings.maxTradesPerMinute()) {
        return false;
      }
      sent.addLast(now);
      return true;
    }
  }

  private void logExecution(Execution e) {
    ctx.log(
        LogLevel.INFO,
        "execution "
            + e.id()
            + " of "
            + e.opportunityId()
            + ": "
            + e.status().name().toLowerCase(Locale.ROOT)
            + (e.realizedProfit() == null ? "" : ", realized " + e.realizedProfit())
            + (e.reason() == null ? "" : " (" + e.reason() + ")"));
  }

  private Opportunity opportunity(CrossLayerQuote q, Instant now) {
    BigInteger amountOut = q.returned();
    BigInteger profit = amountOut.subtract(q.amountIn());
    BigInteger gas = q.otherCosts();
    Token start = token(q.buyChain(), q.startTokenBuy());
    Optional<BigDecimal> price = quotePrice(q.buyChain(), q.startTokenBuy());
    BigDecimal profitUsd = null;
    BigDecimal netUsd = null;
    if (start != null && price.isPresent()) {
      profitUsd = usd(profit, start.decimals(), price.get());
      netUsd = usd(profit.subtract(gas), start.decimals(), price.get());
    }
    return new Opportunity(
        desk.nextOpportunityId(),
        STRATEGY,
        ctx.botId(),
        q.startTokenBuy(),
        q.amountIn(),
        amountOut,
        profit,
        gas,
        profit.subtract(gas),
        profitUsd,
        netUsd,
        q.sequence(),
        now,
        now.plus(settings.ttl()),
        q.legs());
  }

  private static BigDecimal usd(BigInteger amount, int decimals, BigDecimal price) {
    return new BigDecimal(amount, decimals)
        .multiply(price)
        .round(QUOTE_DISPLAY)
        .stripTrailingZeros();
  }

  /**
   * The token's metadata as its chain's source knows it now: an evm source learns its tokens only
   * after the first subscription, so nothing is cached from before.
   */
  private Token token(long chainId, String address) {
    Token known = tokensByChainAddress.get(chainId + ":" + address);
    if (known != null) {
      return known;
    }
    MarketSource source = sourceByChain.get(chainId);
    Token t = source == null ? null : source.tokens().get(address);
    return t != null && t.chainId() == chainId ? t : null;
  }

  /** The decimals of an asset: those of its token on the first chain whose source knows it. */
  private int decimalsOf(String asset, AssetMap assets) {
    for (Map.Entry<Long, String> c : assets.asMap().get(asset).entrySet()) {
      Token t = token(c.getKey(), c.getValue());
      if (t != null) {
        return t.decimals();
      }
    }
    return 18;
  }

  private Optional<BigDecimal> quotePrice(long chainId, String token) {
    String asset = assetByChainToken.get(chainId + ":" + token);
    if (asset != null && settings.assetQuotePrices().containsKey(asset)) {
      return Optional.of(settings.assetQuotePrices().get(asset));
    }
    MarketSource source = sourceByChain.get(chainId);
    return source == null ? Optional.empty() : source.quotePrice(token);
  }

  private CrossLayerScanner.Inputs inputs() {
    Desk d = desk;
    return new CrossLayerScanner.Inputs() {
      @Override
      public OptionalInt decimals(long chainId, String token) {
        Token t = token(chainId, token);
        return t == null ? OptionalInt.empty() : OptionalInt.of(t.decimals());
      }

      @Override
      public Optional<BigDecimal> quotePrice(long chainId, String token) {
        return Layer2Bot.this.quotePrice(chainId, token);
      }

      @Override
      public BigInteger available(long chainId, String token) {
        return d.balance(chainId, token);
      }
    };
  }
}
