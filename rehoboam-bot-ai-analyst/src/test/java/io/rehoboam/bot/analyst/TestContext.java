package io.rehoboam.bot.analyst;

import io.rehoboam.core.testing.ManualScheduler;
import io.rehoboam.core.testing.MutableClock;
import io.rehoboam.spi.BotContext;
import io.rehoboam.spi.LogLevel;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.Settings;
import io.rehoboam.spi.Subscription;
import io.rehoboam.spi.market.MarketSource;
import io.rehoboam.spi.trade.Execution;
import io.rehoboam.spi.trade.Opportunity;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/**
 * The engine's side of one bot for these tests: time and timers by the test ({@link
 * ManualScheduler}), blocking work inline on the calling thread, logs recorded.
 */
final class TestContext implements BotContext {
  final MutableClock clock;
  final ManualScheduler scheduler;
  final List<String> logs = new CopyOnWriteArrayList<>();
  final List<Consumer<Opportunity>> listeners = new CopyOnWriteArrayList<>();
  private final Settings settings;
  private final Map<String, MarketSource> sources = new LinkedHashMap<>();

  TestContext(MutableClock clock, Settings settings, MarketSource... sources) {
    this.clock = clock;
    this.scheduler = new ManualScheduler(clock);
    this.settings = settings;
    for (MarketSource s : sources) {
      this.sources.put(s.id(), s);
    }
  }

  @Override
  public String botId() {
    return "analyst";
  }

  @Override
  public Settings settings() {
    return settings;
  }

  @Override
  public ScheduledExecutorService scheduler() {
    return scheduler;
  }

  @Override
  public Executor blockingExecutor() {
    return Runnable::run;
  }

  @Override
  public java.time.Clock clock() {
    return clock;
  }

  @Override
  public MarketSource marketSource(String sourceId) {
    MarketSource s = sources.get(sourceId);
    if (s == null) {
      throw new RehoboamException(io.rehoboam.spi.ErrorCode.NOT_FOUND, "source " + sourceId);
    }
    return s;
  }

  @Override
  public List<String> marketSourceIds() {
    return List.copyOf(sources.keySet());
  }

  @Override
  public void publishOpportunity(Opportunity opportunity) {}

  @Override
  public void expireOpportunity(String opportunityId, String reason) {}

  @Override
  public void publishExecution(Execution execution) {}

  @Override
  public Subscription onOpportunity(Consumer<Opportunity> listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  @Override
  public CompletionStage<Execution> execute(
      String opportunityId, BigInteger amountIn, String executorId) {
    throw new UnsupportedOperationException("the analyst never executes");
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
  public void reportFailure(String reason, Throwable cause) {
    logs.add("FAILURE " + reason);
  }

  @Override
  public void reportCompleted(String reason) {}

  @Override
  public void publishOpportunity(Opportunity opportunity, String executorId) {}

  @Override
  public io.rehoboam.spi.Subscription registerExecutor(
      io.rehoboam.spi.trade.TradeExecutor executor) {
    throw new UnsupportedOperationException("an analyst owns no executor");
  }

  @Override
  public Map<String, String> env() {
    return Map.of();
  }

  @Override
  public io.rehoboam.spi.trade.ExecutionUpdates executionUpdates() {
    return e -> {
      throw new UnsupportedOperationException("an analyst does not execute");
    };
  }
}
