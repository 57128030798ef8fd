package io.rehoboam.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.http.internal.Dashboard;
import io.rehoboam.http.testing.TestServer;
import io.rehoboam.http.testing.TestServer.Response;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the adapter does for the web dashboard: the page at {@code /} under a strict
 * Content-Security-Policy, its own origin allowed where foreign origins are refused, the API key
 * carried to the WebSocket as a subprotocol (browsers cannot set Authorization there), and {@code
 * GET /api/arbitrage/whoami}.
 */
class DashboardIT {
  private static final String READER = "reader-key-0123456789abcdef";
  private static final String OPERATOR = "operator-key-0123456789abcdef";

  private TestServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static ServerSettings withKeys() {
    return TestServer.BASE
        .withAllowUnauthenticatedExecute(false)
        .withKeys(
            List.of(
                ApiKey.ofKey("reader", READER, Set.of(Scope.READ)),
                ApiKey.ofKey("operator", OPERATOR, Set.of(Scope.READ, Scope.CONTROL))));
  }

  @Test
  void thePageAndItsFilesAreServedAtTheRootWithAStrictContentSecurityPolicy() {
    server = TestServer.start();

    Response page = server.get("/");

    assertEquals(200, page.status());
    assertTrue(page.raw().headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
    String csp = page.raw().headers().firstValue("Content-Security-Policy").orElseThrow();
    assertEquals(Dashboard.CONTENT_SECURITY_POLICY, csp);
    assertTrue(csp.contains("default-src 'none'"), csp);
    assertFalse(csp.contains("unsafe-inline"), csp);
    assertFalse(csp.contains("unsafe-eval"), csp);
    assertEquals("nosniff", page.raw().headers().firstValue("X-Content-Type-Options").orElse(""));
    assertEquals("DENY", page.raw().headers().firstValue("X-Frame-Options").orElse(""));
    // No inline script or style in the page itself: the policy would block them.
    assertFalse(Pattern.compile("<script(?![^>]*\\bsrc=)").matcher(page.text()).find());
    assertFalse(page.text().contains("<style"));

    Matcher script = Pattern.compile("src=\"\\./(assets/[^\"]+\\.js)\"").matcher(page.text());
    assertTrue(script.find(), page.text());
    Response js = server.get("/" + script.group(1));
    assertEquals(200, js.status());
    assertTrue(js.raw().headers().firstValue("Content-Type").orElse("").contains("javascript"));
    assertEquals(csp, js.raw().headers().firstValue("Content-Security-Policy").orElse(""));

    Response missing = server.get("/assets/nothing-here.js");
    assertEquals(404, missing.status());
    assertEquals("NOT_FOUND", missing.errorCode());
  }

  @Test
  void theServersOwnOriginIsAllowedAndForeignOriginsAreStillRefused() {
    server = TestServer.start();
    String own = "http://127.0.0.1:" + server.http.port();

    Response same = server.post("/api/arbitrage/monitoring/start", "{}", "Origin", own);
    Response foreign =
        server.post("/api/arbitrage/monitoring/start", "{}", "Origin", "http://evil.example");
    // A page on another port of the same host is another origin.
    Response otherPort =
        server.post(
            "/api/arbitrage/monitoring/start",
            "{}",
            "Origin",
            "http://127.0.0.1:" + (server.http.port() + 1));

    assertEquals(200, same.status(), same.text());
    assertTrue(same.raw().headers().firstValue("Access-Control-Allow-Origin").isEmpty());
    assertEquals(403, foreign.status());
    assertEquals("FORBIDDEN", foreign.errorCode());
    assertEquals(403, otherPort.status());

    WebSocket ws =
        connect(URI.create("ws://127.0.0.1:" + server.http.port() + "/ws/arbitrage"), own);
    ws.abort();
    Throwable refused =
        connectFailure(
            URI.create("ws://127.0.0.1:" + server.http.port() + "/ws/arbitrage"),
            "http://evil.example");
    assertInstanceOf(WebSocketHandshakeException.class, refused);
    assertEquals(
        403, ((WebSocketHandshakeException) refused).getResponse().statusCode(), "foreign origin");
  }

  @Test
  void whoamiTellsTheKeyAndItsScopes() {
    server = TestServer.start();
    Response anonymous = server.get("/api/arbitrage/whoami");
    assertEquals(200, anonymous.status());
    assertEquals("anonymous", anonymous.json().get("key_id").asText());
    assertTrue(anonymous.json().get("anonymous").asBoolean());
    assertEquals("[\"read\",\"control\",\"execute\"]", anonymous.json().get("scopes").toString());
    server.close();

    server = TestServer.start(b -> {}, s -> withKeys());
    assertEquals(401, server.get("/api/arbitrage/whoami").status());
    assertEquals(
        401,
        server
            .call("GET", "/api/arbitrage/whoami", null, "Authorization", "Bearer wrong-key")
            .status());
    Response reader =
        server.call("GET", "/api/arbitrage/whoami", null, "Authorization", "Bearer " + READER);
    assertEquals(200, reader.status());
    assertEquals("reader", reader.json().get("key_id").asText());
    assertFalse(reader.json().get("anonymous").asBoolean());
    assertEquals("[\"read\"]", reader.json().get("scopes").toString());
  }

  @Test
  void aBrowserSendsItsKeyToTheWebSocketAsASubprotocol() throws Exception {
    server = TestServer.start(b -> {}, s -> withKeys());
    URI uri = URI.create("ws://127.0.0.1:" + server.http.port() + "/ws/arbitrage");
    String origin = "http://127.0.0.1:" + server.http.port();

    Listener listener = new Listener();
    WebSocket ws =
        HttpClient.newHttpClient()
            .newWebSocketBuilder()
            .header("Origin", origin)
            .subprotocols("rehoboam.v1", bearer(OPERATOR))
            .buildAsync(uri, listener)
            .orTimeout(10, TimeUnit.SECONDS)
            .join();
    // The server answers with the plain protocol, never the one that holds the key.
    assertEquals("rehoboam.v1", ws.getSubprotocol());
    assertTrue(listener.first.get(10, TimeUnit.SECONDS).contains("\"type\":\"hello\""));
    // The connection acts as that key: control is allowed for the operator.
    ws.sendText("{\"type\":\"stop_monitoring\",\"id\":1}", true).join();
    String result = listener.awaitContaining("\"type\":\"result\"");
    assertTrue(result.contains("\"ok\":true"), result);
    ws.abort();

    Listener reader = new Listener();
    WebSocket readOnly =
        HttpClient.newHttpClient()
            .newWebSocketBuilder()
            .subprotocols("rehoboam.v1", bearer(READER))
            .buildAsync(uri, reader)
            .orTimeout(10, TimeUnit.SECONDS)
            .join();
    reader.first.get(10, TimeUnit.SECONDS);
    readOnly.sendText("{\"type\":\"stop_monitoring\",\"id\":2}", true).join();
    String refused = reader.awaitContaining("\"type\":\"result\"");
    assertTrue(refused.contains("\"ok\":false") && refused.contains("FORBIDDEN"), refused);
    readOnly.abort();

    for (String bad : List.of(bearer("not-a-valid-key-at-all"), "rehoboam.bearer.%%%")) {
      CompletableFuture<WebSocket> attempt =
          HttpClient.newHttpClient()
              .newWebSocketBuilder()
              .subprotocols("rehoboam.v1", bad)
              .buildAsync(uri, new Listener());
      CompletionException e =
          org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class, attempt::join);
      assertInstanceOf(WebSocketHandshakeException.class, e.getCause());
      assertEquals(401, ((WebSocketHandshakeException) e.getCause()).getResponse().statusCode());
    }
  }

