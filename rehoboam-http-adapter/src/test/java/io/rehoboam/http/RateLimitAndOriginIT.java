package io.rehoboam.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.rehoboam.http.ServerSettings.Bucket;
import io.rehoboam.http.ServerSettings.CorsSettings;
import io.rehoboam.http.ServerSettings.RateLimitSettings;
import io.rehoboam.http.testing.TestServer;
import io.rehoboam.http.testing.TestServer.Response;
import io.rehoboam.http.testing.WsTestClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Rate limits per key and per address, browser origins, and the Host check without keys. */
class RateLimitAndOriginIT {
  private static final String API = "/api/arbitrage";
  private static final String KEY_A = "key-a-0123456789abcdef";
  private static final String KEY_B = "key-b-0123456789abcdef";
  private static final String DASHBOARD = "https://dashboard.example.com";

  private TestServer server;

  private void start(UnaryOperator<ServerSettings> settings) {
    server = TestServer.start(b -> {}, s -> settings.apply(TestServer.BASE));
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  /** One token per 1000 s: what the burst allows and nothing more within a test. */
  private static Bucket burstOnly(int burst) {
    return new Bucket(0.001, burst);
  }

  @Test
  void anAddressBeyondItsBurstGets429WithRetryAfter() {
    start(s -> s.withRateLimit(new RateLimitSettings(Bucket.OFF, burstOnly(3))));

    for (int i = 0; i < 3; i++) {
      assertEquals(200, server.get(API + "/bots").status());
    }
    Response limited = server.get(API + "/strategies");

    assertEquals(429, limited.status(), limited.text());
    assertEquals("RATE_LIMITED", limited.errorCode());
    assertEquals(
        "per_address", limited.json().path("error").path("details").path("limit").asText());
    long retryAfter =
        Long.parseLong(limited.raw().headers().firstValue("Retry-After").orElseThrow());
    assertTrue(retryAfter >= 1, "Retry-After " + retryAfter);
    assertEquals(
        retryAfter, limited.json().path("error").path("details").path("retry_after").asLong());
  }

  @Test
  void eachKeyHasItsOwnBucket() {
    start(
        s ->
            s.withRateLimit(new RateLimitSettings(burstOnly(2), Bucket.OFF))
                .withKeys(
                    List.of(
                        ApiKey.ofKey("a", KEY_A, Set.of(Scope.READ, Scope.CONTROL)),
                        ApiKey.ofKey("b", KEY_B, Set.of(Scope.READ)))));

    assertEquals(200, get(KEY_A).status());
    assertEquals(200, get(KEY_A).status());
    Response limited = get(KEY_A);

    assertEquals(429, limited.status(), limited.text());
    assertEquals("per_key", limited.json().path("error").path("details").path("limit").asText());
    assertTrue(limited.errorMessage().contains("API key 'a'"), limited.errorMessage());
    assertTrue(limited.raw().headers().firstValue("Retry-After").isPresent());
    assertEquals(200, get(KEY_B).status(), "another key is not held back");
  }

  @Test
  void webSocketCommandsCountAgainstTheLimitsToo() {
    start(s -> s.withRateLimit(new RateLimitSettings(Bucket.OFF, burstOnly(3))));
    try (WsTestClient ws = WsTestClient.connect(server.http.webSocketUri())) {
      ws.awaitType("hello");
      ws.send("{\"type\": \"ping\", \"id\": \"1\"}");
      ws.awaitType("pong");
      ws.send("{\"type\": \"ping\", \"id\": \"2\"}");
      ws.awaitType("pong");

      ws.send("{\"type\": \"stop_monitoring\", \"id\": \"3\"}");
      JsonNode limited = ws.awaitResult("3");

      assertFalse(limited.get("ok").asBoolean(), limited.toString());
      assertEquals("RATE_LIMITED", limited.path("error").path("code").asText());
    }
  }

  @Test
  void aForeignOriginIsRefusedOnRestAndTheWebSocket() {
    start(s -> s);

    Response foreign =
        server.call("GET", API + "/bots", null, "Origin", "https://evil.example.com");
    Response post =
        server.call("POST", API + "/monitoring/start", "{}", "Origin", "https://evil.example.com");
    Throwable upgrade =
        WsTestClient.connectFailure(
            server.http.webSocketUri(), Map.of("Origin", "https://evil.example.com"));

    assertEquals(403, foreign.status(), foreign.text());
    assertEquals("FORBIDDEN", foreign.errorCode());
    assertTrue(foreign.errorMessage().contains("server.cors.allowed_origins"));
    assertEquals(403, post.status());
    assertFalse(server.service.isMonitoring(), "the refused request did nothing");
    assertEquals(403, SecurityIT.handshakeStatus(upgrade));
    assertEquals(200, server.get(API + "/bots").status(), "no Origin: not a browser, allowed");
  }

  @Test
  void anAllowedOriginGetsCorsHeadersAndItsPreflightAnswered() {
    start(s -> s.withCors(new CorsSettings(List.of(DASHBOARD))));

    Response get = server.call("GET", API + "/bots", null, "Origin", DASHBOARD);
    Response preflight =
        server.call(
            "OPTIONS",
            API + "/bots/x/start",
            null,
            "Origin",
            DASHBOARD,
            "Access-Control-Request-Method",
            "POST",
            "Access-Control-Request-Headers",
            "authorization");

    assertEquals(200, get.status());
    assertEquals(
        DASHBOARD, get.raw().headers().firstValue("Access-Control-Allow-Origin").orElseThrow());
    assertEquals(204, preflight.status(), preflight.text());
    assertTrue(
        preflight
            .raw()
            .headers()
            .firstValue("Access-Control-Allow-Headers")
            .orElseThrow()
            .contains("Authorization"));
    try (WsTestClient ws =
        WsTestClient.connect(server.http.webSocketUri(), true, Map.of("Origin", DASHBOARD))) {
      assertEquals("hello", ws.awaitType("hello").get("type").asText());
    }
  }

  @Test
  void withoutKeysOnlyLoopbackHostNamesAreAnswered() throws IOException {
    start(s -> s);

    String rebound = rawGet("evil.example.com:" + server.http.port());
    String local = rawGet("localhost:" + server.http.port());

    assertTrue(rebound.startsWith("HTTP/1.1 403"), rebound);
    assertTrue(rebound.contains("host 'evil.example.com"), rebound);
    assertTrue(local.startsWith("HTTP/1.1 200"), local);
  }

  /** A GET with a Host header of our choosing (the JDK client will not send one). */
  private String rawGet(String host) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", server.http.port())) {
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET " + API + "/bots HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private Response get(String key) {
    return server.call("GET", API + "/bots", null, "Authorization", "Bearer " + key);
  }
}
