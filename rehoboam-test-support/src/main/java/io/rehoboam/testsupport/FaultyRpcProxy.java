package io.rehoboam.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A JSON-RPC node gone wrong, for failover tests: an HTTP proxy on loopback in front of a real node
 * that the test switches between behaviours.
 *
 * <ul>
 *   <li>{@link #forward()}: passes everything through (a healthy node);
 *   <li>{@link #freeze()}: a node stuck at the current head: {@code eth_blockNumber} answers the
 *       head at the moment of freezing and every {@code "latest"} block parameter is read at that
 *       block, so it serves the state of then;
 *   <li>{@link #lieAhead(long)}: {@code eth_blockNumber} answers the real head plus {@code n} (a
 *       node claiming blocks nobody else has);
 *   <li>{@link #kill()} / {@link #revive()}: the port stops listening (connections are refused),
 *       and listens again on the same port;
 *   <li>{@link #refuse(String...)}: in any mode, calls of these methods (alone, not in a batch) are
 *       answered with a JSON-RPC error "method not found", as a node without them does.
 * </ul>
 *
 * <p>Threading: the switches are thread-safe; requests are served on two proxy threads.
 */
public final class FaultyRpcProxy implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private enum Mode {
    FORWARD,
    FROZEN,
    AHEAD
  }

  private final ExecutorService executor;
  private final HttpClient client;
  private final URI target;
  private final int port;
  private final AtomicLong requests = new AtomicLong();
  private volatile HttpServer server;
  private volatile Mode mode = Mode.FORWARD;
  private volatile long frozenAt;
  private volatile long ahead;
  private volatile java.util.Set<String> refused = java.util.Set.of();

  private FaultyRpcProxy(String targetUrl) throws IOException {
    this.target = URI.create(targetUrl);
    this.executor = Executors.newFixedThreadPool(2);
    this.client =
        HttpClient.newBuilder().executor(executor).connectTimeout(Duration.ofSeconds(5)).build();
    this.server = listen(0);
    this.port = server.getAddress().getPort();
  }

  /** Starts a proxy in front of {@code targetUrl} (an http URL), forwarding. */
  public static FaultyRpcProxy start(String targetUrl) {
    try {
      return new FaultyRpcProxy(targetUrl);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private HttpServer listen(int wanted) throws IOException {
    HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", wanted), 0);
    s.setExecutor(executor);
    s.createContext("/", this::handle);
    s.start();
    return s;
  }

  /** The proxy's URL (the same across kill and revive). */
  public String url() {
    return "http://127.0.0.1:" + port;
  }

  /** HTTP requests answered so far. */
  public long requests() {
    return requests.get();
  }

  /** Behaves as a healthy node again. */
  public void forward() {
    mode = Mode.FORWARD;
  }

  /** Stays at the node's current head (see the class comment). */
  public void freeze() {
    frozenAt = head();
    mode = Mode.FROZEN;
  }

  /** Claims a head {@code blocks} ahead of the node's. */
  public void lieAhead(long blocks) {
    ahead = blocks;
    mode = Mode.AHEAD;
  }

  /** Answers calls of {@code methods} with a JSON-RPC error; no arguments to stop refusing. */
  public void refuse(String... methods) {
    refused = java.util.Set.of(methods);
  }

  /** Stops listening: connections to the port are refused. */
  public synchronized void kill() {
    HttpServer s = server;
    if (s != null) {
      s.stop(0);
      server = null;
    }
  }

  /** Listens again on the same port, forwarding. */
  public synchronized void revive() {
    mode = Mode.FORWARD;
    if (server == null) {
      try {
        server = listen(port);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private long head() {
    try {
      JsonNode answer =
          JSON.readTree(
              post(
                  "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_blockNumber\",\"params\":[]}"
                      .getBytes(StandardCharsets.UTF_8)));
      return Long.decode(answer.path("result").asText());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private byte[] post(byte[] body) throws IOException {
    try {
      return client
          .send(
              HttpRequest.newBuilder(target)
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray())
          .body();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      requests.incrementAndGet();
      byte[] body = exchange.getRequestBody().readAllBytes();
      byte[] answer;
      try {
        answer = answer(body);
      } catch (IOException e) {
        exchange.sendResponseHeaders(502, -1);
        return;
      }
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, answer.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(answer);
      }
    }
  }

  private byte[] answer(byte[] body) throws IOException {
    Mode m = mode;
    if (m == Mode.FORWARD && refused.isEmpty()) {
      return post(body);
    }
    JsonNode request = JSON.readTree(body);
    if (request.isObject() && refused.contains(request.path("method").asText())) {
      ObjectNode out = JSON.createObjectNode();
      out.put("jsonrpc", "2.0");
      out.set("id", request.get("id"));
      ObjectNode error = out.putObject("error");
      error.put("code", -32601);
      error.put("message", "the method " + request.path("method").asText() + " does not exist");
      return JSON.writeValueAsBytes(out);
    }
    if (m == Mode.FORWARD) {
      return post(body);
    }
    if (request.isObject() && request.path("method").asText().equals("eth_blockNumber")) {
      long head = m == Mode.FROZEN ? frozenAt : head() + ahead;
      ObjectNode out = JSON.createObjectNode();
      out.put("jsonrpc", "2.0");
      out.set("id", request.get("id"));
      out.put("result", "0x" + Long.toHexString(head));
      return JSON.writeValueAsBytes(out);
    }
    if (m == Mode.FROZEN) {
      if (request.isArray()) {
        request.forEach(this::pin);
      } else {
        pin(request);
      }
      return post(JSON.writeValueAsBytes(request));
    }
    return post(body);
  }

  /** Replaces every "latest" block parameter of a call by the frozen block. */
  private void pin(JsonNode call) {
    if (call.get("params") instanceof ArrayNode params) {
      for (int i = 0; i < params.size(); i++) {
        if (params.get(i).isTextual() && params.get(i).asText().equals("latest")) {
          params.set(i, TextNode.valueOf("0x" + Long.toHexString(frozenAt)));
        }
      }
    }
  }

  @Override
  public synchronized void close() {
    kill();
    executor.shutdownNow();
  }
}
