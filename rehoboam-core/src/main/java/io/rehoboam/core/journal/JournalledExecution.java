package io.rehoboam.core.journal;

import io.rehoboam.spi.Checks;
import io.rehoboam.spi.trade.Execution;
import java.math.BigInteger;

/**
 * An execution as the journal last recorded it.
 *
 * @param attempt what was written ahead
 * @param latest its last recorded state: status, transaction hashes, result
 * @param nonce the nonce of the transaction it signed, null when none was signed
 * @param txHash the hash of the transaction it signed, null when none was signed
 */
public record JournalledExecution(
    ExecutionAttempt attempt, Execution latest, BigInteger nonce, String txHash) {
  public JournalledExecution {
    Checks.notNull(attempt, "attempt");
    Checks.notNull(latest, "latest");
  }

  /** True when the execution never reached a final status (the service stopped first). */
  public boolean inFlight() {
    return !latest.status().isTerminal();
  }
}
