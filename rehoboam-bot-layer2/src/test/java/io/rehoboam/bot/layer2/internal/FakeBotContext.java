package io.rehoboam.bot.layer2.internal;

import io.rehoboam.spi.BotContext;
import io.rehoboam.spi.LogLevel;
import io.rehoboam.spi.Settings;
import io.rehoboam.spi.Subscription;
import io.rehoboam.spi.market.MarketSource;
import io.rehoboam.spi.trade.Execution;
import io.rehoboam.spi.trade.Opportunity;
import java.math.BigInteger;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/** A bot context that runs blocking work inline and records what the bot publishes and logs. */
final class FakeBotContext implements BotContext {
  final List<String> logs = new CopyOnWriteArrayList<>();
  final List<Execution> executions = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService scheduler;
  private final Clock clock;

  FakeBotContext(ScheduledExecutorService scheduler, Clock clock) {
    this.scheduler = scheduler;
    this.clock = clock;
  }

  @Override
  public String botId() {
    return "desk-test";
  }

  @Override
  public Settings settings() {
    return Settings.empty();
  }

  @Override
  public void publishOpportunity(Opportunity opportunity) {}

  @Override
  public void expireOpportunity(String opportunityId, String reason) {}

  @Override
  public void publishExecution(Execution execution) {
    executions.add(execution);
  }

  @Override
  public Subscription onOpportunity(Consumer<Opportunity> listener) {
    throw new UnsupportedOperationException("not used by the desk");
  }

  @Override
  public CompletionStage<Execution> execute(
      String opportunityId, BigInteger amountIn, String executorId) {
    throw new UnsupportedOperationException("not used by the desk");
  }

  @Override
  public void heartbeat() {}

  @Override
  public void recordActivity() {}

  @Override
  public void log(LogLevel level, String message) {
    logs.add(level + " " + message);
  }

  @Override
  public void reportProcess(String commandLine, long pid) {}

  @Override
  public void reportFailure(String reason, Throwable cause) {}

  @Override
  public void reportCompleted(String reason) {}

  @Override
  public ScheduledExecutorService scheduler() {
    return scheduler;
  }

  @Override
  public Executor blockingExecutor() {
    return Runnable::run;
  }

  @Override
  public Clock clock() {
    return clock;
  }

  @Override
  public MarketSource marketSource(String sourceId) {
    throw new UnsupportedOperationException("not used by the desk");
  }

  @Override
  public List<String> marketSourceIds() {
    return List.of();
  }

  @Override
  public java.util.Map<String, String> env() {
    return java.util.Map.of();
  }

  @Override
  public io.rehoboam.spi.trade.ExecutionUpdates executionUpdates() {
    return executions::add;
  }

  @Override
  public void publishOpportunity(Opportunity opportunity, String executorId) {
    publishOpportunity(opportunity);
  }

  @Override
  public Subscription registerExecutor(io.rehoboam.spi.trade.TradeExecutor executor) {
    return () -> {};
  }
}
