package io.rehoboam.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import javax.net.SocketFactory;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.BatchResponse;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;

/**
 * A test's hands on the chain: one dev account that deploys, sends and calls, through web3j over
 * HTTP (TCP_NODELAY on; the default OkHttp keeps Nagle on and a batch then waits ~40 ms).
 *
 * <p>Sends are serialized with a local nonce (tests send from one client at a time per account);
 * every transaction is legacy with gas price 0 (the fixture's node has zero fees). A reverted
 * transaction fails with the revert reason replayed through eth_call.
 */
public final class ChainClient implements AutoCloseable {
  private static final BigInteger DEFAULT_GAS = BigInteger.valueOf(8_000_000);

  private final long chainId;
  private final Credentials credentials;
  private final OkHttpClient http;
  private final HttpService service;
  private final Web3j web3j;
  private final ScheduledThreadPoolExecutor web3jScheduler;
  private BigInteger nextNonce;

  private ChainClient(String rpcUrl, long chainId, String privateKey) {
    this.chainId = chainId;
    this.credentials = Credentials.create(privateKey);
    this.http = httpClient();
    this.service = new HttpService(rpcUrl, http);
    this.web3jScheduler = new ScheduledThreadPoolExecutor(0);
    this.web3j = Web3j.build(service, 1_000, web3jScheduler);
  }

  /** A client for the node's dev account {@code account}. */
  public static ChainClient connect(AnvilNode node, int account) {
    return new ChainClient(node.rpcUrl(), node.chainId(), node.privateKeys().get(account));
  }

  /** An OkHttp client for loopback JSON-RPC with Nagle off. */
  public static OkHttpClient httpClient() {
    return new OkHttpClient.Builder()
        .socketFactory(new NoDelaySocketFactory())
        .connectionPool(new ConnectionPool(4, 10, TimeUnit.SECONDS))
        .dispatcher(new Dispatcher())
        .build();
  }

  public Web3j web3j() {
    return web3j;
  }

  public Credentials credentials() {
    return credentials;
  }

  /** This client's account address, lower-case. */
  public String address() {
    return credentials.getAddress().toLowerCase();
  }

  public long chainId() {
    return chainId;
  }

  /** Deploys creation code (hex, with or without 0x) with ABI-encoded constructor arguments. */
  public String deploy(String creationCode, Type<?>... constructorArgs) {
    String code = Numeric.cleanHexPrefix(creationCode);
    String data = code + FunctionEncoder.encodeConstructor(Arrays.asList(constructorArgs));
    TransactionReceipt receipt = awaitReceipt(sendRaw(null, "0x" + data, BigInteger.ZERO));
    requireSuccess(receipt, null, "0x" + data);
    return receipt.getContractAddress().toLowerCase();
  }

  /** Sends a call transaction and waits for its receipt; throws with the reason if it reverts. */
  public TransactionReceipt send(String to, Function function) {
    return send(to, FunctionEncoder.encode(function), BigInteger.ZERO);
  }

  /** Sends {@code data} to {@code to} with {@code value} wei; waits; throws if it reverts. */
  public TransactionReceipt send(String to, String data, BigInteger value) {
    TransactionReceipt receipt = awaitReceipt(sendRaw(to, data, value));
    requireSuccess(receipt, to, data);
    return receipt;
  }

  /** Sends without waiting; returns the transaction hash. */
  public synchronized String sendRaw(String to, String data, BigInteger value) {
    try {
      if (nextNonce == null) {
        nextNonce =
            web3j
                .ethGetTransactionCount(credentials.getAddress(), DefaultBlockParameterName.PENDING)
                .send()
                .getTransactionCount();
      }
      RawTransaction tx =
          to == null
              ? RawTransaction.createContractTransaction(
                  nextNonce, BigInteger.ZERO, DEFAULT_GAS, value, data)
              : RawTransaction.createTransaction(
                  nextNonce, BigInteger.ZERO, DEFAULT_GAS, to, value, data);
      String signed = Numeric.toHexString(TransactionEncoder.signMessage(tx, chainId, credentials));
      EthSendTransaction sent = web3j.ethSendRawTransaction(signed).send();
      if (sent.hasError()) {
        nextNonce = null;
        throw new IllegalStateException("send rejected: " + sent.getError().getMessage());
      }
      nextNonce = nextNonce.add(BigInteger.ONE);
      return sent.getTransactionHash();
    } catch (IOException e) {
      nextNonce = null;
      throw new UncheckedIOException(e);
    }
  }

