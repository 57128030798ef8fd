package io.rehoboam.core.journal;

import io.rehoboam.spi.Checks;
import io.rehoboam.spi.trade.ExecutionMode;
import java.math.BigInteger;
import java.time.Instant;

/**
 * One execution attempt as journalled before anything is sent.
 *
 * @param executionId the engine's id of the execution
 * @param opportunityId the opportunity it executes; an opportunity is executed at most once, ever
 * @param idempotencyKey the caller's key, or null
 * @param botId the bot that asked, or null for an API caller
 * @param executorId the trade executor it was handed to
 * @param mode paper or live
 * @param startToken the opportunity's start token (what the profit is counted in)
 * @param amountIn the input, start-token base units
 * @param expectedProfit the net profit expected when it started, start-token base units
 * @param opportunityJson the opportunity as the data contract's JSON, for the record
 * @param startedAt when the attempt began
 */
public record ExecutionAttempt(
    String executionId,
    String opportunityId,
    String idempotencyKey,
    String botId,
    String executorId,
    ExecutionMode mode,
    String startToken,
    BigInteger amountIn,
    BigInteger expectedProfit,
    String opportunityJson,
    Instant startedAt) {

  public ExecutionAttempt {
    Checks.notBlank(executionId, "execution_id");
    Checks.notBlank(opportunityId, "opportunity_id");
    Checks.notBlank(executorId, "executor_id");
    Checks.notNull(mode, "mode");
    Checks.notBlank(startToken, "start_token");
    Checks.notNull(amountIn, "amount_in");
    Checks.notNull(expectedProfit, "expected_profit");
    Checks.notNull(opportunityJson, "opportunity_json");
    Checks.notNull(startedAt, "started_at");
  }
}
