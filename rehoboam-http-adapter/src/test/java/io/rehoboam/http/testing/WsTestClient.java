package io.rehoboam.http.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A JDK WebSocket client that collects the server's messages as JSON. With {@code autoRead} off it
 * reads nothing until {@link #read()} is called: a client too slow to keep up.
 */
public final class WsTestClient implements WebSocket.Listener, AutoCloseable {
  public static final Duration WAIT = Duration.ofSeconds(20);

  /** How the server closed the connection. */
  public record Closed(int code, String reason) {}

  private final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
  private final CompletableFuture<Closed> closed = new CompletableFuture<>();
  private final boolean autoRead;
  private final StringBuilder partial = new StringBuilder();
  private final HttpClient http;
  private WebSocket socket;

  private WsTestClient(boolean autoRead, HttpClient http) {
    this.autoRead = autoRead;
    this.http = http;
  }

  public static WsTestClient connect(URI uri) {
    return connect(uri, true);
  }

  public static WsTestClient connect(URI uri, boolean autoRead) {
    return connect(uri, autoRead, Map.of());
  }

  /** Connects with extra headers on the upgrade request (Authorization, Origin). */
  public static WsTestClient connect(URI uri, boolean autoRead, Map<String, String> headers) {
    return connect(HttpClient.newHttpClient(), uri, autoRead, headers);
  }

  /** Connects through {@code http} (for example one that trusts a test certificate). */
  public static WsTestClient connect(
      HttpClient http, URI uri, boolean autoRead, Map<String, String> headers) {
    WsTestClient client = new WsTestClient(autoRead, http);
    WebSocket.Builder builder = client.http.newWebSocketBuilder();
    headers.forEach(builder::header);
    client.socket = builder.buildAsync(uri, client).orTimeout(10, TimeUnit.SECONDS).join();
    return client;
  }

  /** Connects and returns the failure of the handshake (for a refused upgrade). */
  public static Throwable connectFailure(URI uri) {
    return connectFailure(uri, Map.of());
  }

  /** Connects with extra headers and returns the failure of the handshake. */
  public static Throwable connectFailure(URI uri, Map<String, String> headers) {
    WsTestClient client = new WsTestClient(true, HttpClient.newHttpClient());
    WebSocket.Builder builder = client.http.newWebSocketBuilder();
    headers.forEach(builder::header);
    try {
      builder.buildAsync(uri, client).orTimeout(10, TimeUnit.SECONDS).join();
    } catch (java.util.concurrent.CompletionException e) {
      return e.getCause();
    }
    throw new AssertionError("the handshake succeeded");
  }

  @Override
  public void onOpen(WebSocket webSocket) {
    if (autoRead) {
      webSocket.request(1);
    }
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    partial.append(data);
    if (last) {
      try {
        messages.add(TestServer.JSON.readTree(partial.toString()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      partial.setLength(0);
    }
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    closed.complete(new Closed(statusCode, reason));
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    closed.completeExceptionally(error);
  }

  /** Starts reading (for a client made with autoRead off). */
  public void read() {
    socket.request(1);
  }

  public void send(String text) {
    socket.sendText(text, true).orTimeout(10, TimeUnit.SECONDS).join();
  }

  public void sendBinary(byte[] data) {
    socket.sendBinary(java.nio.ByteBuffer.wrap(data), true).orTimeout(10, TimeUnit.SECONDS).join();
  }

  /**
   * The next message other than a heartbeat (those arrive on the server's timer, between anything),
   * failing after {@link #WAIT}.
   */
  public JsonNode next() {
    return await(m -> !"heartbeat".equals(m.path("type").asText()));
  }

  /** Skips messages until one matches; fails after {@link #WAIT}. */
  public JsonNode await(Predicate<JsonNode> match) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    List<String> skipped = new ArrayList<>();
    while (true) {
      long left = deadline - System.nanoTime();
      JsonNode m;
      try {
        m = left <= 0 ? null : messages.poll(left, TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
      if (m == null) {
        throw new AssertionError(
            "no matching message within " + WAIT + "; skipped " + tail(skipped));
      }
      if (match.test(m)) {
        return m;
      }
      skipped.add(m.toString());
    }
  }

  /** The next message of this type. */
  public JsonNode awaitType(String type) {
    return await(m -> type.equals(m.path("type").asText()));
  }

  /** The result message answering the command with this id. */
  public JsonNode awaitResult(String id) {
    return await(m -> "result".equals(m.path("type").asText()) && id.equals(m.path("id").asText()));
  }

  /** Messages that arrived and were not taken yet. */
  public List<JsonNode> drainReceived() {
    List<JsonNode> out = new ArrayList<>();
    messages.drainTo(out);
    return out;
  }

  /** How the server closed the connection; fails after {@link #WAIT}. */
  public Closed awaitClosed() {
    return closed.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
  }

  private static String tail(List<String> skipped) {
    int from = Math.max(0, skipped.size() - 5);
    return skipped.size() + " messages, last: " + skipped.subList(from, skipped.size());
  }

  @Override
  public void close() {
    if (!socket.isOutputClosed()) {
      socket
          .sendClose(WebSocket.NORMAL_CLOSURE, "bye")
          .orTimeout(5, TimeUnit.SECONDS)
          .exceptionally(e -> null)
          .join();
    }
    socket.abort();
  }
}
