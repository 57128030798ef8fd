package io.rehoboam.spi;

import java.time.Clock;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What the engine hands every plugin: its threads and its clock. Plugins create no thread pools of
 * their own.
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
}
