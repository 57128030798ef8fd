package io.rehoboam.spi.trade;

/**
 * Where the later status changes of an execution are reported: an executor whose {@link
 * TradeExecutor#execute} stage completes before the execution is final (a bridge transfer still in
 * flight, a transaction still pending) reports each later status here, with the execution's id from
 * its {@link ExecutionRequest}. The engine passes every status of every execution through its
 * journal, its risk policy (a final loss counts toward the daily loss limit) and the asking bot's
 * counters, exactly once: a status after the final one is ignored. Thread-safe.
 */
public interface ExecutionUpdates {

  /**
   * Reports a new status of an execution the engine started.
   *
   * @throws io.rehoboam.spi.RehoboamException NOT_FOUND when no execution with this id is in flight
   *     (unknown, or already final), INVALID_ARGUMENT when it names another opportunity
   */
  void update(Execution execution);
}
