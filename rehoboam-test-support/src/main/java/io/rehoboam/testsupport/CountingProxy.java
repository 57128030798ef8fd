package io.rehoboam.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An HTTP JSON-RPC proxy on loopback that counts what passes through it: HTTP requests, and
 * JSON-RPC calls inside them (a batch of n calls is one request and n calls). Lets a test measure
 * how many round trips a client makes, independent of the client's own counters.
 */
public final class CountingProxy implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final ExecutorService executor;
  private final HttpClient client;
  private final URI target;
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong calls = new AtomicLong();
  private final List<String> methods = new CopyOnWriteArrayList<>();

  private CountingProxy(String targetUrl) throws IOException {
    this.target = URI.create(targetUrl);
    this.executor = Executors.newFixedThreadPool(2);
    this.client =
        HttpClient.newBuilder().executor(executor).connectTimeout(Duration.ofSeconds(5)).build();
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(executor);
    server.createContext("/", this::forward);
    server.start();
  }

  /** Starts a proxy in front of {@code targetUrl} (an http URL). */
  public static CountingProxy start(String targetUrl) {
    try {
      return new CountingProxy(targetUrl);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The proxy's own URL, to give to the client under test. */
  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** HTTP requests seen so far. */
  public long requests() {
    return requests.get();
  }

  /** JSON-RPC calls seen so far (every element of a batch counts). */
  public long calls() {
    return calls.get();
  }

  /** The JSON-RPC methods seen, in order (a batch's methods one by one). */
  public List<String> methods() {
    return List.copyOf(methods);
  }

  /** Forgets the counts. */
  public void reset() {
    requests.set(0);
    calls.set(0);
    methods.clear();
  }

  private void forward(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      requests.incrementAndGet();
      try {
        JsonNode json = JSON.readTree(body);
        if (json.isArray()) {
          calls.addAndGet(json.size());
          json.forEach(c -> methods.add(c.path("method").asText()));
        } else {
          calls.incrementAndGet();
          methods.add(json.path("method").asText());
        }
      } catch (IOException e) {
        // not JSON: forwarded as is, counted as a request only
      }
      HttpResponse<byte[]> response;
      try {
        response =
            client.send(
                HttpRequest.newBuilder(target)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        exchange.sendResponseHeaders(502, -1);
        return;
      } catch (IOException e) {
        exchange.sendResponseHeaders(502, -1);
        return;
      }
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(response.statusCode(), response.body().length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(response.body());
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
