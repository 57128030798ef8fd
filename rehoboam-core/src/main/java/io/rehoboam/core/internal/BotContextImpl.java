package io.rehoboam.core.internal;

import io.rehoboam.core.ExecuteRequest;
import io.rehoboam.core.log.LogText;
import io.rehoboam.spi.BotContext;
import io.rehoboam.spi.Checks;
import io.rehoboam.spi.LogLevel;
import io.rehoboam.spi.Settings;
import io.rehoboam.spi.Subscription;
import io.rehoboam.spi.event.BotLogEvent;
import io.rehoboam.spi.event.ExecutionEvent;
import io.rehoboam.spi.event.OpportunityExpiredEvent;
import io.rehoboam.spi.event.OpportunityFoundEvent;
import io.rehoboam.spi.market.MarketSource;
import io.rehoboam.spi.trade.Execution;
import io.rehoboam.spi.trade.ExecutionStatus;
import io.rehoboam.spi.trade.Opportunity;
import java.math.BigInteger;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The context of one run of one bot. Once that run is over (stopped, failed, abandoned), every call
 * is ignored, so a late thread of an old instance can neither count nor publish nor fail the new
 * one.
 */
final class BotContextImpl implements BotContext {
  private final BotRunner runner;
  private final long generation;
  private final Settings settings;
  private final Logger botLog;
  private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();

  BotContextImpl(BotRunner runner, long generation, Settings settings) {
    this.runner = runner;
    this.generation = generation;
    this.settings = settings;
    this.botLog = LoggerFactory.getLogger("io.rehoboam.bot." + runner.id());
  }

  @Override
  public io.rehoboam.spi.BotMetrics metrics() {
    String botId = runner.id();
    io.rehoboam.core.metrics.internal.EngineMetrics engine = runner.engine().metrics();
    return (sourceId, nanos) -> engine.scanned(botId, sourceId, nanos);
  }

  private boolean live() {
    return runner.isCurrent(generation);
  }

  @Override
  public String botId() {
    return runner.id();
  }

  @Override
  public Settings settings() {
    return settings;
  }

  @Override
  public ScheduledExecutorService scheduler() {
    return runner.engine().pluginScheduler();
  }

  @Override
  public Executor blockingExecutor() {
    return runner.engine().workers();
  }

  @Override
  public Clock clock() {
    return runner.engine().clock();
  }

  @Override
  public MarketSource marketSource(String sourceId) {
    return runner.engine().sources().use(sourceId);
  }

  @Override
  public List<String> marketSourceIds() {
    return runner.engine().sources().ids();
  }

  @Override
  public java.util.Map<String, String> env() {
    return runner.engine().env();
  }

  @Override
  public io.rehoboam.spi.trade.ExecutionUpdates executionUpdates() {
    return execution -> runner.engine().executions().get().update(execution);
  }

  @Override
  public void publishOpportunity(Opportunity opportunity, String executorId) {
    Checks.notNull(opportunity, "opportunity");
    Checks.notBlank(executorId, "executor_id");
    if (!live()) {
      return;
    }
    runner.engine().executions().get().nameExecutor(opportunity.id(), executorId);
    publishOpportunity(opportunity);
  }

  @Override
  public Subscription registerExecutor(io.rehoboam.spi.trade.TradeExecutor executor) {
    Checks.notNull(executor, "executor");
    String id = Checks.notBlank(executor.id(), "executor id");
    java.util.Map<String, io.rehoboam.spi.trade.TradeExecutor> executors =
        runner.engine().executors();
    if (executors.putIfAbsent(id, executor) != null) {
      throw new io.rehoboam.spi.RehoboamException(
          io.rehoboam.spi.ErrorCode.ALREADY_EXISTS,
          "executor: an executor with id '" + id + "' is already registered");
    }
    Subscription sub =
        new Subscription() {
          private final java.util.concurrent.atomic.AtomicBoolean open =
              new java.util.concurrent.atomic.AtomicBoolean(true);

          @Override
          public void close() {
            if (open.compareAndSet(true, false)) {
              executors.remove(id, executor);
            }
          }
        };
    subscriptions.add(sub);
    if (!live()) {
      sub.close();
    }
    return sub;
  }

  @Override
  public void publishOpportunity(Opportunity opportunity) {
    Checks.notNull(opportunity, "opportunity");
    if (!live()) {
      return;
    }
    String botId = runner.id();
    Opportunity attributed =
        opportunity.sourceBot() == null ? withSource(opportunity, botId) : opportunity;
    runner.touch();
    runner.countOpportunity();
    runner.engine().book().put(attributed);
    runner
        .engine()
        .events()
        .publish((seq, at) -> new OpportunityFoundEvent(seq, at, botId, attributed));
  }

