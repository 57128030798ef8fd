package io.rehoboam.spi.trade;

import io.rehoboam.spi.Checks;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;

/**
 * One attempt to execute an opportunity, as it stands now. Each status change is a new record.
 * Build one with the factories ({@link #submitted}, {@link #rejected}, {@link #failed}, {@link
 * #simulated}) and the {@code with...} methods ({@link #withStatus} for a status change).
 *
 * @param reason why it was rejected or failed; null otherwise
 * @param gasUsed gas units used, null until known
 * @param expectedProfit the net profit expected when it started, start-token base units
 * @param realizedProfit the net profit actually made, start-token base units, null until final
 * @param realizedProfitUsd its quote value, null when unknown
 * @param finishedAt null until the status is terminal
 */
public record Execution(
    String id,
    String opportunityId,
    ExecutionMode mode,
    ExecutionStatus status,
    String reason,
    List<String> txHashes,
    BigInteger gasUsed,
    BigInteger expectedProfit,
    BigInteger realizedProfit,
    BigDecimal realizedProfitUsd,
    Instant startedAt,
    Instant finishedAt,
    List<LegExecution> legs) {

  public Execution {
    Checks.notBlank(id, "id");
    Checks.notBlank(opportunityId, "opportunity_id");
    Checks.notNull(mode, "mode");
    Checks.notNull(status, "status");
    txHashes = txHashes == null ? List.of() : List.copyOf(txHashes);
    Checks.notNull(expectedProfit, "expected_profit");
    Checks.notNull(startedAt, "started_at");
    Checks.check(
        !status.isTerminal() || finishedAt != null, "finished_at", "is required once " + status);
    Checks.check(
        status != ExecutionStatus.REJECTED && status != ExecutionStatus.FAILED || reason != null,
        "reason",
        "is required when " + status);
    legs = legs == null ? List.of() : List.copyOf(legs);
  }

  /**
   * The first status of an execution that was sent: {@link ExecutionStatus#SUBMITTED}, nothing
   * known yet.
   */
  public static Execution submitted(
      String id,
      String opportunityId,
      ExecutionMode mode,
      BigInteger expectedProfit,
      Instant startedAt) {
    return new Execution(
        id,
        opportunityId,
        mode,
        ExecutionStatus.SUBMITTED,
        null,
        List.of(),
        null,
        expectedProfit,
        null,
        null,
        startedAt,
        null,
        List.of());
  }

  /** An execution refused before anything was sent ({@link ExecutionStatus#REJECTED}). */
  public static Execution rejected(
      String id,
      String opportunityId,
      ExecutionMode mode,
      BigInteger expectedProfit,
      String reason,
      Instant startedAt,
      Instant finishedAt) {
    return submitted(id, opportunityId, mode, expectedProfit, startedAt)
        .withStatus(ExecutionStatus.REJECTED, reason, finishedAt);
  }

  /** An execution that failed ({@link ExecutionStatus#FAILED}) with nothing realized. */
  public static Execution failed(
      String id,
      String opportunityId,
      ExecutionMode mode,
      BigInteger expectedProfit,
      String reason,
      Instant startedAt,
      Instant finishedAt) {
    return submitted(id, opportunityId, mode, expectedProfit, startedAt)
        .withStatus(ExecutionStatus.FAILED, reason, finishedAt);
  }

  /**
   * A simulated execution ({@link ExecutionStatus#SIMULATED}: paper trading or a dry run) that
   * would have made {@code realizedProfit}.
   */
  public static Execution simulated(
      String id,
      String opportunityId,
      ExecutionMode mode,
      BigInteger expectedProfit,
      BigInteger realizedProfit,
      Instant startedAt,
      Instant finishedAt) {
    return submitted(id, opportunityId, mode, expectedProfit, startedAt)
        .withRealized(realizedProfit, null)
        .withStatus(ExecutionStatus.SIMULATED, null, finishedAt);
  }

  /**
   * This execution with another status.
   *
   * @param reason why (required for REJECTED and FAILED), or null
   * @param finishedAt when it finished (required for a terminal status), or null
   */
  public Execution withStatus(ExecutionStatus newStatus, String newReason, Instant newFinishedAt) {
    return new Execution(
        id,
        opportunityId,
        mode,
        newStatus,
        newReason,
        txHashes,
        gasUsed,
        expectedProfit,
        realizedProfit,
        realizedProfitUsd,
        startedAt,
        newFinishedAt,
        legs);
  }

  /** This execution with these transaction hashes. */
  public Execution withTxHashes(List<String> hashes) {
    return new Execution(
        id,
        opportunityId,
        mode,
        status,
        reason,
        hashes,
        gasUsed,
        expectedProfit,
        realizedProfit,
        realizedProfitUsd,
        startedAt,
        finishedAt,
        legs);
  }

  /** This execution with its gas used (null while unknown). */
  public Execution withGasUsed(BigInteger gas) {
    return new Execution(
        id,
        opportunityId,
        mode,
        status,
        reason,
        txHashes,
        gas,
        expectedProfit,
        realizedProfit,
        realizedProfitUsd,
        startedAt,
        finishedAt,
        legs);
  }

  /** This execution with its realized profit in base units and its quote value (either null). */
  public Execution withRealized(BigInteger profit, BigDecimal profitUsd) {
    return new Execution(
        id,
        opportunityId,
        mode,
        status,
        reason,
        txHashes,
        gasUsed,
        expectedProfit,
        profit,
        profitUsd,
        startedAt,
        finishedAt,
        legs);
  }

  /** This execution with these legs. */
  public Execution withLegs(List<LegExecution> newLegs) {
    return new Execution(
        id,
        opportunityId,
        mode,
        status,
        reason,
        txHashes,
        gasUsed,
        expectedProfit,
        realizedProfit,
        realizedProfitUsd,
        startedAt,
        finishedAt,
        newLegs);
  }
}
