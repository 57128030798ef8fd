package io.rehoboam.evm.ops;

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
 * One EIP-1559 transaction from an operator's account, as the CLI's chain tools send it: the
 * pending nonce, the node's gas estimate plus a fifth, the given fees, signed, sent, and its
 * receipt awaited; a refusal, a revert or no receipt in time is an error naming {@code what}.
 */
final class AccountTransaction {
  private AccountTransaction() {}

  /** What was mined. */
  record Mined(String txHash, TransactionReceipt receipt) {}

  /**
   * Sends and waits for the receipt.
   *
   * @param to the called address, or null to create a contract from {@code data}
   * @throws IOException when the node cannot be reached
   * @throws RehoboamException INTERNAL when the node refuses or cannot estimate, the transaction
   *     reverts or no receipt comes within {@code timeout}
   */
  static Mined send(
      Node node,
      Credentials account,
      long chain,
      FeeEstimate fees,
      String to,
      BigInteger value,
      String data,
      String what,
      Duration timeout)
      throws IOException {
    String from = account.getAddress();
    BigInteger nonce =
        node.web3j()
            .ethGetTransactionCount(from, DefaultBlockParameterName.PENDING)
            .send()
            .getTransactionCount();
    Transaction call =
        to == null
            ? Transaction.createContractTransaction(from, nonce, null, data)
            : Transaction.createFunctionCallTransaction(from, nonce, null, null, to, value, data);
    EthEstimateGas estimate = node.web3j().ethEstimateGas(call).send();
    if (estimate.hasError()) {
      throw failed(
          "the node cannot estimate the " + what + ": " + estimate.getError().getMessage());
    }
    BigInteger gas = estimate.getAmountUsed();
    gas = gas.add(gas.divide(BigInteger.valueOf(5)));
    RawTransaction tx =
        RawTransaction.createTransaction(
            chain,
            nonce,
            gas,
            to == null ? "" : to,
            value,
            data,
            fees.priorityFeeWei(),
            fees.maxFeePerGasWei());
    String signed = Numeric.toHexString(TransactionEncoder.signMessage(tx, chain, account));
    EthSendTransaction sent = node.web3j().ethSendRawTransaction(signed).send();
    if (sent.hasError()) {
      throw failed("the node refused the " + what + ": " + sent.getError().getMessage());
    }
    TransactionReceipt receipt = awaitReceipt(node, sent.getTransactionHash(), timeout);
    if (!receipt.isStatusOK()) {
      throw failed("the " + what + " " + sent.getTransactionHash() + " reverted");
    }
    return new Mined(sent.getTransactionHash(), receipt);
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

  static RehoboamException failed(String message) {
    return new RehoboamException(ErrorCode.INTERNAL, message);
  }
}