  /** Waits (up to 30 s) for a receipt. */
  public TransactionReceipt awaitReceipt(String txHash) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    try {
      while (true) {
        var r = web3j.ethGetTransactionReceipt(txHash).send();
        if (r.getTransactionReceipt().isPresent()) {
          return r.getTransactionReceipt().get();
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("no receipt for " + txHash + " within 30 s");
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void requireSuccess(TransactionReceipt receipt, String to, String data) {
    if (!receipt.isStatusOK()) {
      String reason =
          revertReason(
              to,
              data,
              DefaultBlockParameter.valueOf(receipt.getBlockNumber().subtract(BigInteger.ONE)));
      throw new IllegalStateException(
          "transaction " + receipt.getTransactionHash() + " reverted: " + reason);
    }
  }

  /** The revert reason of a call replayed at {@code block}, or "no reason". */
  public String revertReason(String to, String data, DefaultBlockParameter block) {
    try {
      EthCall call =
          web3j
              .ethCall(
                  Transaction.createEthCallTransaction(credentials.getAddress(), to, data), block)
              .send();
      if (call.hasError()) {
        return call.getError().getMessage();
      }
      return call.isReverted() ? call.getRevertReason() : "no reason (the replay succeeded)";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Calls a view function at the latest block and decodes its outputs. */
  @SuppressWarnings("rawtypes")
  public List<Type> call(String to, Function function) {
    String hex = callRaw(to, FunctionEncoder.encode(function));
    return FunctionReturnDecoder.decode(hex, function.getOutputParameters());
  }

  /** Calls at the latest block; returns the raw hex output; throws on revert. */
  public String callRaw(String to, String data) {
    try {
      EthCall call =
          web3j
              .ethCall(
                  Transaction.createEthCallTransaction(credentials.getAddress(), to, data),
                  DefaultBlockParameterName.LATEST)
              .send();
      if (call.hasError()) {
        throw new IllegalStateException("eth_call failed: " + call.getError().getMessage());
      }
      return call.getValue();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Sends many eth_calls in one JSON-RPC batch; returns their outputs in order, null for a call
   * that failed (reverted).
   */
  public List<String> callBatch(List<String> to, List<String> data) {
    try {
      var batch = web3j.newBatch();
      for (int i = 0; i < to.size(); i++) {
        batch.add(
            web3j.ethCall(
                Transaction.createEthCallTransaction(
                    credentials.getAddress(), to.get(i), data.get(i)),
                DefaultBlockParameterName.LATEST));
      }
      BatchResponse response = batch.send();
      List<String> out = new ArrayList<>();
      for (Response<?> r : response.getResponses()) {
        out.add(r.hasError() ? null : ((EthCall) r).getValue());
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An ERC-20 balance. */
  public BigInteger balanceOf(String token, String owner) {
    Function f =
        new Function(
            "balanceOf", List.of(new Address(owner)), List.of(new TypeReference<Uint256>() {}));
    return (BigInteger) call(token, f).get(0).getValue();
  }

  /** An ERC-20 balance at the end of block {@code block}. */
  public BigInteger balanceOfAt(String token, String owner, long block) {
    Function f =
        new Function(
            "balanceOf", List.of(new Address(owner)), List.of(new TypeReference<Uint256>() {}));
    try {
      EthCall call =
          web3j
              .ethCall(
                  Transaction.createEthCallTransaction(
                      credentials.getAddress(), token, FunctionEncoder.encode(f)),
                  DefaultBlockParameter.valueOf(BigInteger.valueOf(block)))
              .send();
      if (call.hasError()) {
        throw new IllegalStateException(
            "balanceOf at " + block + ": " + call.getError().getMessage());
      }
      return (BigInteger)
          FunctionReturnDecoder.decode(call.getValue(), f.getOutputParameters()).get(0).getValue();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public void transfer(String token, String to, BigInteger amount) {
    send(token, new Function("transfer", List.of(new Address(to), new Uint256(amount)), List.of()));
  }

  public void approve(String token, String spender, BigInteger amount) {
    send(
        token,
        new Function("approve", List.of(new Address(spender), new Uint256(amount)), List.of()));
  }

  public long blockNumber() {
    try {
      return web3j.ethBlockNumber().send().getBlockNumber().longValueExact();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sends an arbitrary JSON-RPC call (e.g. {@code evm_mine}, {@code evm_setAutomine}). */
  public Object rpc(String method, Object... params) {
    try {
      Request<?, RawResponse> request =
          new Request<>(method, Arrays.asList(params), service, RawResponse.class);
      RawResponse r = request.send();
      if (r.hasError()) {
        throw new IllegalStateException(method + " failed: " + r.getError().getMessage());
      }
      return r.getResult();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A JSON-RPC response whose result is kept as parsed JSON. */
  public static final class RawResponse extends Response<Object> {}

  @Override
  public void close() {
    web3j.shutdown();
    web3jScheduler.shutdownNow();
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }

  /** Sets TCP_NODELAY on every socket it makes. */
  public static final class NoDelaySocketFactory extends SocketFactory {
    private final SocketFactory delegate = SocketFactory.getDefault();

    @Override
    public Socket createSocket() throws IOException {
      Socket s = delegate.createSocket();
      s.setTcpNoDelay(true);
      return s;
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
      Socket s = delegate.createSocket(host, port);
      s.setTcpNoDelay(true);
      return s;
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress local, int localPort)
        throws IOException {
      Socket s = delegate.createSocket(host, port, local, localPort);
      s.setTcpNoDelay(true);
      return s;
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
      Socket s = delegate.createSocket(host, port);
      s.setTcpNoDelay(true);
      return s;
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress local, int localPort)
        throws IOException {
      Socket s = delegate.createSocket(address, port, local, localPort);
      s.setTcpNoDelay(true);
      return s;
    }
  }
}