  private static String bearer(String key) {
    return "rehoboam.bearer."
        + Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(key.getBytes(StandardCharsets.UTF_8));
  }

  private static WebSocket connect(URI uri, String origin) {
    return HttpClient.newHttpClient()
        .newWebSocketBuilder()
        .header("Origin", origin)
        .buildAsync(uri, new Listener())
        .orTimeout(10, TimeUnit.SECONDS)
        .join();
  }

  private static Throwable connectFailure(URI uri, String origin) {
    try {
      connect(uri, origin);
    } catch (CompletionException e) {
      return e.getCause();
    }
    throw new AssertionError("the handshake succeeded");
  }

  /** Collects text messages. */
  private static final class Listener implements WebSocket.Listener {
    final CompletableFuture<String> first = new CompletableFuture<>();
    private final java.util.concurrent.BlockingQueue<String> messages =
        new java.util.concurrent.LinkedBlockingQueue<>();
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String text = partial.toString();
        partial.setLength(0);
        first.complete(text);
        messages.add(text);
      }
      socket.request(1);
      return null;
    }

    String awaitContaining(String part) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (true) {
        String m = messages.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (m == null) {
          throw new AssertionError("no message containing " + part);
        }
        if (m.contains(part)) {
          return m;
        }
      }
    }
  }
}
