package io.rehoboam.spi;

import io.rehoboam.spi.market.MarketSource;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What the engine hands every plugin: its threads, its clock, its market sources and its
 * environment. Plugins create no thread pools of their own and read no environment of their own.
 */
public interface ProviderContext {

  /**
   * The engine's scheduler for short timed work. Tasks must not block; shutting it down is the
   * engine's job (calls to shutdown are ignored or refused).
   */
  ScheduledExecutorService scheduler();

  /** An executor for blocking work (reading a process's output, waiting on a socket). */
  Executor blockingExecutor();

  /** The engine's clock; all time in plugin logic comes from here so tests can drive it. */
  Clock clock();

  /**
   * The market source with this id, as configured in the service's {@code sources} section or
   * registered in code.
   *
   * @throws RehoboamException NOT_FOUND naming the id and the known ids
   */
  MarketSource marketSource(String sourceId);

  /** The ids of the service's market sources, in registration order. */
  List<String> marketSourceIds();

  /**
   * The service's environment (the map given to the engine's builder, by default the process
   * environment): the one place plugins read environment variables from. Unmodifiable.
   */
  Map<String, String> env();

  /**
   * The engine's sink for later status changes of executions (see {@link
   * io.rehoboam.spi.trade.ExecutionUpdates}): every status goes through the journal, the risk
   * policy and the bots' counters once.
   */
  io.rehoboam.spi.trade.ExecutionUpdates executionUpdates();
}
