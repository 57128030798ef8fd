package io.rehoboam.core.sim;

import io.rehoboam.spi.Checks;
import java.math.BigInteger;
import java.util.List;

/**
 * The outcome of a route of swaps against a {@link SimMarketSource}: all of them or, when it
 * reverted, none.
 *
 * @param fills every swap in route order, as executed or as it would have executed
 * @param amountIn what the first swap put in
 * @param amountOut what the last swap took out (or would have); 0 when a leg could not be swapped
 * @param sequence the market sequence the route's updates carry when it was applied; for a reverted
 *     or quoted route, the sequence of the state it was computed on
 * @param revertReason null when the route was applied or quoted; otherwise why it reverted (the
 *     market did not change)
 */
public record SwapResult(
    List<Fill> fills,
    BigInteger amountIn,
    BigInteger amountOut,
    long sequence,
    String revertReason) {
  public SwapResult {
    fills = List.copyOf(Checks.notNull(fills, "fills"));
    Checks.check(!fills.isEmpty(), "fills", "must not be empty");
    Checks.nonNegative(amountIn, "amount_in");
    Checks.nonNegative(amountOut, "amount_out");
    Checks.nonNegative(sequence, "sequence");
  }

  /** True when the route reverted and changed nothing. */
  public boolean reverted() {
    return revertReason != null;
  }
}