  private static Opportunity withSource(Opportunity o, String botId) {
    return new Opportunity(
        o.id(),
        o.strategy(),
        botId,
        o.startToken(),
        o.amountIn(),
        o.amountOut(),
        o.profit(),
        o.gasCost(),
        o.netProfit(),
        o.profitUsd(),
        o.netProfitUsd(),
        o.blockNumber(),
        o.detectedAt(),
        o.expiresAt(),
        o.legs());
  }

  @Override
  public Subscription onOpportunity(Consumer<Opportunity> listener) {
    Checks.notNull(listener, "listener");
    Subscription sub =
        runner
            .engine()
            .events()
            .subscribe(
                "bot-" + runner.id() + "-opportunities",
                e -> listener.accept(((OpportunityFoundEvent) e).opportunity()),
                e -> e instanceof OpportunityFoundEvent);
    subscriptions.add(sub);
    if (!live()) {
      // The run ended while subscribing: do not leave a subscription behind.
      sub.close();
    }
    return sub;
  }

  @Override
  public CompletionStage<Execution> execute(
      String opportunityId, BigInteger amountIn, String executorId) {
    return runner
        .engine()
        .executions()
        .get()
        .execute(
            opportunityId,
            new ExecuteRequest(amountIn, false, null, executorId),
            runner.id(),
            this::recordExecution);
  }

  /** Ends this run's subscriptions. */
  void release() {
    for (Subscription s : subscriptions) {
      s.close();
    }
    subscriptions.clear();
  }

  @Override
  public void expireOpportunity(String opportunityId, String reason) {
    Checks.notBlank(opportunityId, "opportunity_id");
    if (!live()) {
      return;
    }
    String botId = runner.id();
    // The book answers opportunities(filter): an expired opportunity must leave it at once, not
    // linger until its expires_at.
    runner.engine().book().remove(opportunityId);
    runner.engine().executions().get().forget(opportunityId);
    runner
        .engine()
        .events()
        .publish((seq, at) -> new OpportunityExpiredEvent(seq, at, botId, opportunityId, reason));
  }

  @Override
  public void publishExecution(Execution execution) {
    Checks.notNull(execution, "execution");
    // Never dropped, even after the run ended: money moved, so the journal, the risk policy and
    // the counters must hear of it.
    runner.engine().executions().get().report(runner.id(), execution, this::recordExecution);
  }

  /**
   * Counts and publishes an execution of this bot. Unlike the bot's own publish calls this is not
   * dropped after the run ended: an execution started by the run is reported whenever it finishes.
   */
  private void recordExecution(Execution execution) {
    runner.touch();
    // A finished execution adds its realized quote value, a loss as well as a gain; one in
    // flight adds nothing yet.
    if (ExecutionStatus.booksRealized(execution.status(), execution.realizedProfitUsd())) {
      runner.addProfit(execution.realizedProfitUsd());
    }
    String botId = runner.id();
    runner.engine().events().publish((seq, at) -> new ExecutionEvent(seq, at, botId, execution));
  }

  @Override
  public void heartbeat() {
    if (live()) {
      runner.heartbeat();
    }
  }

  @Override
  public void recordActivity() {
    if (live()) {
      runner.touch();
    }
  }

  @Override
  public void log(LogLevel level, String message) {
    Checks.notNull(level, "level");
    if (!live()) {
      return;
    }
    String safe = runner.redact(message == null ? "" : message);
    switch (level) {
      case TRACE -> {
        if (botLog.isTraceEnabled()) {
          botLog.trace("{}", LogText.escape(safe));
        }
      }
      case DEBUG -> {
        if (botLog.isDebugEnabled()) {
          botLog.debug("{}", LogText.escape(safe));
        }
      }
      case INFO -> {
        if (botLog.isInfoEnabled()) {
          botLog.info("{}", LogText.escape(safe));
        }
      }
      case WARN -> botLog.warn("{}", LogText.escape(safe));
      case ERROR -> botLog.error("{}", LogText.escape(safe));
    }
    String botId = runner.id();
    runner.appendLog(clock().instant(), level, safe);
    runner.engine().events().publish((seq, at) -> new BotLogEvent(seq, at, botId, level, safe));
  }

  @Override
  public void reportProcess(String commandLine, long pid) {
    if (live()) {
      runner.processInfo(commandLine == null ? null : runner.redact(commandLine), pid);
    }
  }

  @Override
  public void reportFailure(String reason, Throwable cause) {
    String text = reason == null || reason.isBlank() ? "failed" : reason;
    if (cause != null) {
      text = text + ": " + BotRunner.describe(cause);
    }
    runner.onFailure(generation, text);
  }

  @Override
  public void reportCompleted(String reason) {
    runner.onCompleted(generation, reason == null ? "finished" : reason);
  }
}
