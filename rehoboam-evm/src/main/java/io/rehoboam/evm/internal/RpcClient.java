package io.rehoboam.evm.internal;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.SocketFactory;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.BatchRequest;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.http.HttpService;

/**
 * JSON-RPC over HTTP through web3j, set up for low latency and a clean close.
 *
 * <p>Why the set-up: OkHttp keeps Nagle on, which makes a batch answer wait ~40 ms for a delayed
 * ACK on loopback, so sockets get TCP_NODELAY. web3j's own scheduler is replaced by one that never
 * starts a thread unless web3j polls (Rehoboam does its own polling), and OkHttp's dispatcher gets
 * a rehoboam-named pool; {@link #close()} shuts both down and evicts pooled connections.
 *
 * <p>Threading: thread-safe; every call blocks the calling thread for the round trip.
 */
public final class RpcClient implements AutoCloseable {
  private final String url;
  private final OkHttpClient http;
  private final HttpService service;
  private final Web3j web3j;
  private final ScheduledThreadPoolExecutor web3jScheduler;
  private final ThreadPoolExecutor dispatcherPool;
  private final int maxBatch;
  private final AtomicLong httpRequests = new AtomicLong();

  /**
   * @param url an http(s) URL
   * @param timeout bound of one HTTP exchange (connect, write, read)
   * @param maxBatch the most calls sent in one JSON-RPC batch
   */
  public RpcClient(String url, Duration timeout, int maxBatch) {
    this.url = url;
    this.maxBatch = maxBatch;
    this.dispatcherPool =
        new ThreadPoolExecutor(
            0,
            Integer.MAX_VALUE,
            10,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            new EvmThreadFactory("evm-http"));
    this.http =
        new OkHttpClient.Builder()
            .socketFactory(new NoDelaySocketFactory())
            .dispatcher(new Dispatcher(dispatcherPool))
            .connectionPool(new ConnectionPool(4, 30, TimeUnit.SECONDS))
            .callTimeout(timeout)
            .connectTimeout(timeout)
            .readTimeout(timeout)
            .writeTimeout(timeout)
            .retryOnConnectionFailure(false)
            .addInterceptor(
                chain -> {
                  httpRequests.incrementAndGet();
                  return chain.proceed(chain.request());
                })
            .build();
    this.service = new HttpService(url, http);
    ScheduledThreadPoolExecutor scheduler =
        new ScheduledThreadPoolExecutor(0, new EvmThreadFactory("evm-web3j"));
    scheduler.setRemoveOnCancelPolicy(true);
    this.web3jScheduler = scheduler;
    this.web3j = Web3j.build(service, 1_000, scheduler);
  }

  public Web3j web3j() {
    return web3j;
  }

  /** The HTTP client (for a WebSocket to the same node). */
  public OkHttpClient http() {
    return http;
  }

  /** The number of HTTP requests made so far (a batch is one). */
  public long httpRequests() {
    return httpRequests.get();
  }

  /** The endpoint for messages: scheme, host and port only (a path may hold an API key). */
  public String endpoint() {
    return describe(url);
  }

  /** scheme://host:port of a URL, without its path or query (which may hold an API key). */
  public static String describe(String url) {
    try {
      URI u = URI.create(url);
      return u.getScheme() + "://" + u.getHost() + (u.getPort() > 0 ? ":" + u.getPort() : "");
    } catch (IllegalArgumentException e) {
      return "(unparseable url)";
    }
  }

  /**
   * Sends the requests in as few JSON-RPC batches as {@code maxBatch} allows and returns the
   * responses in request order. A response may carry an error; a transport failure throws.
   */
  public List<Response<?>> batch(List<Request<?, ? extends Response<?>>> requests)
      throws IOException {
    List<Response<?>> out = new ArrayList<>(requests.size());
    for (int from = 0; from < requests.size(); from += maxBatch) {
      List<Request<?, ? extends Response<?>>> chunk =
          requests.subList(from, Math.min(requests.size(), from + maxBatch));
      if (chunk.size() == 1) {
        out.add(chunk.get(0).send());
        continue;
      }
      BatchRequest batch = web3j.newBatch();
      chunk.forEach(batch::add);
      List<? extends Response<?>> responses = batch.send().getResponses();
      if (responses.size() != chunk.size()) {
        throw new IOException(
            "batch of " + chunk.size() + " calls got " + responses.size() + " answers");
      }
      out.addAll(responses);
    }
    return out;
  }

  /** An eth_call request (not sent). */
  public Request<?, EthCall> callRequest(
      String from, String to, String data, DefaultBlockParameter block) {
    return web3j.ethCall(Transaction.createEthCallTransaction(from, to, data), block);
  }

  /** The latest block number. */
  public long blockNumber() throws IOException {
    var r = web3j.ethBlockNumber().send();
    if (r.hasError()) {
      throw new IOException("eth_blockNumber: " + r.getError().getMessage());
    }
    return r.getBlockNumber().longValueExact();
  }

  /** The chain id the node reports. */
  public long chainId() throws IOException {
    var r = web3j.ethChainId().send();
    if (r.hasError()) {
      throw new IOException("eth_chainId: " + r.getError().getMessage());
    }
    return r.getChainId().longValueExact();
  }

  /** A block number as a block parameter. */
  public static DefaultBlockParameter at(long block) {
    return DefaultBlockParameter.valueOf(BigInteger.valueOf(block));
  }

  @Override
  public void close() {
    web3j.shutdown();
    web3jScheduler.shutdownNow();
    dispatcherPool.shutdownNow();
    http.connectionPool().evictAll();
  }

  /** Sets TCP_NODELAY on every socket it makes. */
  static final class NoDelaySocketFactory extends SocketFactory {
    private final SocketFactory delegate = SocketFactory.getDefault();

    private static Socket noDelay(Socket s) throws IOException {
      s.setTcpNoDelay(true);
      return s;
    }

    @Override
    public Socket createSocket() throws IOException {
      return noDelay(delegate.createSocket());
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
      return noDelay(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress local, int localPort)
        throws IOException {
      return noDelay(delegate.createSocket(host, port, local, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
      return noDelay(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress local, int localPort)
        throws IOException {
      return noDelay(delegate.createSocket(address, port, local, localPort));
    }
  }
}
