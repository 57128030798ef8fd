package io.rehoboam.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.rehoboam.http.testing.LogCapture;
import io.rehoboam.http.testing.RawHttp;
import io.rehoboam.http.testing.RawHttp.Reply;
import io.rehoboam.http.testing.TcpTable;
import io.rehoboam.http.testing.TestServer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 23, defect 5: Jetty's limits. Slow and broken clients get a JSON answer and lose their
 * connection in bounded time; no HTTP session is ever made; every error page is JSON.
 */
class JettyLimitsIT {
  /** How long a read may wait: far past every limit configured here, far short of the defaults. */
  private static final int READ_TIMEOUT_MS = 20_000;

  private TestServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private void start(UnaryOperator<ServerSettings> settings) {
    server = TestServer.start(b -> {}, settings);
  }

  private RawHttp raw() {
    return new RawHttp(server.http.port(), READ_TIMEOUT_MS);
  }

  private static void assertJsonError(Reply reply, int status) {
    assertEquals(status, reply.status(), reply.toString());
    assertTrue(
        String.valueOf(reply.header("Content-Type")).startsWith("application/json"),
        reply.toString());
    JsonNode error = reply.json().path("error");
    assertFalse(error.path("code").asText().isBlank(), reply.toString());
    assertFalse(error.path("message").asText().isBlank(), reply.toString());
    assertTrue(error.has("details"), reply.toString());
    assertNull(reply.header("Set-Cookie"), "no session: " + reply);
  }

  @Test
  void everyErrorPageIsJsonIncludingJettysOwn() {
    start(s -> s.withMaxBodyBytes(1024));
    try (RawHttp c = raw()) {
      assertJsonError(
          c.send("GET /api/arbitrage/bots HTTP/1.1\r\nHost: localhost\r\nContent-Length: x\r\n\r\n")
              .read(),
          400);
    }
    try (RawHttp c = raw()) {
      assertJsonError(c.send("GET /\u0001bad HTTP/1.1\r\nHost: localhost\r\n\r\n").read(), 400);
    }
    try (RawHttp c = raw()) {
      String uri = "/api/arbitrage/opportunities?token=" + "a".repeat(20_000);
      assertJsonError(c.send("GET " + uri + " HTTP/1.1\r\nHost: localhost\r\n\r\n").read(), 414);
    }
    try (RawHttp c = raw()) {
      assertJsonError(
          c.send(
                  "GET /api/arbitrage/bots HTTP/1.1\r\nHost: localhost\r\nX-Big: "
                      + "b".repeat(20_000)
                      + "\r\n\r\n")
              .read(),
          431);
    }
    try (RawHttp c = raw()) {
      assertJsonError(c.send("GET /nothing HTTP/1.1\r\nHost: localhost\r\n\r\n").read(), 404);
      assertJsonError(
          c.send("PUT /api/arbitrage/bots HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n")
              .read(),
          405);
    }
    try (RawHttp c = raw()) {
      String body = "{\"opportunity_id\": \"" + "x".repeat(2000) + "\"}";
      assertJsonError(
          c.send(
                  "POST /api/arbitrage/execute HTTP/1.1\r\nHost: localhost\r\n"
                      + "Content-Type: application/json\r\nContent-Length: "
                      + body.length()
                      + "\r\n\r\n"
                      + body)
              .read(),
          413);
    }
    try (RawHttp c = raw()) {
      assertJsonError(
          c.send(
                  "POST /api/arbitrage/execute HTTP/1.1\r\nHost: localhost\r\n"
                      + "Content-Type: text/plain\r\nContent-Length: 2\r\n\r\n{}")
              .read(),
          415);
    }
    try (RawHttp c = raw()) {
      // The HTTP/1.1 protocol needs a Host header; Jetty refuses without.
      assertJsonError(c.send("GET /api/arbitrage/bots HTTP/1.1\r\n\r\n").read(), 400);
    }
    server.http.beginShutdown();
    try (RawHttp c = raw()) {
      assertJsonError(
          c.send("GET /api/arbitrage/bots HTTP/1.1\r\nHost: localhost\r\n\r\n").read(), 503);
    }
  }

  @Test
  void aStalledBodyIsAnswered408AndTheConnectionClosed() {
    start(
        s ->
            s.withTimeouts(
                new ServerSettings.TimeoutSettings(
                    Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(60))));
    try (RawHttp c = raw()) {
      Reply reply =
          c.send(
                  "POST /api/arbitrage/execute HTTP/1.1\r\nHost: localhost\r\n"
                      + "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n"
                      + "{\"opportunity_id\":")
              .read();
      assertJsonError(reply, 408);
      assertEquals("REQUEST_TIMEOUT", reply.json().path("error").path("code").asText());
      assertTrue(c.awaitClosedByServer(), "the connection is closed after a 408");
    }
    // The server still answers.
    assertEquals(200, server.get("/api/arbitrage/bots").status());
  }

