package io.rehoboam.evm.internal;

import io.rehoboam.evm.FeeEstimate;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.response.EthFeeHistory;
import org.web3j.protocol.core.methods.response.EthGasPrice;

/**
 * EIP-1559 fees from {@code eth_feeHistory(blocks, "latest", [percentile])}: the base fee is the
 * last entry of {@code baseFeePerGas} (the node's base fee of the block after the newest one), the
 * priority fee the median (the lower one of an even count) of the {@code percentile}-th reward of
 * each of the {@code blocks} blocks.
 *
 * <p>A node that answers with an error, or without base fees (a chain before London), or with
 * rewards that do not match the blocks asked for, is asked {@code eth_gasPrice} instead: the
 * estimate is then that price as base fee with a tip of 0 (method {@code eth_gasPrice}). When both
 * fail the estimate fails with an {@link IOException} naming both answers.
 *
 * <p>Threading: immutable; each call blocks for its round trip.
 */
public final class FeeEstimator {
  private final int blocks;
  private final double percentile;

  /**
   * @param blocks how many recent blocks the priority fee is taken over (1..1024)
   * @param percentile the reward percentile of each block (0..100)
   */
  public FeeEstimator(int blocks, double percentile) {
    if (blocks < 1 || blocks > 1024) {
      throw new IllegalArgumentException("fee history blocks must be 1..1024, was " + blocks);
    }
    if (!(percentile >= 0 && percentile <= 100)) {
      throw new IllegalArgumentException("priority percentile must be 0..100, was " + percentile);
    }
    this.blocks = blocks;
    this.percentile = percentile;
  }

  public int blocks() {
    return blocks;
  }

  public double percentile() {
    return percentile;
  }

  /** The {@code eth_feeHistory} request (not sent), for a batch. */
  public Request<?, EthFeeHistory> request(RpcClient rpc) {
    return rpc.web3j().ethFeeHistory(blocks, DefaultBlockParameterName.LATEST, List.of(percentile));
  }

  /** Asks the node and reads the answer, falling back to {@code eth_gasPrice}. */
  public FeeEstimate estimate(RpcClient rpc) throws IOException {
    Response<?> answer;
    try {
      answer = request(rpc).send();
    } catch (IOException e) {
      throw new IOException("eth_feeHistory: " + e.getMessage(), e);
    }
    return read(rpc, answer);
  }

  /**
   * Reads an {@code eth_feeHistory} answer (from a batch or a single call); a bad answer falls back
   * to {@code eth_gasPrice}.
   */
  public FeeEstimate read(RpcClient rpc, Response<?> answer) throws IOException {
    try {
      return fromHistory(answer);
    } catch (BadAnswer bad) {
      return fromGasPrice(rpc, bad.getMessage());
    }
  }

  /** The estimate an {@code eth_feeHistory} answer gives, or why it gives none. */
  FeeEstimate fromHistory(Response<?> answer) throws BadAnswer {
    if (answer == null) {
      throw new BadAnswer("eth_feeHistory: no answer");
    }
    if (answer.hasError()) {
      throw new BadAnswer("eth_feeHistory: " + answer.getError().getMessage());
    }
    if (!(answer instanceof EthFeeHistory history) || history.getFeeHistory() == null) {
      throw new BadAnswer("eth_feeHistory: empty answer");
    }
    EthFeeHistory.FeeHistory h = history.getFeeHistory();
    List<BigInteger> baseFees;
    List<List<BigInteger>> rewards;
    BigInteger oldest;
    try {
      baseFees = h.getBaseFeePerGasRaw() == null ? null : h.getBaseFeePerGas();
      rewards = h.getRewardRaw() == null ? null : h.getReward();
      oldest = h.getOldestBlockRaw() == null ? null : h.getOldestBlock();
    } catch (RuntimeException e) {
      throw new BadAnswer("eth_feeHistory: unreadable answer (" + e.getMessage() + ")");
    }
    if (baseFees == null || baseFees.isEmpty() || oldest == null) {
      throw new BadAnswer("eth_feeHistory: no baseFeePerGas (a chain without EIP-1559?)");
    }
    int count = baseFees.size() - 1; // the blocks the node answered for, plus the next one
    if (count < 1 || rewards == null || rewards.size() != count) {
      throw new BadAnswer(
          "eth_feeHistory: "
              + (rewards == null ? "no" : String.valueOf(rewards.size()))
              + " rewards for "
              + Math.max(count, 0)
              + " blocks");
    }
    List<BigInteger> tips = new ArrayList<>(count);
    for (List<BigInteger> perBlock : rewards) {
      if (perBlock == null || perBlock.size() != 1 || perBlock.get(0).signum() < 0) {
        throw new BadAnswer("eth_feeHistory: a block's rewards are not one percentile");
      }
      tips.add(perBlock.get(0));
    }
    BigInteger next = baseFees.get(count);
    if (next.signum() < 0) {
      throw new BadAnswer("eth_feeHistory: negative base fee");
    }
    tips.sort(null);
    BigInteger tip = tips.get((tips.size() - 1) / 2);
    return new FeeEstimate(oldest.longValueExact() + count - 1, next, tip, "eth_feeHistory");
  }

  private FeeEstimate fromGasPrice(RpcClient rpc, String why) throws IOException {
    EthGasPrice price;
    try {
      price = rpc.web3j().ethGasPrice().send();
    } catch (IOException e) {
      throw new IOException(why + "; eth_gasPrice: " + e.getMessage(), e);
    }
    if (price.hasError() || price.getResult() == null) {
      throw new IOException(
          why
              + "; eth_gasPrice: "
              + (price.hasError() ? price.getError().getMessage() : "empty answer"));
    }
    BigInteger wei;
    try {
      wei = price.getGasPrice();
    } catch (RuntimeException e) {
      throw new IOException(why + "; eth_gasPrice: unreadable answer " + price.getResult(), e);
    }
    return new FeeEstimate(rpc.blockNumber(), wei, BigInteger.ZERO, "eth_gasPrice");
  }

  /** Why an {@code eth_feeHistory} answer gives no estimate. */
  static final class BadAnswer extends Exception {
    private static final long serialVersionUID = 1L;

    BadAnswer(String message) {
      super(message, null, false, false);
    }
  }
}
