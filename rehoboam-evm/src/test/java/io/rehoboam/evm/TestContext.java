package io.rehoboam.evm;

import io.rehoboam.core.internal.NamedThreadFactory;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.ProviderContext;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.market.MarketSource;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** A provider context for tests that use a source or executor without a whole service. */
final class TestContext implements ProviderContext, AutoCloseable {
  private final ScheduledThreadPoolExecutor scheduler =
      new ScheduledThreadPoolExecutor(1, new NamedThreadFactory("test-scheduler"));
  private final ExecutorService workers =
      Executors.newCachedThreadPool(new NamedThreadFactory("test-worker"));
  private final Map<String, MarketSource> sources = new LinkedHashMap<>();

  private volatile Map<String, String> env = Map.of();

  /** The environment the next provider reads (default empty). */
  void setEnv(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  @Override
  public Map<String, String> env() {
    return env;
  }

  @Override
  public io.rehoboam.spi.trade.ExecutionUpdates executionUpdates() {
    return e -> {
      throw new UnsupportedOperationException("no execution is in flight here");
    };
  }

  TestContext() {
    scheduler.setRemoveOnCancelPolicy(true);
  }

  void addSource(MarketSource source) {
    sources.put(source.id(), source);
  }

  @Override
  public ScheduledExecutorService scheduler() {
    return scheduler;
  }

  @Override
  public Executor blockingExecutor() {
    return workers;
  }

  @Override
  public Clock clock() {
    return Clock.systemUTC();
  }

  @Override
  public MarketSource marketSource(String sourceId) {
    MarketSource s = sources.get(sourceId);
    if (s == null) {
      throw new RehoboamException(ErrorCode.NOT_FOUND, "no market source " + sourceId);
    }
    return s;
  }

  @Override
  public List<String> marketSourceIds() {
    return List.copyOf(sources.keySet());
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    workers.shutdownNow();
    try {
      scheduler.awaitTermination(5, TimeUnit.SECONDS);
      workers.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