  @Test
  void aDrippedBodyIsCutOffAtTheBodyTimeout() throws InterruptedException {
    start(
        s ->
            s.withTimeouts(
                new ServerSettings.TimeoutSettings(
                    Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(60))));
    ScheduledExecutorService drip = Executors.newSingleThreadScheduledExecutor();
    try (RawHttp c = raw()) {
      c.send(
          "POST /api/arbitrage/execute HTTP/1.1\r\nHost: localhost\r\n"
              + "Content-Type: application/json\r\nContent-Length: 60000\r\n\r\n");
      drip.scheduleAtFixedRate(() -> safeSend(c, " "), 0, 200, TimeUnit.MILLISECONDS);
      Reply reply = c.read();
      assertJsonError(reply, 408);
    } finally {
      drip.shutdownNow();
      assertTrue(drip.awaitTermination(10, TimeUnit.SECONDS));
    }
  }

  @Test
  void headersDrippedPastTheHeaderTimeoutAreAnswered408AndCutOff() throws InterruptedException {
    start(
        s ->
            s.withTimeouts(
                new ServerSettings.TimeoutSettings(
                    Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(60))));
    ScheduledExecutorService drip = Executors.newSingleThreadScheduledExecutor();
    AtomicInteger sent = new AtomicInteger();
    try (RawHttp c = raw()) {
      c.send("GET /api/arbitrage/bots HTTP/1.1\r\nHost: localhost\r\nX-Drip-0: ");
      // One header byte every 100 ms: never idle, never done.
      drip.scheduleAtFixedRate(
          () -> {
            int n = sent.incrementAndGet();
            safeSend(c, n % 40 == 0 ? "\r\nX-Drip-" + n + ": " : "a");
          },
          0,
          100,
          TimeUnit.MILLISECONDS);
      Reply reply = c.read();
      assertJsonError(reply, 408);
      assertTrue(c.awaitClosedByServer(), "the connection is closed");
    } finally {
      drip.shutdownNow();
      assertTrue(drip.awaitTermination(10, TimeUnit.SECONDS));
    }
  }

  @Test
  void refusedWebSocketUpgradesAnswerJsonAndMakeNoSession() {
    start(s -> s);
    for (String query :
        new String[] {"topics=nope", "resume_from=-1", "topics=" + "x".repeat(300)}) {
      try (RawHttp c = raw()) {
        Reply reply =
            c.send(
                    "GET /ws/arbitrage?"
                        + query
                        + " HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .read();
        assertJsonError(reply, 400);
        assertEquals("INVALID_ARGUMENT", reply.json().path("error").path("code").asText());
      }
    }
    try (RawHttp c = raw()) {
      Reply accepted =
          c.send(
                  "GET /ws/arbitrage HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                      + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
              .read();
      assertEquals(101, accepted.status(), accepted.toString());
      assertNull(accepted.header("Set-Cookie"), accepted.toString());
    }
  }

  @Test
  void aSlowWebSocketClientsSocketIsClosedWithinTheCloseTimeout() throws InterruptedException {
    start(
        s ->
            s.withWebSocket(
                s.webSocket()
                    .withMaxQueue(4)
                    .withCloseTimeout(Duration.ofMillis(500))
                    .withIdleTimeout(Duration.ofSeconds(300))));
    server.runEmitter("chatty");
    try (LogCapture log = new LogCapture();
        RawHttp c = new RawHttp(server.http.port(), READ_TIMEOUT_MS, 4096)) {
      Reply upgraded =
          c.send(
                  "GET /ws/arbitrage?topics=logs HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"
                      + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                      + "Sec-WebSocket-Version: 13\r\n\r\n")
              .read();
      assertEquals(101, upgraded.status());
      // 400 lines of 16 KiB (6.4 MB) to a client that reads nothing: it falls behind and is closed.
      for (int i = 0; i < 20; i++) {
        server.service.sendCommand("chatty", "log", Map.of("count", 20, "size", 16 * 1024));
      }
      assertTrue(log.await("too slow", Duration.ofSeconds(30)), "the server closes it as too slow");
      // It reads nothing, so never its close frame: within the close timeout the server must cut
      // the TCP connection itself, the socket and what was queued for it gone.
      int serverPort = server.http.port();
      int clientPort = c.localPort();
      assertTrue(
          awaitTrue(() -> !TcpTable.hasSocket(serverPort, clientPort), Duration.ofSeconds(20)),
          "the server still holds the slow client's socket: "
              + TcpTable.describe(serverPort, clientPort));
    }
  }

  private static boolean awaitTrue(java.util.function.BooleanSupplier condition, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L);
    }
    return true;
  }

  private static void safeSend(RawHttp c, String text) {
    try {
      c.send(text);
    } catch (RuntimeException e) {
      // the server closed the connection: the test reads that
    }
  }
}
