package io.rehoboam.backtest.engine;

import io.rehoboam.core.events.EventBus;
import io.rehoboam.core.risk.RiskDecision;
import io.rehoboam.core.risk.RiskPolicy;
import io.rehoboam.core.scan.ScanConfig;
import io.rehoboam.core.scan.TokenPrices;
import io.rehoboam.spi.Checks;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.market.MarketSource;
import io.rehoboam.spi.market.PoolUpdate;
import io.rehoboam.spi.market.Token;
import io.rehoboam.spi.trade.Execution;
import io.rehoboam.spi.trade.ExecutionRequest;
import io.rehoboam.spi.trade.ExecutionStatus;
import io.rehoboam.spi.trade.Leg;
import io.rehoboam.spi.trade.Opportunity;
import io.rehoboam.spi.trade.TradeExecutor;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/**
 * Runs a configuration's monitors, executor bots, risk policy and executors over a stream of pool
 * updates on one thread, in a fixed order, on the clock handed in: the same stream gives the same
 * opportunities and executions, to the byte.
 *
 * <p>Batches: the updates of one source at one sequence and one time form a batch (a source's
 * opening replay of its pools, all {@code ADDED}, is one batch). A batch is processed when the next
 * update does not belong to it, or on {@link #flush()}: each monitor of the source scans it (as the
 * {@code live_monitor} does), the opportunities that left the scan engine's book are withdrawn, the
 * new ones are published best first, and each executor bot considers each one (its filter, its
 * {@code max_input} cap, its {@code max_in_flight} slots).
 *
 * <p>Latency: an execution a bot asks for runs {@code latency} after the batch that published the
 * opportunity (with zero latency, at once). Updates that arrive in between land first: the
 * opportunity may be withdrawn by then (missed), or its route may give less than its minimum
 * (reverted). An execution runs as the service runs one: the opportunity must still be published
 * and not expired, never executed before, and allowed by the risk policy; then the executor runs it
 * and its realized profit is booked with the risk policy.
 *
 * <p>Time: the engine reads the clock and moves it with {@code setTime} (never backwards): to an
 * update's time when it arrives and to an execution's due time when it runs.
 *
 * <p>Not thread-safe; an executor may feed updates back into {@link #offer} while it runs (a sim
 * market delivers a trade's updates): they are queued and processed after it.
 */
public final class BacktestEngine {
  private static final Comparator<Pending> DUE_ORDER =
      Comparator.comparing(Pending::due).thenComparingLong(Pending::order);

  private record Entry(String sourceId, PoolUpdate update, Instant at) {}

  private record Pending(
      Instant due, long order, ExecutorBot bot, String opportunityId, BigInteger amount) {}

  private final class Batch {
    final String sourceId;
    final boolean initial;
    final long sequence;
    final Instant at;
    final List<PoolUpdate> updates = new ArrayList<>();

    Batch(String sourceId, boolean initial, long sequence, Instant at) {
      this.sourceId = sourceId;
      this.initial = initial;
      this.sequence = sequence;
      this.at = at;
    }

    boolean accepts(Entry e) {
      if (!e.sourceId.equals(sourceId)) {
        return false;
      }
      if (initial) {
        return e.update.kind() == PoolUpdate.Kind.ADDED;
      }
      return e.update.sequence() == sequence && e.at.equals(at);
    }
  }

  /** An executor bot's state: its settings, its slots in use and its counts. */
  private static final class ExecutorBot {
    final BacktestPlan.Executor plan;
    int inFlight;

    ExecutorBot(BacktestPlan.Executor plan) {
      this.plan = plan;
    }
  }

  /** Applies an update to whatever the executors trade on, before the engine takes it. */
  public interface UpdateHook {
    void accept(String sourceId, PoolUpdate update, Instant at);
  }

