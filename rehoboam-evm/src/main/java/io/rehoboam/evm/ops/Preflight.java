package io.rehoboam.evm.ops;

import io.rehoboam.evm.FeeEstimate;
import io.rehoboam.evm.internal.Abi;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.utils.Numeric;

/**
 * Checks before trading live on a chain: the node's chain id, the account's native balance, code at
 * the executor address, the account's balance and allowance (to the executor) of each start token,
 * each relay answering over HTTP, and the fee estimate. Each check passes or fails with what it
 * found; the node being unreachable fails the whole run.
 */
public final class Preflight {
  /** One check: its name, whether it passed, what was found. */
  public record Check(String name, boolean ok, String detail) {}

  /**
   * What to check.
   *
   * @param chainId the chain the node must be on, or null
   * @param account the trading account, or null
   * @param executor the executor contract, or null
   * @param tokens start tokens whose balance and allowance are checked (needs account)
   * @param relays relay or private RPC URLs that must answer over HTTP
   */
  public record Request(
      Long chainId, String account, String executor, List<String> tokens, List<String> relays) {}

  /** The outcome: the chain, its head, the fee estimate and every check. */
  public record Report(long chainId, long head, FeeEstimate fees, List<Check> checks) {
    /** Whether every check passed. */
    public boolean ok() {
      return checks.stream().allMatch(Check::ok);
    }
  }

  private Preflight() {}

  /**
   * Runs the checks.
   *
   * @throws RehoboamException INVALID_ARGUMENT for an address that is not one; INTERNAL when the
   *     node is unreachable
   */
  public static Report run(Node node, Request request, Duration timeout) {
    String account = address(request.account(), "--account");
    String executor = address(request.executor(), "--executor");
    List<String> tokens = new ArrayList<>();
    for (String t : request.tokens()) {
      tokens.add(address(t, "--token"));
    }
    if (!tokens.isEmpty() && account == null) {
      throw new RehoboamException(
          ErrorCode.INVALID_ARGUMENT, "--token: needs the account (--account or a key)");
    }
    List<Check> checks = new ArrayList<>();
    long chain = node.chainId();
    checks.add(
        new Check(
            "chain_id",
            request.chainId() == null || request.chainId() == chain,
            request.chainId() == null
                ? "node is on chain " + chain
                : request.chainId() == chain
                    ? "chain " + chain
                    : "expected " + request.chainId() + " but the node is on " + chain));
    long head = node.head();
    FeeEstimate fees = node.fees(10, 50);
    checks.add(
        new Check(
            "fee_estimate",
            true,
            "base fee "
                + fees.baseFeeWei()
                + " wei + priority fee "
                + fees.priorityFeeWei()
                + " wei (max fee "
                + fees.maxFeePerGasWei()
                + ", by "
                + fees.method()
                + ")"));
    try {
      if (account != null) {
        BigInteger balance =
            node.web3j()
                .ethGetBalance(account, DefaultBlockParameterName.LATEST)
                .send()
                .getBalance();
        checks.add(
            new Check(
                "native_balance",
                balance.signum() > 0,
                account
                    + " holds "
                    + balance
                    + " wei"
                    + (balance.signum() > 0 ? "" : ": it cannot pay gas")));
      }
      if (executor != null) {
        String code =
            node.web3j().ethGetCode(executor, DefaultBlockParameterName.LATEST).send().getCode();
        int bytes = code == null ? 0 : Numeric.cleanHexPrefix(code).length() / 2;
        checks.add(
            new Check(
                "executor_code",
                bytes > 0,
                bytes > 0
                    ? executor + " has " + bytes + " bytes of code"
                    : "no contract at " + executor + " (deploy it with rehoboam deploy-executor)"));
      }
      for (String token : tokens) {
        BigInteger balance = call(node, token, Abi.balanceOf(account));
        checks.add(
            new Check(
                "token_balance " + token,
                balance != null && balance.signum() > 0,
                balance == null
                    ? token + " does not answer balanceOf (not a token?)"
                    : account + " holds " + balance + " base units"));
        if (executor != null) {
          BigInteger allowance = call(node, token, Abi.allowance(account, executor));
          checks.add(
              new Check(
                  "allowance " + token,
                  allowance != null && allowance.signum() > 0,
                  allowance == null
                      ? token + " does not answer allowance"
                      : "the executor may pull "
                          + allowance
                          + " base units"
                          + (allowance.signum() > 0 ? "" : ": approve it once per start token")));
        }
      }
    } catch (IOException e) {
      throw node.unreachable(e);
    }
    for (String relay : request.relays()) {
      checks.add(relay(relay, timeout));
    }
    return new Report(chain, head, fees, List.copyOf(checks));
  }

  private static BigInteger call(Node node, String to, String data) throws IOException {
    EthCall answer =
        node.web3j()
            .ethCall(
                Transaction.createEthCallTransaction(null, to, data),
                DefaultBlockParameterName.LATEST)
            .send();
    if (answer.hasError() || answer.isReverted() || answer.getValue() == null) {
      return null;
    }
    String v = answer.getValue();
    return v.length() < 66 ? null : Abi.uint(v, 0);
  }

  /**
   * A relay answers when an HTTP POST of a JSON-RPC {@code eth_blockNumber} gets any HTTP answer (a
   * relay may refuse the method or want a signature: it is reachable all the same).
   */
  private static Check relay(String url, Duration timeout) {
    String shown = describe(url);
    URI uri;
    try {
      uri = URI.create(url.trim());
      if (uri.getScheme() == null
          || !List.of("http", "https").contains(uri.getScheme().toLowerCase(Locale.ROOT))) {
        return new Check("relay " + shown, false, "not an http(s) URL");
      }
    } catch (IllegalArgumentException e) {
      return new Check("relay " + shown, false, "not a URL");
    }
    HttpClient client = HttpClient.newBuilder().connectTimeout(timeout).build();
    try {
      HttpResponse<Void> answer =
          client.send(
              HttpRequest.newBuilder(uri)
                  .timeout(timeout)
                  .header("Content-Type", "application/json")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_blockNumber\",\"params\":[]}"))
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      return new Check("relay " + shown, true, "answers HTTP " + answer.statusCode());
    } catch (IOException e) {
      return new Check(
          "relay " + shown,
          false,
          "unreachable: "
              + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Check("relay " + shown, false, "interrupted");
    }
  }

  private static String describe(String url) {
    try {
      URI u = URI.create(url.trim());
      return u.getScheme() + "://" + u.getHost() + (u.getPort() > 0 ? ":" + u.getPort() : "");
    } catch (IllegalArgumentException e) {
      return "(unparseable url)";
    }
  }

  private static String address(String value, String option) {
    if (value == null) {
      return null;
    }
    if (!Abi.isAddress(value.trim())) {
      throw new RehoboamException(
          ErrorCode.INVALID_ARGUMENT, option + ": expected an address (0x and 40 hex digits)");
    }
    return value.trim().toLowerCase(Locale.ROOT);
  }
}
