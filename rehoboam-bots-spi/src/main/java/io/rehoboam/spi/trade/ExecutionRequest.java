package io.rehoboam.spi.trade;

import io.rehoboam.spi.Checks;
import java.math.BigInteger;

/**
 * A request to execute an opportunity.
 *
 * @param executionId the id the resulting execution carries (assigned by the engine)
 * @param amountIn the input in start-token base units, or null for the opportunity's own (optimal)
 *     input
 * @param dryRun simulate only: nothing is sent and no state changes
 * @param idempotencyKey the caller's key, or null
 */
public record ExecutionRequest(
    String executionId,
    Opportunity opportunity,
    BigInteger amountIn,
    boolean dryRun,
    String idempotencyKey) {
  public ExecutionRequest {
    Checks.notBlank(executionId, "execution_id");
    Checks.notNull(opportunity, "opportunity");
    if (amountIn != null) {
      Checks.check(amountIn.signum() > 0, "amount", "must be positive");
    }
  }
}