  private final BacktestPlan plan;
  private final Map<String, MarketSource> sources;
  private final Map<String, TradeExecutor> executors;
  private final Clock clock;
  private final Consumer<Instant> setTime;
  private final UpdateHook hook;
  private final BacktestListener listener;
  private final RiskPolicy risk;
  private final EventBus riskEvents;
  private final Map<String, List<MonitorFeed>> feedsBySource = new HashMap<>();
  private final Set<String> startedSources = new HashSet<>();
  private final List<ExecutorBot> executorBots = new ArrayList<>();
  private final Map<String, Opportunity> book = new HashMap<>();
  private final Set<String> claimed = new HashSet<>();
  private final PriorityQueue<Pending> pending = new PriorityQueue<>(DUE_ORDER);
  private final ArrayDeque<Entry> inbox = new ArrayDeque<>();
  private Batch open;
  private boolean pumping;
  private boolean executing;
  private long order;
  private long executionCount;
  private long updates;
  private long batches;

  /**
   * @param sources every configured source by id, in configuration order (what the monitors scan
   *     and what prices values)
   * @param executors every executor by id
   * @param setTime moves the clock the engine and the executors read
   * @param hook sees each update just before the engine takes it (a replay applies it to its
   *     markets there); may do nothing
   */
  public BacktestEngine(
      BacktestPlan plan,
      Map<String, ? extends MarketSource> sources,
      Map<String, ? extends TradeExecutor> executors,
      Clock clock,
      Consumer<Instant> setTime,
      UpdateHook hook,
      BacktestListener listener) {
    this.plan = Checks.notNull(plan, "plan");
    this.sources = new LinkedHashMap<>(sources);
    this.executors = new LinkedHashMap<>(executors);
    this.clock = Checks.notNull(clock, "clock");
    this.setTime = Checks.notNull(setTime, "setTime");
    this.hook = Checks.notNull(hook, "hook");
    this.listener = Checks.notNull(listener, "listener");
    this.riskEvents = new EventBus(1024, Thread::new, clock);
    this.risk = new RiskPolicy(plan.risk(), clock, riskEvents);
    for (BacktestPlan.Executor e : plan.executorBots()) {
      executorBots.add(new ExecutorBot(e));
    }
  }

  /**
   * Builds each monitor's scan of a source with the prices the source gives now (as a monitor reads
   * them when it starts): at the source's first update.
   */
  private void startSource(String sourceId) {
    List<MonitorFeed> scans = new ArrayList<>();
    feedsBySource.put(sourceId, scans);
    MarketSource source = sources.get(sourceId);
    if (source == null) {
      return;
    }
    for (BacktestPlan.Monitor m : plan.monitors()) {
      List<String> ids = m.settings().sources().isEmpty() ? plan.sources() : m.settings().sources();
      if (!ids.contains(sourceId)) {
        continue;
      }
      List<String> natives = nativeTokens(source);
      ScanConfig scan =
          m.settings().startTokens().isEmpty()
              ? m.settings().scan().toBuilder().startTokens(natives).sourceBot(m.botId()).build()
              : m.settings().scan().toBuilder().sourceBot(m.botId()).build();
      // Valued as the live monitor values them: one snapshot of the source's quote prices.
      TokenPrices prices = TokenPrices.fromSource(source, natives.get(0));
      scans.add(new MonitorFeed(m.botId(), sourceId, scan, prices, clock));
    }
  }

  /** The tokens gas is paid in, as the {@code live_monitor} picks them. */
  static List<String> nativeTokens(MarketSource source) {
    return TokenPrices.nativeTokens(source);
  }

  /** Takes one update that arrived at {@code at}. */
  public void offer(String sourceId, PoolUpdate update, Instant at) {
    inbox.add(new Entry(sourceId, update, at));
    if (!pumping && !executing) {
      pump();
    }
  }

  /** Processes every update taken so far, and what the executions that follow feed back. */
  public void flush() {
    pump();
    while (open != null) {
      closeOpen();
      pump();
    }
  }

  /**
   * Flushes, then runs every execution due at or before {@code time}, each at its due time (for a
   * caller that drives a live source and moves the clock itself between its updates).
   */
  public void advanceTo(Instant time) {
    flush();
    runDue(time);
  }

