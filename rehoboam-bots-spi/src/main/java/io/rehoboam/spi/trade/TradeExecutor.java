package io.rehoboam.spi.trade;

import java.util.concurrent.CompletionStage;

/**
 * Turns an opportunity into an execution: simulated ({@code paper}) or on a chain ({@code live}).
 * The engine applies the risk policy and the once-per-opportunity rule before calling it.
 *
 * <p>Threading: {@link #execute} may be called from several threads; it must not block the caller
 * for I/O (complete the stage from the blocking executor instead).
 */
public interface TradeExecutor extends AutoCloseable {

  /** The executor's id, unique in a service. */
  String id();

  /** Whether this executor sends real transactions. */
  ExecutionMode mode();

  /**
   * Executes the request. The stage completes with the final execution (status terminal), or with
   * the {@code submitted} one when confirmation is reported later through events.
   */
  CompletionStage<Execution> execute(ExecutionRequest request);

  @Override
  void close();
}
