package io.rehoboam.bot.layer2.internal;

import io.rehoboam.spi.trade.ExecutionStatus;
import java.math.BigInteger;

/**
 * What one swap on one chain did.
 *
 * @param status {@code simulated} or {@code confirmed} when it filled, {@code reverted} when the
 *     minimum was not met (nothing moved), {@code failed} when it could not be tried
 * @param amountIn what it put in (0 unless filled)
 * @param amountOut what it took out (0 unless filled)
 * @param txHash the transaction (or paper reference), null when none was sent
 * @param reason why it did not fill, null when it did
 * @param sequence the block (or sim sequence) that holds the fill, -1 when it did not fill: the
 *     pool's state as a source reports it before that does not show this swap yet
 */
public record LegFill(
    long chainId,
    ExecutionStatus status,
    BigInteger amountIn,
    BigInteger amountOut,
    String txHash,
    String reason,
    BigInteger gasUsed,
    long sequence) {

  boolean filled() {
    return status == ExecutionStatus.SIMULATED || status == ExecutionStatus.CONFIRMED;
  }

  static LegFill failed(long chainId, String reason) {
    return new LegFill(
        chainId, ExecutionStatus.FAILED, BigInteger.ZERO, BigInteger.ZERO, null, reason, null, -1);
  }
}
