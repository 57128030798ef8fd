package io.rehoboam.spi.trade;

import io.rehoboam.spi.Checks;

/** The state of one leg when legs are separate transactions (for example on two chains). */
public record LegExecution(
    int index, long chainId, ExecutionStatus status, String txHash, String reason) {
  public LegExecution {
    Checks.check(index >= 0, "index", "must not be negative");
    Checks.notNull(status, "status");
  }
}