  /** Flushes and runs every execution still waiting, each at its due time. */
  public void finish() {
    flush();
    Pending p;
    while ((p = pending.poll()) != null) {
      moveTo(p.due());
      execute(p.bot(), p.opportunityId(), p.amount());
      flush();
    }
  }

  public long updates() {
    return updates;
  }

  public long batches() {
    return batches;
  }

  public RiskPolicy risk() {
    return risk;
  }

  /** Releases the risk policy's event bus. */
  public void close() {
    riskEvents.close(Duration.ZERO);
  }

  private void pump() {
    pumping = true;
    try {
      Entry e;
      while ((e = inbox.poll()) != null) {
        accept(e);
      }
    } finally {
      pumping = false;
    }
  }

  private void accept(Entry e) {
    if (open != null && !open.accepts(e)) {
      closeOpen();
    }
    runDue(e.at());
    hook.accept(e.sourceId(), e.update(), e.at());
    moveTo(e.at());
    if (!feedsBySource.containsKey(e.sourceId())) {
      startSource(e.sourceId());
    }
    updates++;
    if (open == null) {
      boolean initial =
          !startedSources.contains(e.sourceId()) && e.update().kind() == PoolUpdate.Kind.ADDED;
      startedSources.add(e.sourceId());
      open = new Batch(e.sourceId(), initial, e.update().sequence(), e.at());
    }
    open.updates.add(e.update());
  }

  private void runDue(Instant time) {
    while (!pending.isEmpty() && !pending.peek().due().isAfter(time)) {
      Pending p = pending.poll();
      moveTo(p.due());
      execute(p.bot(), p.opportunityId(), p.amount());
      // What the execution fed back (a live market's trade) is processed before the next one runs.
      if (!pumping) {
        flush();
      }
    }
  }

  private void moveTo(Instant time) {
    if (time.isAfter(clock.instant())) {
      setTime.accept(time);
    }
  }

  private void closeOpen() {
    Batch batch = open;
    open = null;
    batches++;
    List<MonitorFeed> scans = feedsBySource.getOrDefault(batch.sourceId, List.of());
    for (MonitorFeed feed : scans) {
      MonitorFeed.Change change = feed.process(batch.updates);
      for (String gone : change.gone().keySet()) {
        book.remove(gone);
      }
      for (Opportunity o : change.fresh()) {
        book.put(o.id(), o);
        listener.found(feed.botId(), o);
        for (ExecutorBot bot : executorBots) {
          consider(bot, o);
        }
      }
    }
  }

  private void consider(ExecutorBot bot, Opportunity o) {
    if (!accepts(bot.plan.settings(), o)) {
      listener.outcome(bot.plan.botId(), o, Outcome.FILTERED);
      return;
    }
    if (bot.inFlight >= bot.plan.settings().maxInFlight()) {
      listener.outcome(bot.plan.botId(), o, Outcome.BUSY);
      return;
    }
    bot.inFlight++;
    BigInteger amount = amountFor(bot.plan.settings().maxInput(), o);
    if (plan.latency().isZero()) {
      execute(bot, o.id(), amount);
    } else {
      pending.add(new Pending(clock.instant().plus(plan.latency()), order++, bot, o.id(), amount));
    }
  }

  private boolean accepts(io.rehoboam.core.bots.BotSettings.Executor s, Opportunity o) {
    if (!s.strategies().isEmpty() && !s.strategies().contains(o.strategy())) {
      return false;
    }
    if (o.netProfit().signum() <= 0 || o.isExpired(clock.instant())) {
      return false;
    }
    BigDecimal value = o.netProfitUsd();
    return value == null ? s.minProfit().signum() == 0 : value.compareTo(s.minProfit()) >= 0;
  }

  /** The opportunity's input, or less when it is worth more than {@code max_input}. */
  private static BigInteger amountFor(BigDecimal maxInput, Opportunity o) {
    if (maxInput == null
        || o.profitUsd() == null
        || o.profitUsd().signum() <= 0
        || o.profit().signum() <= 0) {
      return null;
    }
    BigDecimal perUnit = o.profitUsd().divide(new BigDecimal(o.profit()), MathContext.DECIMAL128);
    BigDecimal inputValue = perUnit.multiply(new BigDecimal(o.amountIn()));
    if (inputValue.compareTo(maxInput) <= 0) {
      return null;
    }
    BigInteger capped =
        maxInput
            .divide(perUnit, MathContext.DECIMAL128)
            .setScale(0, RoundingMode.FLOOR)
            .toBigInteger();
    return capped.signum() > 0 ? capped : BigInteger.ONE;
  }

