package io.rehoboam.evm.ops;

import io.rehoboam.evm.ExecutorContract;
import io.rehoboam.evm.FeeEstimate;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Duration;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * Deploys the executor contract ({@link ExecutorContract#creationCode()}) from an account: one
 * EIP-1559 contract-creation transaction, priced with the fee estimate ({@code max fee = 2 x base
 * fee + priority fee}), its gas limit the node's estimate plus a fifth; then waits for the receipt.
 */
public final class ExecutorDeployment {
  /** A deployed executor. */
  public record Deployed(
      long chainId,
      String deployer,
      String address,
      String txHash,
      long block,
      BigInteger gasUsed,
      FeeEstimate fees) {}

  private ExecutorDeployment() {}

  /**
   * Deploys and waits (up to {@code timeout}) for the receipt.
   *
   * @param expectedChain the chain the node must be on, or null
   * @throws RehoboamException INVALID_ARGUMENT for a wrong chain; INTERNAL when the node is
   *     unreachable, refuses the transaction, the deployment reverts or no receipt comes in time
   */
  public static Deployed deploy(
      Node node, Credentials account, Long expectedChain, Duration timeout) {
    long chain = node.checkChain(expectedChain);
    FeeEstimate fees = node.fees(10, 50);
    try {
      AccountTransaction.Mined mined =
          AccountTransaction.send(
              node,
              account,
              chain,
              fees,
              null,
              BigInteger.ZERO,
              ExecutorContract.creationCode(),
              "deployment",
              timeout);
      TransactionReceipt receipt = mined.receipt();
      if (receipt.getContractAddress() == null) {
        throw failed("the deployment " + mined.txHash() + " created no contract");
      }
      return new Deployed(
          chain,
          account.getAddress().toLowerCase(),
          receipt.getContractAddress().toLowerCase(),
          mined.txHash(),
          receipt.getBlockNumber().longValueExact(),
          receipt.getGasUsed(),
          fees);
    } catch (IOException e) {
      throw node.unreachable(e);
    }
  }

  private static RehoboamException failed(String message) {
    return new RehoboamException(ErrorCode.INTERNAL, message);
  }
}
