package io.rehoboam.core.internal;

import io.rehoboam.spi.ProviderContext;
import io.rehoboam.spi.market.MarketSource;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/** What market sources and trade executors get from the engine. */
public record ProviderContextImpl(EngineServices engine) implements ProviderContext {
  @Override
  public ScheduledExecutorService scheduler() {
    return engine.pluginScheduler();
  }

  @Override
  public Executor blockingExecutor() {
    return engine.workers();
  }

  @Override
  public Clock clock() {
    return engine.clock();
  }

  @Override
  public MarketSource marketSource(String sourceId) {
    return engine.sources().get(sourceId);
  }

  @Override
  public List<String> marketSourceIds() {
    return engine.sources().ids();
  }

  @Override
  public java.util.Map<String, String> env() {
    return engine.env();
  }

  @Override
  public io.rehoboam.spi.trade.ExecutionUpdates executionUpdates() {
    return execution -> engine.executions().get().update(execution);
  }
}
