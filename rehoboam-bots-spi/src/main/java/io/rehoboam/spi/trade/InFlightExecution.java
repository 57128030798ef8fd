package io.rehoboam.spi.trade;

import io.rehoboam.spi.Checks;
import java.math.BigInteger;

/**
 * An execution the engine's journal left in flight when the service stopped, as a {@link
 * Reconciler} is asked about it at the next start.
 *
 * @param startToken the opportunity's start token (what the profit is counted in)
 * @param amountIn the input, start-token base units
 * @param latest its last journalled status (with the legs that had gone out)
 * @param nonce the nonce of its signed transaction, or null when none was signed
 * @param txHash the hash of its signed transaction, or null when none was signed
 */
public record InFlightExecution(
    String startToken, BigInteger amountIn, Execution latest, BigInteger nonce, String txHash) {
  public InFlightExecution {
    Checks.notBlank(startToken, "start_token");
    Checks.notNull(amountIn, "amount_in");
    Checks.notNull(latest, "latest");
  }
}
