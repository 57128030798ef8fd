package io.rehoboam.evm;

import java.math.BigInteger;

/**
 * An EIP-1559 fee estimate for a transaction sent now.
 *
 * @param newestBlock the latest block the estimate was made at
 * @param baseFeeWei the base fee per gas of the next block (wei)
 * @param priorityFeeWei the priority fee per gas (tip) to offer (wei)
 * @param method how it was made: {@code eth_feeHistory}, or {@code eth_gasPrice} when the node
 *     could not answer fee history (then the base fee is the node's gas price and the tip 0)
 */
public record FeeEstimate(
    long newestBlock, BigInteger baseFeeWei, BigInteger priorityFeeWei, String method) {

  /** What one unit of gas costs with this estimate: base fee + priority fee (wei). */
  public BigInteger gasPriceWei() {
    return baseFeeWei.add(priorityFeeWei);
  }

  /**
   * A max fee per gas that stays valid for a few blocks of rising base fees: 2 x base fee +
   * priority fee (wei).
   */
  public BigInteger maxFeePerGasWei() {
    return baseFeeWei.shiftLeft(1).add(priorityFeeWei);
  }
}
