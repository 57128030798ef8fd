package io.rehoboam.evm.ops;

import io.rehoboam.evm.FeeEstimate;
import io.rehoboam.evm.internal.Abi;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Locale;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.DefaultBlockParameterName;

/**
 * The two token transactions an account makes once before trading: wrapping ether into the chain's
 * wrapped native token ({@code deposit()} of WETH9) and approving the executor to pull a start
 * token ({@code approve(spender, amount)} of ERC-20). Each is one EIP-1559 transaction priced like
 * {@link ExecutorDeployment} ({@code max fee = 2 x base fee + priority fee}, gas limit the node's
 * estimate plus a fifth), then its receipt is awaited.
 */
public final class TokenTransactions {
  /** The largest allowance: 2^256 - 1. */
  public static final BigInteger UNLIMITED = BigInteger.TWO.pow(256).subtract(BigInteger.ONE);

  /** A mined transaction. */
  public record Sent(
      long chainId, String from, String txHash, long block, BigInteger gasUsed, FeeEstimate fees) {}

  private TokenTransactions() {}

  /**
   * Wraps {@code wei} of ether by {@code deposit()} on {@code token}.
   *
   * @throws RehoboamException INVALID_ARGUMENT for a bad address, a token without code, a
   *     non-positive amount or a wrong chain; INTERNAL when the node is unreachable, refuses or
   *     reverts the transaction
   */
  public static Sent wrap(
      Node node,
      Credentials account,
      Long expectedChain,
      String token,
      BigInteger wei,
      Duration timeout) {
    String to = address(token, "--token");
    if (wei == null || wei.signum() <= 0) {
      throw new RehoboamException(ErrorCode.INVALID_ARGUMENT, "--amount: must be more than 0");
    }
    return send(node, account, expectedChain, to, wei, "0xd0e30db0", "deposit", timeout);
  }

  /**
   * Approves {@code spender} to pull {@code amount} base units of {@code token} from the account.
   *
   * @throws RehoboamException as {@link #wrap}
   */
  public static Sent approve(
      Node node,
      Credentials account,
      Long expectedChain,
      String token,
      String spender,
      BigInteger amount,
      Duration timeout) {
    String to = address(token, "--token");
    String who = address(spender, "--executor");
    if (amount == null || amount.signum() < 0 || amount.compareTo(UNLIMITED) > 0) {
      throw new RehoboamException(
          ErrorCode.INVALID_ARGUMENT, "--amount: must be a whole number from 0 to 2^256 - 1");
    }
    String data =
        "0x095ea7b3"
            + "0".repeat(24)
            + who.substring(2)
            + String.format("%64s", amount.toString(16)).replace(' ', '0');
    return send(node, account, expectedChain, to, BigInteger.ZERO, data, "approve", timeout);
  }

  private static Sent send(
      Node node,
      Credentials account,
      Long expectedChain,
      String to,
      BigInteger value,
      String data,
      String what,
      Duration timeout) {
    long chain = node.checkChain(expectedChain);
    FeeEstimate fees = node.fees(10, 50);
    String from = account.getAddress();
    try {
      String code = node.web3j().ethGetCode(to, DefaultBlockParameterName.LATEST).send().getCode();
      if (code == null || code.equals("0x") || code.isEmpty()) {
        // sent to an account without code, the call would "succeed" and do nothing
        throw new RehoboamException(
            ErrorCode.INVALID_ARGUMENT, "--token: no contract at " + to + " on chain " + chain);
      }
      AccountTransaction.Mined mined =
          AccountTransaction.send(node, account, chain, fees, to, value, data, what, timeout);
      return new Sent(
          chain,
          from.toLowerCase(Locale.ROOT),
          mined.txHash(),
          mined.receipt().getBlockNumber().longValueExact(),
          mined.receipt().getGasUsed(),
          fees);
    } catch (IOException e) {
      throw node.unreachable(e);
    }
  }

  private static String address(String value, String option) {
    if (value == null || !Abi.isAddress(value.trim())) {
      throw new RehoboamException(
          ErrorCode.INVALID_ARGUMENT, option + ": expected an address (0x and 40 hex digits)");
    }
    return value.trim().toLowerCase(Locale.ROOT);
  }
}
