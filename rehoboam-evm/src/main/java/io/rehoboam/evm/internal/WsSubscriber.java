package io.rehoboam.evm.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;

/**
 * One WebSocket connection carrying {@code eth_subscribe} streams ({@code newHeads}, {@code logs}),
 * on OkHttp (web3j's WebSocketService keeps a non-daemon pool alive for a minute after close).
 *
 * <p>Callbacks run on OkHttp's reader thread, one at a time; they must not block. Exactly one of
 * {@link Listener#onClosed} is called per connection, whatever ended it.
 */
public final class WsSubscriber {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What the connection reports. */
  public interface Listener {
    /** The connection is open; subscribe now (through {@code socket}). */
    void onOpen(WsSubscriber socket);

    /** A subscription was confirmed: the request's name and the subscription id. */
    void onSubscribed(String name, String subscriptionId);

    /** A notification of a subscription. */
    void onNotification(String subscriptionId, JsonNode result);

    /** The connection ended (failure or close); {@code reason} says why. */
    void onClosed(String reason);
  }

  // Set by the constructor and by onOpen, whichever comes first: OkHttp may open the socket and
  // call onOpen on its own thread before newWebSocket has even returned.
  private volatile WebSocket socket;
  private final Listener listener;
  private final AtomicLong ids = new AtomicLong();
  private final Map<Long, String> pending = new ConcurrentHashMap<>();
  private final AtomicBoolean ended = new AtomicBoolean();

  /** Connects; the listener hears {@code onOpen} or {@code onClosed}. */
  public WsSubscriber(OkHttpClient client, String url, Duration pingInterval, Listener listener) {
    this.listener = listener;
    OkHttpClient ws = client.newBuilder().pingInterval(pingInterval).build();
    WebSocket created =
        ws.newWebSocket(
            new Request.Builder().url(url).build(),
            new WebSocketListener() {
              @Override
              public void onOpen(WebSocket webSocket, Response response) {
                socket = webSocket;
                listener.onOpen(WsSubscriber.this);
              }

              @Override
              public void onMessage(WebSocket webSocket, String text) {
                handle(text);
              }

              @Override
              public void onClosing(WebSocket webSocket, int code, String reason) {
                webSocket.close(1000, null);
                end("closed by the node (" + code + (reason.isEmpty() ? "" : " " + reason) + ")");
              }

              @Override
              public void onClosed(WebSocket webSocket, int code, String reason) {
                end("closed (" + code + ")");
              }

              @Override
              public void onFailure(WebSocket webSocket, Throwable t, Response response) {
                end("connection failed: " + t);
              }
            });
    if (socket == null) {
      socket = created;
    }
  }

  private void end(String reason) {
    if (ended.compareAndSet(false, true)) {
      listener.onClosed(reason);
    }
  }

  /** Sends {@code eth_subscribe} with {@code params}; {@code name} comes back in onSubscribed. */
  public void subscribe(String name, List<Object> params) {
    long id = ids.incrementAndGet();
    pending.put(id, name);
    ObjectNode request = JSON.createObjectNode();
    request.put("jsonrpc", "2.0");
    request.put("id", id);
    request.put("method", "eth_subscribe");
    ArrayNode p = request.putArray("params");
    params.forEach(v -> p.add(JSON.valueToTree(v)));
    if (!socket.send(request.toString())) {
      end("send failed: the connection is closing");
    }
  }

  private void handle(String text) {
    JsonNode msg;
    try {
      msg = JSON.readTree(text);
    } catch (Exception e) {
      return; // not JSON: nothing a subscription can use
    }
    if (msg.has("id") && !msg.get("id").isNull()) {
      String name = pending.remove(msg.get("id").asLong());
      if (name == null) {
        return;
      }
      if (msg.has("error")) {
        end("eth_subscribe " + name + " refused: " + msg.get("error").path("message").asText());
        socket.cancel();
        return;
      }
      listener.onSubscribed(name, msg.path("result").asText());
      return;
    }
    JsonNode params = msg.path("params");
    if ("eth_subscription".equals(msg.path("method").asText()) && params.has("subscription")) {
      listener.onNotification(params.get("subscription").asText(), params.path("result"));
    }
  }

  /** Closes the connection; the listener hears onClosed once (if it has not already). */
  public void close() {
    socket.cancel();
    end("closed by Rehoboam");
  }
}
