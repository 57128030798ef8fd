package io.rehoboam.core;

import io.rehoboam.spi.RehoboamException;
import java.math.BigInteger;

/**
 * How to execute an opportunity.
 *
 * @param amount start-token base units to put in, less than or equal to the opportunity's own
 *     input; null for the opportunity's (optimal) input
 * @param dryRun simulate only: nothing is sent, nothing is claimed, no risk budget is used
 * @param idempotencyKey the same key always returns the same execution, never a second one; null
 *     for none
 * @param executor the trade executor's id, or null for the service's default
 */
public record ExecuteRequest(
    BigInteger amount, boolean dryRun, String idempotencyKey, String executor) {
  public ExecuteRequest {
    if (amount != null && amount.signum() <= 0) {
      throw RehoboamException.invalid("amount", "must be positive");
    }
    if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > 200)) {
      throw RehoboamException.invalid("idempotency_key", "must be 1..200 characters");
    }
    executor = executor == null || executor.isBlank() ? null : executor;
  }

  /** The opportunity's own input, for real, default executor, no key. */
  public static ExecuteRequest defaults() {
    return new ExecuteRequest(null, false, null, null);
  }
}
