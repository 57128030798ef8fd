package io.rehoboam.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.CompletionException;

/** The REST and WebSocket calls of the client; every failure is a {@link Failure} with a reason. */
final class Api {
  static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .configure(
              com.fasterxml.jackson.databind.cfg.JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES,
              false);

  /** A request that did not succeed: the server's error, or why the server was not reached. */
  static final class Failure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Failure(String message) {
      super(message);
    }
  }

  private final URI base;
  private final String key;
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  Api(String base, String key) {
    try {
      this.base = URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
      if (this.base.getScheme() == null || this.base.getHost() == null) {
        throw new IllegalArgumentException("no scheme or host");
      }
    } catch (IllegalArgumentException e) {
      throw new Failure("--url: not a server URL such as http://127.0.0.1:8000: '" + base + "'");
    }
    this.key = key == null || key.isBlank() ? null : key.trim();
  }

  URI base() {
    return base;
  }

  JsonNode get(String path, Map<String, String> query) {
    return send(request(path + queryString(query)).GET());
  }

  JsonNode get(String path) {
    return get(path, Map.of());
  }

  JsonNode post(String path, JsonNode body) {
    return send(
        request(path)
            .header("Content-Type", "application/json")
            .POST(
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body.toString())));
  }

  static ObjectNode object() {
    return JSON.createObjectNode();
  }

  /** Opens the WebSocket with these topics; events go to {@code listener}. */
  WebSocket webSocket(String topics, WebSocket.Listener listener) {
    String scheme = base.getScheme().equals("https") ? "wss" : "ws";
    URI uri =
        URI.create(
            scheme
                + "://"
                + base.getRawAuthority()
                + "/ws/arbitrage?topics="
                + URLEncoder.encode(topics, StandardCharsets.UTF_8));
    WebSocket.Builder builder = client.newWebSocketBuilder();
    if (key != null) {
      builder.header("Authorization", "Bearer " + key);
    }
    try {
      return builder.buildAsync(uri, listener).join();
    } catch (CompletionException e) {
      throw new Failure("cannot open " + uri + ": " + describe(e.getCause()));
    }
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
    if (key != null) {
      b.header("Authorization", "Bearer " + key);
    }
    return b;
  }

  private JsonNode send(HttpRequest.Builder request) {
    HttpRequest built = request.build();
    HttpResponse<String> response;
    try {
      response = client.send(built, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new Failure("cannot reach " + base + ": " + describe(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Failure("interrupted");
    }
    JsonNode body;
    try {
      body = JSON.readTree(response.body());
    } catch (IOException e) {
      body = null;
    }
    if (response.statusCode() / 100 != 2) {
      JsonNode error = body == null ? null : body.get("error");
      String message =
          error == null
              ? "HTTP " + response.statusCode()
              : error.path("code").asText() + ": " + error.path("message").asText();
      String hint =
          response.statusCode() == 401
              ? " (set REHOBOAM_API_KEY to a key of the server)"
              : response.statusCode() == 403 ? " (the key lacks the scope)" : "";
      throw new Failure(built.method() + " " + built.uri().getPath() + ": " + message + hint);
    }
    if (body == null) {
      throw new Failure(built.uri() + " did not answer JSON");
    }
    return body;
  }

  private static String describe(Throwable e) {
    String m = e == null ? null : e.getMessage();
    return m == null || m.isBlank() ? (e == null ? "unknown" : e.getClass().getSimpleName()) : m;
  }

  static String queryString(Map<String, String> query) {
    StringJoiner j = new StringJoiner("&", "?", "");
    j.setEmptyValue("");
    new LinkedHashMap<>(query)
        .forEach(
            (k, v) -> {
              if (v != null) {
                j.add(k + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8));
              }
            });
    return j.toString();
  }
}
