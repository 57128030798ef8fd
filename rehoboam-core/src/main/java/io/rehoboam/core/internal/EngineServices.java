package io.rehoboam.core.internal;

import io.rehoboam.core.events.EventBus;
import java.time.Clock;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.DoubleSupplier;

/**
 * What every bot runner shares with the service: its clock, its timers, its worker threads, its
 * event bus, the jitter source, the service-wide counters and the metrics the engine records
 * directly ({@link io.rehoboam.core.metrics.internal.EngineMetrics#NONE} when metrics are off) and
 * the environment handed to plugins, and the service's trade executors by id (bots add their own).
 */
public record EngineServices(
    Clock clock,
    ScheduledExecutorService scheduler,
    ScheduledExecutorService pluginScheduler,
    Executor workers,
    EventBus events,
    DoubleSupplier random,
    OpportunityRate opportunityRate,
    int logLinesPerBot,
    io.rehoboam.core.book.OpportunityBook book,
    MarketSources sources,
    java.util.function.Supplier<ExecutionEngine> executions,
    io.rehoboam.core.metrics.internal.EngineMetrics metrics,
    java.util.Map<String, String> env,
    java.util.Map<String, io.rehoboam.spi.trade.TradeExecutor> executors) {

  /**
   * Runs {@code task} on a worker, or inline when the workers no longer take work (service
   * closing).
   */
  public void runOnWorker(Runnable task) {
    try {
      workers.execute(task);
    } catch (RejectedExecutionException e) {
      task.run();
    }
  }
}
