package io.rehoboam.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.crypto.Hash;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;
import org.web3j.crypto.SignedRawTransaction;
import org.web3j.crypto.TransactionDecoder;
import org.web3j.utils.Numeric;

/**
 * A stand-in for a bundle relay / block builder (the Flashbots {@code eth_sendBundle} / {@code
 * eth_callBundle} JSON-RPC over real HTTP) in front of an anvil node whose automine it switches
 * off: it becomes the node's only block builder.
 *
 * <ul>
 *   <li>Every request must carry {@code X-Flashbots-Signature: <address>:<signature>}, an EIP-191
 *       personal signature of the text {@code 0x<keccak256(body) in hex>}; the address recovered
 *       from the signature must be the one named, else HTTP 403 with a JSON-RPC error.
 *   <li>{@code eth_callBundle} simulates each transaction with {@code eth_call} on the node's
 *       latest state (its sender, target, data, value and gas) and reports an {@code error} and
 *       {@code revert} reason per transaction that reverts.
 *   <li>{@code eth_sendBundle} keeps the bundle for its {@code blockNumber}.
 *   <li>{@link #buildBlock()} builds the next block: the first bundle for it that simulates cleanly
 *       (when {@link #including} is on) is sent to the node and mined with {@code evm_mine}, all
 *       its transactions succeeding or the block is rolled back ({@code evm_snapshot}/{@code
 *       evm_revert}) and mined without it: a bundle lands atomically or not at all. Transactions
 *       sent to the node directly are mined too, before the bundle's.
 * </ul>
 *
 * Every request is recorded ({@link #requests()}), so tests check what was sent.
 */
