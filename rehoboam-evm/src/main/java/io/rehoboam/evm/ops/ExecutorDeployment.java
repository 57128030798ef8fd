package io.rehoboam.evm.ops;

import io.rehoboam.evm.ExecutorContract;
import io.rehoboam.evm.FeeEstimate;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthEstimateGas;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

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
    String code = ExecutorContract.creationCode();
    String from = account.getAddress();
    try {
      BigInteger nonce =
          node.web3j()
              .ethGetTransactionCount(from, DefaultBlockParameterName.PENDING)
              .send()
              .getTransactionCount();
      EthEstimateGas estimate =
          node.web3j()
              .ethEstimateGas(Transaction.createContractTransaction(from, nonce, null, code))
              .send();
      if (estimate.hasError()) {
        throw failed(
            "the node cannot estimate the deployment: " + estimate.getError().getMessage());
      }
      BigInteger gas = estimate.getAmountUsed();
      gas = gas.add(gas.divide(BigInteger.valueOf(5)));
      RawTransaction tx =
          RawTransaction.createTransaction(
              chain,
              nonce,
              gas,
              "",
              BigInteger.ZERO,
              code,
              fees.priorityFeeWei(),
              fees.maxFeePerGasWei());
      String signed = Numeric.toHexString(TransactionEncoder.signMessage(tx, chain, account));
      EthSendTransaction sent = node.web3j().ethSendRawTransaction(signed).send();
      if (sent.hasError()) {
        throw failed("the node refused the deployment: " + sent.getError().getMessage());
      }
      TransactionReceipt receipt = awaitReceipt(node, sent.getTransactionHash(), timeout);
      if (!receipt.isStatusOK() || receipt.getContractAddress() == null) {
        throw failed("the deployment " + sent.getTransactionHash() + " reverted");
      }
      return new Deployed(
          chain,
          from.toLowerCase(),
          receipt.getContractAddress().toLowerCase(),
          sent.getTransactionHash(),
          receipt.getBlockNumber().longValueExact(),
          receipt.getGasUsed(),
          fees);
    } catch (IOException e) {
      throw node.unreachable(e);
    }
  }

  static TransactionReceipt awaitReceipt(Node node, String hash, Duration timeout)
      throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Optional<TransactionReceipt> receipt =
          node.web3j().ethGetTransactionReceipt(hash).send().getTransactionReceipt();
      if (receipt.isPresent()) {
        return receipt.get();
      }
      if (System.nanoTime() > deadline) {
        throw failed("no receipt of " + hash + " within " + timeout.toSeconds() + "s");
      }
      LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
    }
  }

  private static RehoboamException failed(String message) {
    return new RehoboamException(ErrorCode.INTERNAL, message);
  }
}
