package io.rehoboam.bot.layer2.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.rehoboam.bot.layer2.BridgeTerms;
import io.rehoboam.bot.layer2.CrossLayerConfig;
import io.rehoboam.bot.layer2.CrossLayerQuote;
import io.rehoboam.bot.layer2.Layer2Mode;
import io.rehoboam.bot.layer2.internal.Layer2Settings.FailurePolicy;
import io.rehoboam.spi.BotContext;
import io.rehoboam.spi.LogLevel;
import io.rehoboam.spi.trade.Execution;
import io.rehoboam.spi.trade.ExecutionMode;
import io.rehoboam.spi.trade.ExecutionRequest;
import io.rehoboam.spi.trade.ExecutionStatus;
import io.rehoboam.spi.trade.LegExecution;
import io.rehoboam.spi.trade.Opportunity;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executes a layer2 bot's opportunities on its chains and keeps what that leaves: per-chain
 * balances (through the venues), bridge transfers until they settle, and positions that a failed
 * leg left. Reached by the bot's own {@link Layer2Executor}, which the bot registers with the
 * engine; statuses after the first go back through the engine's {@link
 * io.rehoboam.spi.trade.ExecutionUpdates}.
 *
 * <p>Threading: thread-safe. Swaps run on the venues' threads, settlements on the context's
 * scheduler; nothing blocks the caller of {@link #execute}.
 */
final class Desk {
  private static final Logger log = LoggerFactory.getLogger(Desk.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final BigInteger TEN_THOUSAND = BigInteger.valueOf(10_000);

  /** An opportunity this desk published, with the quote it came from. */
  record Plan(Opportunity opportunity, CrossLayerQuote quote) {}

  /**
   * What a failed leg left behind.
   *
   * @param state {@code open} (held), {@code unwound} (swapped back) or {@code unwind_failed}
   *     (swapping back reverted; held)
   * @param amount base units of {@code token} held (negative: owed back, after selling inventory
   *     the other leg did not replace)
   */
  record Position(
      String id,
      String opportunityId,
      String executionId,
      long chainId,
      String asset,
      String token,
      BigInteger amount,
      String policy,
      PositionState state,
      String reason,
      Instant at) {}

  /** One bridge transfer (bridge mode). */
  record Transfer(
      String id,
      String opportunityId,
      String bridge,
      long fromChain,
      long toChain,
      String asset,
      BigInteger amount,
      BigInteger fee,
      Instant sentAt,
      Instant arrivesAt,
      TransferState state) {
    Transfer settled() {
      return new Transfer(
          id,
          opportunityId,
          bridge,
          fromChain,
          toChain,
          asset,
          amount,
          fee,
          sentAt,
          arrivesAt,
          TransferState.SETTLED);
    }
  }

  private final String id = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  private final BotContext ctx;
  private final Layer2Settings settings;
  private final CrossLayerConfig config;
  private final Map<Long, ChainVenue> venues;
  private final Map<String, Map<Long, String>> assets;
  private final Function<String, Integer> decimalsOfAsset;
  private final Map<String, Plan> plans = new ConcurrentHashMap<>();
  private final List<Position> positions = new CopyOnWriteArrayList<>();
  private final Map<String, Transfer> transfers = new ConcurrentHashMap<>();
  private final Map<String, Boolean> belowLevel = new ConcurrentHashMap<>();
  private final Map<String, Long> ownSwaps = new ConcurrentHashMap<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger sequence = new AtomicInteger();
  private volatile boolean closed;

  Desk(
      BotContext ctx,
      Layer2Settings settings,
      CrossLayerConfig config,
      Map<Long, ChainVenue> venues,
      Map<String, Map<Long, String>> assets,
      Function<String, Integer> decimalsOfAsset) {
    this.ctx = ctx;
    this.settings = settings;
    this.config = config;
    this.venues = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(venues));
    this.assets = assets;
    this.decimalsOfAsset = decimalsOfAsset;
  }

  String id() {
    return id;
  }

  /** Every layer2 opportunity id starts with this. */
  public static final String PREFIX = "xl-";

  /** A new opportunity id, unique to this desk: {@code xl-<desk>-<n>}. */
  String nextOpportunityId() {
    return PREFIX + id + "-" + sequence.incrementAndGet();
  }

  boolean live() {
    for (ChainVenue v : venues.values()) {
      if (v.live()) {
        return true;
      }
    }
    return false;
  }

  String botId() {
    return ctx.botId();
  }

  void remember(Opportunity o, CrossLayerQuote q) {
    plans.put(o.id(), new Plan(o, q));
  }

  void forget(String opportunityId) {
    plans.remove(opportunityId);
  }

  /**
   * Whether a pool's state scanned at {@code scannedSequence} already shows this desk's own swaps
   * in it. Right after a trade one chain's source may report its leg before the other chain's
   * source reports the other: a quote on such a half-updated picture would chase a gap the trade
   * already closed.
   */
  boolean showsOwnSwaps(String poolId, long scannedSequence) {
    Long needed = ownSwaps.get(poolId);
    if (needed == null) {
      return true;
    }
    if (scannedSequence >= needed) {
      ownSwaps.remove(poolId, needed);
      return true;
    }
    return false;
  }

  private CompletableFuture<LegFill> swap(
      ChainVenue venue,
      io.rehoboam.spi.market.Pool pool,
      String tokenIn,
      String tokenOut,
      BigInteger amountIn,
      BigInteger minAmountOut) {
    return venue
        .swap(pool.id(), pool.dex(), tokenIn, tokenOut, amountIn, minAmountOut)
        .thenApply(fill -> swapped(pool.id(), fill));
  }

  /** Remembers that {@code poolId} changed by a swap of this desk at {@code fill}'s sequence. */
  private LegFill swapped(String poolId, LegFill fill) {
    if (fill.filled() && fill.sequence() >= 0) {
      ownSwaps.merge(poolId, fill.sequence(), Math::max);
    }
    return fill;
  }

  /** Executions (and bridge-mode round trips) not finished yet. */
  int inFlight() {
    return inFlight.get();
  }

  List<Position> positions() {
    return List.copyOf(positions);
  }

  List<Transfer> transfers() {
    return List.copyOf(transfers.values());
  }

  long openPositions() {
    return positions.stream().filter(p -> p.state() != PositionState.UNWOUND).count();
  }

  BigInteger balance(long chainId, String token) {
    ChainVenue v = venues.get(chainId);
    return v == null ? BigInteger.ZERO : v.balance(token);
  }

  /** Every mapped asset's balance on every chain, base units: {@code {chain: {asset: amount}}}. */
  Map<String, Map<String, BigInteger>> inventory() {
    Map<String, Map<String, BigInteger>> out = new LinkedHashMap<>();
    for (Map.Entry<Long, ChainVenue> v : venues.entrySet()) {
      Map<String, BigInteger> byAsset = new LinkedHashMap<>();
      for (Map.Entry<String, Map<Long, String>> a : assets.entrySet()) {
        String token = a.getValue().get(v.getKey());
        if (token != null) {
          byAsset.put(a.getKey(), v.getValue().balance(token));
        }
      }
      out.put(String.valueOf(v.getKey()), byAsset);
    }
    return out;
  }

  /** {@link #inventory()} in whole units, for people: {@code {1={WETH=12.5, USDC=3000}}}. */
  String inventoryText() {
    Map<String, Map<String, String>> out = new LinkedHashMap<>();
    inventory()
        .forEach(
            (chain, byAsset) -> {
              Map<String, String> whole = new LinkedHashMap<>();
              byAsset.forEach(
                  (asset, amount) ->
                      whole.put(
                          asset,
                          new BigDecimal(amount, decimalsOfAsset.apply(asset))
                              .stripTrailingZeros()
                              .toPlainString()));
              out.put(chain, whole);
            });
    return out.toString();
  }

  void refreshBalances() {
    for (ChainVenue v : venues.values()) {
      v.refresh();
    }
  }

  // ---------------------------------------------------------------- execution

  /** Executes a request the {@code layer2} executor received; see the module README. */
  CompletableFuture<Execution> execute(ExecutionRequest request, ExecutionMode mode) {
    Instant started = ctx.clock().instant();
    Plan plan = plans.get(request.opportunity().id());
    if (plan == null || closed) {
      return CompletableFuture.completedFuture(
          finished(
              request,
              mode,
              started,
              ExecutionStatus.FAILED,
              "opportunity " + request.opportunity().id() + " is no longer held by bot " + botId(),
              request.opportunity().netProfit(),
              null,
              List.of(),
              List.of()));
    }
    CrossLayerQuote quote = plan.quote();
    if (request.amountIn() != null && !request.amountIn().equals(quote.amountIn())) {
      try {
        quote = quote.withAmountIn(request.amountIn());
      } catch (RuntimeException e) {
        return CompletableFuture.completedFuture(
            finished(
                request,
                mode,
                started,
                ExecutionStatus.FAILED,
                e.getMessage(),
                quote.netProfit(),
                null,
                List.of(),
                List.of()));
      }
    }
    if (request.dryRun()) {
      return CompletableFuture.completedFuture(
          finished(
              request,
              mode,
              started,
              ExecutionStatus.SIMULATED,
              null,
              quote.netProfit(),
              null,
              List.of(),
              List.of()));
    }
    inFlight.incrementAndGet();
    CompletableFuture<Execution> result =
        quote.mode() == Layer2Mode.INVENTORY
            ? inventory(request, mode, started, quote)
            : bridge(request, mode, started, quote);
    return result.whenComplete(
        (e, failure) -> {
          if (e == null || e.status().isTerminal()) {
            inFlight.decrementAndGet();
          }
          afterTrade();
        });
  }

  private BigInteger minOut(BigInteger predicted) {
    return predicted.subtract(
        predicted.multiply(BigInteger.valueOf(settings.slippageBps())).divide(TEN_THOUSAND));
  }

  private BigInteger unwindMin(BigInteger reference) {
    return reference.subtract(
        reference.multiply(BigInteger.valueOf(settings.maxUnwindLossBps())).divide(TEN_THOUSAND));
  }

  private CompletableFuture<Execution> inventory(
      ExecutionRequest request, ExecutionMode mode, Instant started, CrossLayerQuote q) {
    ChainVenue buy = venues.get(q.buyChain());
    ChainVenue sell = venues.get(q.sellChain());
    // Both legs checked on the latest state before either is sent: a price that moved since the
    // quote means no trade, not one filled leg that must be unwound for two pool fees.
    Optional<String> stale =
        staleLeg(0, buy, q.buyPool(), q.startTokenBuy(), q.amountIn(), minOut(q.bought()))
            .or(
                () ->
                    staleLeg(
                        1, sell, q.sellPool(), q.otherTokenSell(), q.sold(), minOut(q.proceeds())));
    if (stale.isPresent()) {
      return CompletableFuture.completedFuture(
          finished(
              request,
              mode,
              started,
              ExecutionStatus.FAILED,
              "not sent: the price moved since the quote: " + stale.get(),
              q.netProfit(),
              null,
              List.of(),
              List.of()));
    }
    CompletableFuture<LegFill> buyLeg =
        swap(
            buy,
            q.buyPool(),
            q.startTokenBuy(),
            q.otherTokenBuy(),
            q.amountIn(),
            minOut(q.bought()));
    CompletableFuture<LegFill> sellLeg =
        swap(
            sell,
            q.sellPool(),
            q.otherTokenSell(),
            q.startTokenSell(),
            q.sold(),
            minOut(q.proceeds()));
    return buyLeg
        .thenCombine(sellLeg, (a, b) -> new LegFill[] {a, b})
        .thenCompose(fills -> settleInventory(request, mode, started, q, fills[0], fills[1]));
  }

  /**
   * Why a leg would fail if sent now (the account cannot pay it, or the latest state gives less
   * than its minimum), or empty when it would fill or the venue cannot tell.
   */
  private static Optional<String> staleLeg(
      int index,
      ChainVenue venue,
      io.rehoboam.spi.market.Pool pool,
      String tokenIn,
      BigInteger amountIn,
      BigInteger minOut) {
    BigInteger held = venue.balance(tokenIn);
    if (!venue.live() && held.compareTo(amountIn) < 0) {
      return Optional.of(
          "leg "
              + index
              + " on chain "
              + venue.chainId()
              + " needs "
              + amountIn
              + ", holds "
              + held);
    }
    return venue
        .quote(pool.id(), tokenIn, amountIn)
        .filter(out -> out.compareTo(minOut) < 0)
        .map(
            out ->
                "leg "
                    + index
                    + " on chain "
                    + venue.chainId()
                    + " would give "
                    + out
                    + ", below its minimum "
                    + minOut);
  }

  private CompletableFuture<Execution> settleInventory(
      ExecutionRequest request,
      ExecutionMode mode,
      Instant started,
      CrossLayerQuote q,
      LegFill a,
      LegFill b) {
    List<LegExecution> legs = new ArrayList<>();
    legs.add(leg(0, a));
    legs.add(leg(1, b));
    List<String> hashes = hashes(a, b);
    ExecutionStatus done =
        mode == ExecutionMode.LIVE ? ExecutionStatus.CONFIRMED : ExecutionStatus.SIMULATED;
    if (a.filled() && b.filled()) {
      BigInteger realized =
          b.amountOut()
              .subtract(q.homeBridge().fee(b.amountOut()))
              .subtract(a.amountIn())
              .subtract(q.gasCost())
              .subtract(q.homeBridge().haircut(b.amountOut()));
      return CompletableFuture.completedFuture(
          finished(request, mode, started, done, null, q.netProfit(), realized, hashes, legs));
    }
    if (!a.filled() && !b.filled()) {
      boolean reverted =
          a.status() == ExecutionStatus.REVERTED && b.status() == ExecutionStatus.REVERTED;
      return CompletableFuture.completedFuture(
          finished(
              request,
              mode,
              started,
              reverted ? ExecutionStatus.REVERTED : ExecutionStatus.FAILED,
              "both legs failed: chain "
                  + a.chainId()
                  + ": "
                  + a.reason()
                  + "; chain "
                  + b.chainId()
                  + ": "
                  + b.reason(),
              q.netProfit(),
              null,
              hashes,
              legs));
    }
    // One leg filled, the other did not: what the filled leg left is a position.
    boolean buyFilled = a.filled();
    LegFill failedLeg = buyFilled ? b : a;
    String why =
        "leg "
            + (buyFilled ? 1 : 0)
            + " on chain "
            + failedLeg.chainId()
            + " "
            + failedLeg.status().name().toLowerCase(java.util.Locale.ROOT)
            + ": "
            + failedLeg.reason();
    long chain = buyFilled ? q.buyChain() : q.sellChain();
    String asset = buyFilled ? q.otherAsset() : q.startAsset();
    String token = buyFilled ? q.otherTokenBuy() : q.startTokenSell();
    BigInteger held = buyFilled ? a.amountOut() : b.amountOut();
    Position position =
        new Position(
            "pos-" + UUID.randomUUID().toString().substring(0, 8),
            request.opportunity().id(),
            request.executionId(),
            chain,
            asset,
            token,
            held,
            settings.failurePolicy().wireName(),
            PositionState.OPEN,
            why,
            ctx.clock().instant());
    BigInteger deltaStart = buyFilled ? a.amountIn().negate() : b.amountOut();
    BigInteger deltaOther = buyFilled ? a.amountOut() : b.amountIn().negate();
    if (settings.failurePolicy() == FailurePolicy.HOLD) {
      record(position);
      return CompletableFuture.completedFuture(
          finished(
              request,
              mode,
              started,
              ExecutionStatus.FAILED,
              why
                  + "; position "
                  + position.id()
                  + " held (policy hold): "
                  + held
                  + " of "
                  + token
                  + " on chain "
                  + chain,
              q.netProfit(),
              realized(q, deltaStart, deltaOther),
              hashes,
              legs));
    }
    // Unwind: swap back on the pool of the filled leg, accepting at most max_unwind_loss_bps.
    ChainVenue venue = venues.get(chain);
    CompletableFuture<LegFill> back =
        buyFilled
            ? swap(
                venue,
                q.buyPool(),
                q.otherTokenBuy(),
                q.startTokenBuy(),
                a.amountOut(),
                unwindMin(a.amountIn()))
            : swap(
                venue,
                q.sellPool(),
                q.startTokenSell(),
                q.otherTokenSell(),
                b.amountOut(),
                unwindMin(b.amountIn()));
    return back.thenApply(
        u -> {
          legs.add(new LegExecution(q.legs().size(), chain, u.status(), u.txHash(), u.reason()));
          List<String> all = new ArrayList<>(hashes);
          if (u.txHash() != null) {
            all.add(u.txHash());
          }
          BigInteger ds = deltaStart;
          BigInteger dx = deltaOther;
          Position p;
          String outcome;
          if (u.filled()) {
            ds = buyFilled ? ds.add(u.amountOut()) : ds.subtract(u.amountIn());
            dx = buyFilled ? dx.subtract(u.amountIn()) : dx.add(u.amountOut());
            p =
                withState(
                    position,
                    PositionState.UNWOUND,
                    position.reason()
                        + "; unwound: "
                        + u.amountIn()
                        + " swapped back for "
                        + u.amountOut());
            outcome =
                "; position "
                    + p.id()
                    + " unwound on chain "
                    + chain
                    + ": "
                    + u.amountIn()
                    + " of "
                    + token
                    + " swapped back for "
                    + u.amountOut();
          } else {
            p =
                withState(
                    position,
                    PositionState.UNWIND_FAILED,
                    position.reason() + "; unwind failed: " + u.reason());
            outcome =
                "; unwinding position "
                    + p.id()
                    + " failed ("
                    + u.reason()
                    + "): held "
                    + held
                    + " of "
                    + token
                    + " on chain "
                    + chain;
          }
          record(p);
          return finished(
              request,
              mode,
              started,
              ExecutionStatus.FAILED,
              why + outcome,
              q.netProfit(),
              realized(q, ds, dx),
              all,
              legs);
        });
  }

  /**
   * The realized profit of a partly executed trade in start-asset base units: the start asset
   * gained or lost, plus the other asset gained or lost valued at the quote's sell rate (rounded
   * toward minus infinity), less the modelled gas cost.
   */
  private static BigInteger realized(
      CrossLayerQuote q, BigInteger deltaStart, BigInteger deltaOther) {
    BigInteger[] qr = deltaOther.multiply(q.proceeds()).divideAndRemainder(q.sold());
    BigInteger value = qr[1].signum() < 0 ? qr[0].subtract(BigInteger.ONE) : qr[0];
    return deltaStart.add(value).subtract(q.gasCost());
  }

  // ---------------------------------------------------------------- bridge mode

  private CompletableFuture<Execution> bridge(
      ExecutionRequest request, ExecutionMode mode, Instant started, CrossLayerQuote q) {
    ChainVenue buy = venues.get(q.buyChain());
    return swap(
            buy,
            q.buyPool(),
            q.startTokenBuy(),
            q.otherTokenBuy(),
            q.amountIn(),
            minOut(q.bought()))
        .thenApply(
            a -> {
              List<LegExecution> legs = new ArrayList<>(List.of(leg(0, a)));
              if (!a.filled()) {
                return finished(
                    request,
                    mode,
                    started,
                    a.status() == ExecutionStatus.REVERTED
                        ? ExecutionStatus.REVERTED
                        : ExecutionStatus.FAILED,
                    "buy leg on chain " + a.chainId() + ": " + a.reason(),
                    q.netProfit(),
                    null,
                    hashes(a),
                    legs);
              }
              Transfer out =
                  send(
                      request.opportunity().id(),
                      q.outboundBridge(),
                      q.buyChain(),
                      q.sellChain(),
                      q.otherAsset(),
                      q.otherTokenBuy(),
                      a.amountOut());
              legs.add(
                  new LegExecution(1, q.buyChain(), ExecutionStatus.SUBMITTED, out.id(), null));
              Execution submitted =
                  Execution.submitted(
                          request.executionId(),
                          request.opportunity().id(),
                          mode,
                          q.netProfit(),
                          started)
                      .withTxHashes(hashes(a))
                      .withLegs(legs);
              schedule(
                  q.outboundBridge().settlement().toNanos(),
                  () -> arriveAndSell(request, mode, started, q, a, out, legs));
              return submitted;
            });
  }

  /**
   * Withdraws {@code amount} on {@code from} and puts it in flight over the bridge, less its fee.
   */
  private Transfer send(
      String opportunityId,
      BridgeTerms bridge,
      long from,
      long to,
      String asset,
      String token,
      BigInteger amount) {
    venues.get(from).withdraw(token, amount);
    Instant now = ctx.clock().instant();
    Transfer t =
        new Transfer(
            "xfer-" + UUID.randomUUID().toString().substring(0, 8),
            opportunityId,
            bridge.name(),
            from,
            to,
            asset,
            amount,
            bridge.fee(amount),
            now,
            now.plus(bridge.settlement()),
            TransferState.IN_FLIGHT);
    transfers.put(t.id(), t);
    event(LogLevel.INFO, "layer2.transfer", t);
    return t;
  }

  private void settle(Transfer t, String token) {
    venues.get(t.toChain()).deposit(token, t.amount().subtract(t.fee()));
    Transfer done = t.settled();
    transfers.put(t.id(), done);
    event(LogLevel.INFO, "layer2.transfer", done);
  }

  private void arriveAndSell(
      ExecutionRequest request,
      ExecutionMode mode,
      Instant started,
      CrossLayerQuote q,
      LegFill a,
      Transfer out,
      List<LegExecution> legs) {
    settle(out, q.otherTokenSell());
    legs.set(1, new LegExecution(1, q.buyChain(), ExecutionStatus.SIMULATED, out.id(), null));
    BigInteger arrived = out.amount().subtract(out.fee());
    ChainVenue sell = venues.get(q.sellChain());
    swap(sell, q.sellPool(), q.otherTokenSell(), q.startTokenSell(), arrived, minOut(q.proceeds()))
        .thenAccept(
            b -> {
              legs.add(leg(2, b));
              if (b.filled()) {
                Transfer home =
                    send(
                        request.opportunity().id(),
                        q.homeBridge(),
                        q.sellChain(),
                        q.buyChain(),
                        q.startAsset(),
                        q.startTokenSell(),
                        b.amountOut());
                legs.add(
                    new LegExecution(3, q.sellChain(), ExecutionStatus.SUBMITTED, home.id(), null));
                schedule(
                    q.homeBridge().settlement().toNanos(),
                    () -> {
                      settle(home, q.startTokenBuy());
                      legs.set(
                          3,
                          new LegExecution(
                              3, q.sellChain(), ExecutionStatus.SIMULATED, home.id(), null));
                      BigInteger realized =
                          b.amountOut()
                              .subtract(home.fee())
                              .subtract(a.amountIn())
                              .subtract(q.gasCost())
                              .subtract(q.homeBridge().haircut(b.amountOut()))
                              .subtract(q.outboundBridge().haircut(b.amountOut()));
                      publishFinal(
                          finished(
                              request,
                              mode,
                              started,
                              ExecutionStatus.SIMULATED,
                              null,
                              q.netProfit(),
                              realized,
                              hashes(a, b),
                              legs));
                    });
                return;
              }
              String why =
                  "sell leg on chain "
                      + b.chainId()
                      + " "
                      + b.status().name().toLowerCase(java.util.Locale.ROOT)
                      + " after the bridge settled: "
                      + b.reason();
              Position position =
                  new Position(
                      "pos-" + UUID.randomUUID().toString().substring(0, 8),
                      request.opportunity().id(),
                      request.executionId(),
                      q.sellChain(),
                      q.otherAsset(),
                      q.otherTokenSell(),
                      arrived,
                      settings.failurePolicy().wireName(),
                      PositionState.OPEN,
                      why,
                      ctx.clock().instant());
              if (settings.failurePolicy() == FailurePolicy.HOLD) {
                record(position);
                publishFinal(
                    finished(
                        request,
                        mode,
                        started,
                        ExecutionStatus.FAILED,
                        why + "; position " + position.id() + " held (policy hold)",
                        q.netProfit(),
                        realized(q, a.amountIn().negate(), arrived),
                        hashes(a),
                        legs));
                return;
              }
              swap(
                      sell,
                      q.sellPool(),
                      q.otherTokenSell(),
                      q.startTokenSell(),
                      arrived,
                      unwindMin(q.proceeds()))
                  .thenAccept(
                      u -> {
                        legs.add(
                            new LegExecution(4, q.sellChain(), u.status(), u.txHash(), u.reason()));
                        Position p =
                            u.filled()
                                ? withState(
                                    position,
                                    PositionState.UNWOUND,
                                    why + "; sold at a loss for " + u.amountOut())
                                : withState(
                                    position,
                                    PositionState.UNWIND_FAILED,
                                    why + "; unwind failed: " + u.reason());
                        record(p);
                        BigInteger realized =
                            u.filled()
                                ? realized(
                                    q, a.amountIn().negate().add(u.amountOut()), BigInteger.ZERO)
                                : realized(q, a.amountIn().negate(), arrived);
                        publishFinal(
                            finished(
                                request,
                                mode,
                                started,
                                ExecutionStatus.FAILED,
                                why + "; position " + p.id() + " " + p.state(),
                                q.netProfit(),
                                realized,
                                hashes(a, u),
                                legs));
                      });
            });
  }

  /**
   * Reports an execution's final status through the engine, which journals it, counts its realized
   * loss in the risk policy and tells the bot's counters, once.
   */
  private void publishFinal(Execution e) {
    inFlight.decrementAndGet();
    try {
      ctx.executionUpdates().update(e);
    } catch (io.rehoboam.spi.RehoboamException ex) {
      ctx.log(
          LogLevel.ERROR,
          "final status "
              + e.status().name().toLowerCase(java.util.Locale.ROOT)
              + " of execution "
              + e.id()
              + " not taken by the engine: "
              + ex.getMessage());
    }
    afterTrade();
  }

  private void schedule(long nanos, Runnable task) {
    ctx.scheduler()
        .schedule(
            () -> {
              try {
                task.run();
              } catch (RuntimeException e) {
                log.error("Bot {}: a bridge settlement failed", botId(), e);
                ctx.log(LogLevel.ERROR, "bridge settlement failed: " + e);
              }
            },
            Math.max(0, nanos),
            TimeUnit.NANOSECONDS);
  }

  // ---------------------------------------------------------------- bookkeeping

  private void record(Position p) {
    positions.removeIf(old -> old.id().equals(p.id()));
    positions.add(p);
    event(p.state() == PositionState.UNWOUND ? LogLevel.INFO : LogLevel.WARN, "layer2.position", p);
  }

  private static Position withState(Position p, PositionState state, String reason) {
    return new Position(
        p.id(),
        p.opportunityId(),
        p.executionId(),
        p.chainId(),
        p.asset(),
        p.token(),
        p.amount(),
        p.policy(),
        state,
        reason,
        p.at());
  }

  /**
   * After every trade: re-reads chain balances and proposes a rebalance for every asset that fell
   * below its level on a chain (once per crossing).
   */
  void afterTrade() {
    try {
      refreshBalances();
      checkRebalance();
    } catch (RuntimeException e) {
      log.warn("Bot {}: reading balances after a trade failed: {}", botId(), e.toString());
    }
  }

  void checkRebalance() {
    for (Map.Entry<String, BigDecimal> level : settings.rebalanceBelow().entrySet()) {
      String asset = level.getKey();
      Map<Long, String> tokens = assets.get(asset);
      if (tokens == null) {
        continue;
      }
      int decimals = decimalsOfAsset.apply(asset);
      BigInteger threshold = level.getValue().movePointRight(decimals).toBigInteger();
      long richest = -1;
      BigInteger most = BigInteger.ZERO;
      for (Map.Entry<Long, String> t : tokens.entrySet()) {
        if (!venues.containsKey(t.getKey())) {
          continue;
        }
        BigInteger b = venues.get(t.getKey()).balance(t.getValue());
        if (richest < 0 || b.compareTo(most) > 0) {
          richest = t.getKey();
          most = b;
        }
      }
      for (Map.Entry<Long, String> t : tokens.entrySet()) {
        if (!venues.containsKey(t.getKey())) {
          continue;
        }
        String key = asset + "@" + t.getKey();
        BigInteger b = venues.get(t.getKey()).balance(t.getValue());
        if (b.compareTo(threshold) >= 0) {
          belowLevel.remove(key);
          continue;
        }
        if (belowLevel.putIfAbsent(key, Boolean.TRUE) != null || richest == t.getKey()) {
          continue;
        }
        BigInteger amount = most.subtract(b).divide(BigInteger.TWO);
        Map<String, Object> proposal = new LinkedHashMap<>();
        proposal.put("asset", asset);
        proposal.put("from_chain", richest);
        proposal.put("to_chain", t.getKey());
        proposal.put("amount", amount.toString());
        proposal.put("balance", b.toString());
        proposal.put("level", threshold.toString());
        proposal.put("from_balance", most.toString());
        proposal.put("bridge", config.bridge(richest, t.getKey()).name());
        event(LogLevel.WARN, "layer2.rebalance_proposal", proposal);
      }
    }
  }

  private void event(LogLevel level, String kind, Object payload) {
    String text;
    try {
      text = kind + " " + JSON.writeValueAsString(toJson(payload));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      text = kind + " " + payload;
    }
    ctx.log(level, text);
  }

  private static Object toJson(Object payload) {
    if (payload instanceof Position p) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", p.id());
      m.put("opportunity_id", p.opportunityId());
      m.put("execution_id", p.executionId());
      m.put("chain_id", p.chainId());
      m.put("asset", p.asset());
      m.put("token", p.token());
      m.put("amount", p.amount().toString());
      m.put("policy", p.policy());
      m.put("state", p.state().wireName());
      m.put("reason", p.reason());
      m.put("at", p.at().toString());
      return m;
    }
    if (payload instanceof Transfer t) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", t.id());
      m.put("opportunity_id", t.opportunityId());
      m.put("bridge", t.bridge());
      m.put("from_chain", t.fromChain());
      m.put("to_chain", t.toChain());
      m.put("asset", t.asset());
      m.put("amount", t.amount().toString());
      m.put("fee", t.fee().toString());
      m.put("sent_at", t.sentAt().toString());
      m.put("arrives_at", t.arrivesAt().toString());
      m.put("state", t.state().wireName());
      return m;
    }
    return payload;
  }

  /** Logs a JSON report ({@code layer2.inventory}, {@code layer2.positions}). */
  void report(String kind) {
    switch (kind) {
      case "inventory" -> event(LogLevel.INFO, "layer2.inventory", stringsOf(inventory()));
      case "positions" ->
          event(LogLevel.INFO, "layer2.positions", positions.stream().map(Desk::toJson).toList());
      case "transfers" ->
          event(
              LogLevel.INFO,
              "layer2.transfers",
              transfers.values().stream().map(Desk::toJson).toList());
      default -> throw new IllegalArgumentException(kind);
    }
  }

  private static Map<String, Map<String, String>> stringsOf(
      Map<String, Map<String, BigInteger>> m) {
    Map<String, Map<String, String>> out = new LinkedHashMap<>();
    m.forEach(
        (chain, byAsset) -> {
          Map<String, String> s = new LinkedHashMap<>();
          byAsset.forEach((asset, amount) -> s.put(asset, amount.toString()));
          out.put(chain, s);
        });
    return out;
  }

  private Execution finished(
      ExecutionRequest request,
      ExecutionMode mode,
      Instant started,
      ExecutionStatus status,
      String reason,
      BigInteger expected,
      BigInteger realized,
      List<String> hashes,
      List<LegExecution> legs) {
    return Execution.submitted(
            request.executionId(), request.opportunity().id(), mode, expected, started)
        .withTxHashes(hashes)
        .withRealized(
            realized, realized == null ? null : valuation(request.opportunity(), realized))
        .withLegs(legs)
        .withStatus(status, reason, ctx.clock().instant());
  }

  /** The quote value of {@code amount} of the opportunity's start token, from its own profit. */
  private static BigDecimal valuation(Opportunity o, BigInteger amount) {
    if (o.profitUsd() == null || o.profit().signum() == 0) {
      return null;
    }
    return o.profitUsd()
        .multiply(new BigDecimal(amount))
        .divide(new BigDecimal(o.profit()), java.math.MathContext.DECIMAL64)
        .stripTrailingZeros();
  }

  private static LegExecution leg(int index, LegFill f) {
    return new LegExecution(index, f.chainId(), f.status(), f.txHash(), f.reason());
  }

  private static List<String> hashes(LegFill... fills) {
    List<String> out = new ArrayList<>();
    for (LegFill f : fills) {
      if (f.txHash() != null) {
        out.add(f.txHash());
      }
    }
    return out;
  }

  /** Refuses later executions and releases the venues' connections; idempotent. */
  void close() {
    closed = true;
    plans.clear();
    for (ChainVenue v : venues.values()) {
      try {
        v.close();
      } catch (RuntimeException e) {
        log.warn(
            "Bot {}: closing the venue of chain {} failed: {}", botId(), v.chainId(), e.toString());
      }
    }
  }
}