  /** Runs one execution as the service's execution engine does. */
  private void execute(ExecutorBot bot, String opportunityId, BigInteger amount) {
    String botId = bot.plan.botId();
    try {
      Opportunity o = book.get(opportunityId);
      if (o == null || o.isExpired(clock.instant()) || claimed.contains(opportunityId)) {
        listener.outcome(botId, o, Outcome.MISSED);
        return;
      }
      String executorId =
          bot.plan.settings().executor() != null
              ? bot.plan.settings().executor()
              : plan.defaultExecutor();
      TradeExecutor executor = executorId == null ? null : executors.get(executorId);
      if (executor == null) {
        listener.outcome(botId, o, Outcome.FAILED);
        return;
      }
      String executionId = "ex-" + ++executionCount;
      BigInteger amountIn = amount == null ? o.amountIn() : amount;
      claimed.add(opportunityId);
      BigDecimal inputValue = valueOfStart(o, amountIn).orElse(null);
      RiskDecision decision = risk.evaluate(o, inputValue, o.netProfitUsd(), botId);
      if (!decision.allowed()) {
        claimed.remove(opportunityId);
        listener.rejected(
            new RiskRejection(
                clock.instant(),
                botId,
                opportunityId,
                decision.limit().wireName(),
                decision.message()));
        listener.outcome(botId, o, Outcome.RISK_REJECTED);
        return;
      }
      Execution execution;
      executing = true;
      try {
        execution =
            executor
                .execute(new ExecutionRequest(executionId, o, amount, false, null))
                .toCompletableFuture()
                .join();
      } catch (CompletionException | RehoboamException e) {
        listener.outcome(botId, o, Outcome.FAILED);
        return;
      } finally {
        executing = false;
      }
      risk.recordRealized(execution.realizedProfitUsd(), botId);
      listener.executed(new ExecutionRecord(botId, o, route(o), execution));
      ExecutionStatus status = execution.status();
      listener.outcome(
          botId,
          o,
          status == ExecutionStatus.REVERTED
              ? Outcome.REVERTED
              : status == ExecutionStatus.FAILED || status == ExecutionStatus.REJECTED
                  ? Outcome.FAILED
                  : Outcome.EXECUTED);
    } finally {
      bot.inFlight--;
    }
  }

  /** The route's token symbols, {@code WETH>USDC>WETH}. */
  private String route(Opportunity o) {
    StringBuilder sb = new StringBuilder(symbol(o.startToken()));
    for (Leg leg : o.legs()) {
      sb.append('>').append(symbol(leg.tokenOut()));
    }
    return sb.toString();
  }

  private String symbol(String token) {
    for (MarketSource source : sources.values()) {
      Token t = source.tokens().get(token);
      if (t != null) {
        return t.symbol();
      }
    }
    return token;
  }

  /** The quote value of an amount of the start token, as the service values it for risk. */
  private Optional<BigDecimal> valueOfStart(Opportunity o, BigInteger amount) {
    for (MarketSource source : sources.values()) {
      Token meta = source.tokens().get(o.startToken());
      if (meta == null) {
        continue;
      }
      Optional<BigDecimal> price = source.quotePrice(o.startToken());
      if (price.isPresent()) {
        return Optional.of(
            new BigDecimal(amount).movePointLeft(meta.decimals()).multiply(price.get()));
      }
    }
    if (o.profitUsd() != null && o.profit().signum() > 0) {
      return Optional.of(
          o.profitUsd()
              .multiply(new BigDecimal(amount))
              .divide(new BigDecimal(o.profit()), MathContext.DECIMAL64));
    }
    return Optional.empty();
  }
}
