package io.rehoboam.spi.trade;

/** The status of an execution; JSON shows the lower-case name. */
public enum ExecutionStatus {
  /** Refused before anything was sent (risk policy, expired, already executed). */
  REJECTED(true),
  /** A paper or dry-run execution that completed in simulation. */
  SIMULATED(true),
  /** Sent to a chain, not yet mined. */
  SUBMITTED(false),
  /** Mined successfully. */
  CONFIRMED(true),
  /** Mined and reverted. */
  REVERTED(true),
  /** Failed for another reason (the reason says which). */
  FAILED(true);

  private final boolean terminal;

  ExecutionStatus(boolean terminal) {
    this.terminal = terminal;
  }

  /** True when the execution will not change status again. */
  public boolean isTerminal() {
    return terminal;
  }

  /**
   * Whether an execution in this status books its realized quote value, when it has one, in PnL, in
   * its bot's {@code total_profit} and against the daily loss limit: every finished status. A
   * failed or reverted execution may have realized a loss (the gas of a reverted transaction, the
   * unwind of a failed leg); it counts like a gain does, so that PnL and the loss limit agree.
   */
  public static boolean booksRealized(ExecutionStatus status, java.math.BigDecimal realizedUsd) {
    return status != null && status.terminal && realizedUsd != null;
  }
}
