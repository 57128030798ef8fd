package io.rehoboam.evm.ops;

import io.rehoboam.evm.FeeEstimate;
import io.rehoboam.evm.internal.FeeEstimator;
import io.rehoboam.evm.internal.RpcClient;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import org.web3j.protocol.Web3j;

/**
 * One JSON-RPC node for the chain tools, over http(s) (a ws(s) URL is read at its http(s) twin).
 * Messages name only the scheme, host and port of the URL (its path may hold an API key).
 */
public final class Node implements AutoCloseable {
  private final RpcClient rpc;

  /**
   * @throws RehoboamException INVALID_ARGUMENT for a URL that is not http(s) or ws(s)
   */
  public Node(String url, Duration timeout) {
    String u = url == null ? "" : url.trim();
    String lower = u.toLowerCase(Locale.ROOT);
    if (lower.startsWith("ws://") || lower.startsWith("wss://")) {
      u = "http" + u.substring(2);
    } else if (!lower.startsWith("http://") && !lower.startsWith("https://")) {
      throw new RehoboamException(
          ErrorCode.INVALID_ARGUMENT,
          "--rpc-url: must start with http://, https://, ws:// or wss://");
    }
    this.rpc = new RpcClient(u, timeout, 100);
  }

  /** scheme://host:port of the node. */
  public String endpoint() {
    return rpc.endpoint();
  }

  public Web3j web3j() {
    return rpc.web3j();
  }

  /** The chain id, or a failure naming the node. */
  public long chainId() {
    try {
      return rpc.chainId();
    } catch (IOException e) {
      throw unreachable(e);
    }
  }

  /** The latest block number. */
  public long head() {
    try {
      return rpc.blockNumber();
    } catch (IOException e) {
      throw unreachable(e);
    }
  }

  /**
   * The EIP-1559 fee estimate of the evm source (next base fee, median of the {@code percentile}-th
   * rewards of {@code blocks} blocks; {@code eth_gasPrice} when there is no fee history).
   */
  public FeeEstimate fees(int blocks, double percentile) {
    try {
      return new FeeEstimator(blocks, percentile).estimate(rpc);
    } catch (IOException e) {
      throw new RehoboamException(
          ErrorCode.INTERNAL, "no fee estimate from " + endpoint() + ": " + e.getMessage(), e);
    }
  }

  /** Fails unless the node's chain is {@code expected} (when given). */
  public long checkChain(Long expected) {
    long chain = chainId();
    if (expected != null && expected != chain) {
      throw new RehoboamException(
          ErrorCode.INVALID_ARGUMENT,
          "--chain-id: expected "
              + expected
              + " but the node at "
              + endpoint()
              + " is on "
              + chain);
    }
    return chain;
  }

  RehoboamException unreachable(IOException e) {
    return new RehoboamException(
        ErrorCode.INTERNAL, "node " + endpoint() + " unreachable: " + e.getMessage(), e);
  }

  @Override
  public void close() {
    rpc.close();
  }
}
