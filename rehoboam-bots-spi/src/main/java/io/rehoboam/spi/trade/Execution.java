package io.rehoboam.spi.trade;

import io.rehoboam.spi.Checks;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;

/**
 * One attempt to execute an opportunity, as it stands now. Each status change is a new record.
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
}