public final class BundleRelay implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(BundleRelay.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One request as it arrived, with the signer the header proved (null when it did not). */
  public record Request(String method, JsonNode body, String header, String signer) {
    /** The first parameter object. */
    public JsonNode param() {
      return body.path("params").path(0);
    }
  }

  /** A bundle kept for a block. */
  public record Bundle(List<String> txs, long block, String signer) {}

  private final String rpcUrl;
  private final HttpClient http = HttpClient.newHttpClient();
  private final HttpServer server;
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final List<Bundle> bundles = new ArrayList<>();
  private final List<Long> includedBlocks = new CopyOnWriteArrayList<>();
  private ScheduledExecutorService builder;

  /** When false, blocks are built without any bundle (a builder that did not pick them). */
  public volatile boolean including = true;

  private BundleRelay(String rpcUrl) throws IOException {
    this.rpcUrl = rpcUrl;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
  }

  /**
   * Starts a relay on a free loopback port in front of the node at {@code rpcUrl} and switches the
   * node's automine off: from now on blocks come from {@link #buildBlock()} (or {@link
   * #buildEvery}).
   */
  public static BundleRelay start(String rpcUrl) {
    try {
      BundleRelay relay = new BundleRelay(rpcUrl);
      relay.node("evm_setAutomine", false);
      relay.server.start();
      return relay;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The relay's URL. */
  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Every request so far, in arrival order. */
  public List<Request> requests() {
    return List.copyOf(requests);
  }

  /** The requests of one method whose signature was valid. */
  public List<Request> requests(String method) {
    return requests.stream().filter(r -> r.method().equals(method) && r.signer() != null).toList();
  }

  /** The blocks that included a bundle. */
  public List<Long> includedBlocks() {
    return List.copyOf(includedBlocks);
  }

  /** Waits until at least {@code n} signed requests of {@code method} arrived; false on timeout. */
  public synchronized boolean await(String method, int n, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (requests(method).size() < n) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return true;
  }

  /** Builds a block every {@code interval} on a thread of the relay's own, until closed. */
  public synchronized void buildEvery(Duration interval) {
    if (builder == null) {
      builder =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "rehoboam-test-bundle-builder");
                t.setDaemon(true);
                return t;
              });
      builder.scheduleWithFixedDelay(
          () -> {
            try {
              buildBlock();
            } catch (RuntimeException e) {
              log.warn("building a block failed: {}", e.toString());
            }
          },
          interval.toMillis(),
          interval.toMillis(),
          TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Builds and mines the next block; returns its number. A bundle for it goes in when {@link
   * #including} is on and its simulation succeeds, atomically (see the class comment).
   */
  public synchronized long buildBlock() {
    long next = blockNumber() + 1;
    List<Bundle> candidates = new ArrayList<>();
    for (Bundle b : bundles) {
      if (b.block() == next) {
        candidates.add(b);
      }
    }
    bundles.removeIf(b -> b.block() <= next);
    if (including) {
      for (Bundle b : candidates) {
        if (simulate(b.txs()).stream().anyMatch(r -> r.has("error"))) {
          continue;
        }
        if (mineAtomically(b)) {
          includedBlocks.add(next);
          return next;
        }
      }
    }
    node("evm_mine");
    return next;
  }

  private boolean mineAtomically(Bundle b) {
    String snapshot = node("evm_snapshot").asText();
    List<String> hashes = new ArrayList<>();
    for (String tx : b.txs()) {
      JsonNode sent = nodeOrError("eth_sendRawTransaction", tx);
      if (sent.has("error")) {
        node("evm_revert", snapshot);
        return false;
      }
      hashes.add(sent.path("result").asText());
    }
    node("evm_mine");
    for (String hash : hashes) {
      JsonNode receipt = node("eth_getTransactionReceipt", hash);
      if (receipt.isNull() || !"0x1".equals(receipt.path("status").asText())) {
        node("evm_revert", snapshot);
        // The rolled-back transactions may be back in the pool: drop them, as a builder would.
        for (String h : hashes) {
          nodeOrError("anvil_dropTransaction", h);
        }
        return false;
      }
    }
    return true;
  }

  private long blockNumber() {
    return Numeric.decodeQuantity(node("eth_blockNumber").asText()).longValueExact();
  }

  // ------------------------------------------------------------------ HTTP

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      JsonNode request;
      try {
        request = JSON.readTree(body);
      } catch (IOException e) {
        answer(exchange, 400, error(null, -32700, "parse error"));
        return;
      }
      String header = exchange.getRequestHeaders().getFirst("X-Flashbots-Signature");
      String signer = verify(header, body);
      String method = request.path("method").asText();
      synchronized (this) {
        requests.add(new Request(method, request, header, signer));
        notifyAll();
      }
      JsonNode id = request.get("id");
      if (signer == null) {
        answer(exchange, 403, error(id, -32600, "invalid X-Flashbots-Signature"));
        return;
      }
      JsonNode param = request.path("params").path(0);
      List<String> txs = new ArrayList<>();
      param.path("txs").forEach(t -> txs.add(t.asText()));
      if (txs.isEmpty() || !param.path("blockNumber").isTextual()) {
        answer(exchange, 400, error(id, -32602, "params[0]: txs and blockNumber are required"));
        return;
      }
      long block = Numeric.decodeQuantity(param.path("blockNumber").asText()).longValueExact();
      ObjectNode result = JSON.createObjectNode();
      result.put("bundleHash", bundleHash(txs));
      switch (method) {
        case "eth_callBundle" -> {
          ArrayNode results = result.putArray("results");
          simulate(txs).forEach(results::add);
          result.put("stateBlockNumber", blockNumber());
        }
        case "eth_sendBundle" -> {
          synchronized (this) {
            bundles.add(new Bundle(List.copyOf(txs), block, signer));
          }
        }
        default -> {
          answer(exchange, 400, error(id, -32601, "method not found: " + method));
          return;
        }
      }
      ObjectNode ok = JSON.createObjectNode();
      ok.put("jsonrpc", "2.0");
      ok.set("id", id);
      ok.set("result", result);
      answer(exchange, 200, ok);
    } catch (RuntimeException e) {
      log.warn("relay request failed: {}", e.toString());
    }
  }

  /** The address the header's signature proves, or null when it is missing or does not match. */
  static String verify(String header, byte[] body) {
    if (header == null || header.indexOf(':') < 0) {
      return null;
    }
    String named = header.substring(0, header.indexOf(':')).toLowerCase(Locale.ROOT);
    byte[] sig;
    try {
      sig = Numeric.hexStringToByteArray(header.substring(header.indexOf(':') + 1));
    } catch (RuntimeException e) {
      return null;
    }
    if (sig.length != 65) {
      return null;
    }
    byte v = sig[64];
    if (v < 27) {
      v += 27;
    }
    byte[] message = Numeric.toHexString(Hash.sha3(body)).getBytes(StandardCharsets.US_ASCII);
    try {
      BigInteger key =
          Sign.signedPrefixedMessageToKey(
              message,
              new Sign.SignatureData(
                  v,
                  java.util.Arrays.copyOfRange(sig, 0, 32),
                  java.util.Arrays.copyOfRange(sig, 32, 64)));
      String recovered = "0x" + Keys.getAddress(key);
      return recovered.equalsIgnoreCase(named) ? recovered.toLowerCase(Locale.ROOT) : null;
    } catch (java.security.SignatureException | RuntimeException e) {
      return null;
    }
  }

  private List<ObjectNode> simulate(List<String> txs) {
    List<ObjectNode> results = new ArrayList<>();
    for (String raw : txs) {
      ObjectNode r = JSON.createObjectNode();
      r.put("txHash", Hash.sha3(raw));
      SignedRawTransaction tx;
      String from;
      try {
        tx = (SignedRawTransaction) TransactionDecoder.decode(raw);
        from = tx.getFrom().toLowerCase(Locale.ROOT);
        r.put("fromAddress", from);
      } catch (RuntimeException | java.security.SignatureException e) {
        r.put("error", "not a signed transaction");
        results.add(r);
        continue;
      }
      ObjectNode call = JSON.createObjectNode();
      call.put("from", from);
      call.put("to", tx.getTo());
      call.put("data", tx.getData().startsWith("0x") ? tx.getData() : "0x" + tx.getData());
      call.put("value", Numeric.toHexStringWithPrefix(tx.getValue()));
      call.put("gas", Numeric.toHexStringWithPrefix(tx.getGasLimit()));
      r.put("toAddress", tx.getTo());
      JsonNode answer = nodeOrError("eth_call", call, "latest");
      if (answer.has("error")) {
        r.put("error", "execution reverted");
        r.put("revert", revertReason(answer.get("error")));
      } else {
        r.put("value", answer.path("result").asText());
      }
      results.add(r);
    }
    return results;
  }

  /** The Error(string) reason of a revert, else the node's message. */
  private static String revertReason(JsonNode error) {
    String data = error.path("data").asText("");
    if (data.startsWith("0x08c379a0") && data.length() >= 138) {
      byte[] bytes = Numeric.hexStringToByteArray(data.substring(10));
      int length = new BigInteger(1, java.util.Arrays.copyOfRange(bytes, 32, 64)).intValueExact();
      return new String(bytes, 64, length, StandardCharsets.UTF_8);
    }
    return error.path("message").asText("reverted");
  }

  private static String bundleHash(List<String> txs) {
    StringBuilder all = new StringBuilder();
    for (String tx : txs) {
      all.append(Numeric.cleanHexPrefix(Hash.sha3(tx)));
    }
    return Hash.sha3("0x" + all);
  }

  private static ObjectNode error(JsonNode id, int code, String message) {
    ObjectNode e = JSON.createObjectNode();
    e.put("jsonrpc", "2.0");
    e.set("id", id);
    e.putObject("error").put("code", code).put("message", message);
    return e;
  }

  private static void answer(HttpExchange exchange, int status, JsonNode body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  // ------------------------------------------------------------------ node

  private JsonNode node(String method, Object... params) {
    JsonNode answer = nodeOrError(method, params);
    if (answer.has("error")) {
      throw new IllegalStateException(method + " failed: " + answer.get("error"));
    }
    return answer.path("result");
  }

  private JsonNode nodeOrError(String method, Object... params) {
    ObjectNode request = JSON.createObjectNode();
    request.put("jsonrpc", "2.0");
    request.put("id", 1);
    request.put("method", method);
    ArrayNode p = request.putArray("params");
    for (Object o : params) {
      p.add(JSON.valueToTree(o));
    }
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create(rpcUrl))
                  .header("Content-Type", "application/json")
                  .timeout(Duration.ofSeconds(30))
                  .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(request)))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Stops building and serving (the node keeps its automine off). */
  @Override
  public void close() {
    synchronized (this) {
      if (builder != null) {
        builder.shutdownNow();
      }
    }
    server.stop(0);
  }
}
