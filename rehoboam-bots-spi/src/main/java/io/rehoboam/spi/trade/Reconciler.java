package io.rehoboam.spi.trade;

import java.util.concurrent.CompletionStage;

/**
 * Implemented by a trade executor that sends transactions, so that the engine's journal can follow
 * them across restarts. The engine hands it the journal's {@link SignedTransactions} before any
 * execution, and at start-up asks it about every execution the journal left in flight.
 */
public interface Reconciler {

  /** Where to report each signed transaction before it is broadcast; called once, at start-up. */
  void journalTo(SignedTransactions signed);

  /**
   * Looks up an execution the service left in flight and completes with its final state: mined
   * (confirmed or reverted, with the receipt's gas and the realized profit), or failed when its
   * transaction was dropped or never signed. While the transaction is pending the stage stays
   * incomplete: the executor keeps watching.
   *
   * <p>Called at start-up, before the executor is given any new execution. The first look-up is
   * made on the calling thread (so start-up knows what the chain says before new work is taken; it
   * may block for the node's request timeout); watching a pending transaction happens on the
   * executor's own threads.
   */
  CompletionStage<Execution> reconcile(InFlightExecution execution);
}
