package io.rehoboam.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.rehoboam.http.internal.Audit;
import io.rehoboam.http.testing.TestServer;
import io.rehoboam.http.testing.TestServer.Response;
import io.rehoboam.http.testing.WsTestClient;
import io.rehoboam.spi.event.Event;
import io.rehoboam.spi.event.SystemEvent;
import java.net.http.WebSocketHandshakeException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** API keys and scopes on REST and the WebSocket, and the audit records they leave. */
class SecurityIT {
  private static final String API = "/api/arbitrage";
  private static final String READER = "reader-key-0123456789abcdef";
  private static final String OPERATOR = "operator-key-0123456789abcdef";
  private static final String TRADER = "trader-key-0123456789abcdef";
  private static final String EXECUTE_ONLY = "execute-only-key-0123456789";

  private TestServer server;
  private final List<Event> events = new CopyOnWriteArrayList<>();

  private void start(ServerSettings settings) {
    server = TestServer.start(b -> {}, s -> settings);
    server.service.subscribe(events::add);
  }

  private static ServerSettings withKeys() {
    return TestServer.BASE
        .withAllowUnauthenticatedExecute(false)
        .withKeys(
            List.of(
                ApiKey.ofKey("reader", READER, Set.of(Scope.READ)),
                ApiKey.ofHash("operator", ApiKey.hash(OPERATOR), Set.of(Scope.READ, Scope.CONTROL)),
                ApiKey.ofKey("trader", TRADER, Set.of(Scope.READ, Scope.EXECUTE)),
                ApiKey.ofKey("executor", EXECUTE_ONLY, Set.of(Scope.EXECUTE))));
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static String[] bearer(String key) {
    return new String[] {"Authorization", "Bearer " + key};
  }

  @Test
  void withKeysEveryApiCallNeedsAValidKey() {
    start(withKeys());

    Response none = server.get(API + "/bots");
    Response wrong = server.call("GET", API + "/bots", null, bearer("not-a-key-at-all-000000"));
    Response basic = server.call("GET", API + "/bots", null, "Authorization", "Basic cmVhZGVy");
    Response metrics = server.get("/metrics");

    for (Response r : List.of(none, wrong, basic, metrics)) {
      assertEquals(401, r.status(), r.text());
      assertEquals("UNAUTHENTICATED", r.errorCode());
      assertEquals(
          "Bearer realm=\"rehoboam\"",
          r.raw().headers().firstValue("WWW-Authenticate").orElseThrow());
    }
    assertEquals(200, server.call("GET", API + "/bots", null, bearer(READER)).status());
    assertEquals(200, server.call("GET", "/metrics", null, bearer(READER)).status());
    assertEquals(200, server.get("/openapi.json").status(), "the document is public");
  }

  @Test
  void eachActionNeedsItsScope() {
    start(withKeys());
    server.runEmitter("scout");
    server.publish("scout", "opp-1", 4000, "12.5");

    Response readerStops = server.call("POST", API + "/bots/scout/stop", null, bearer(READER));
    Response readerExecutes =
        server.call("POST", API + "/execute", "{\"opportunity_id\": \"opp-1\"}", bearer(READER));
    Response operatorExecutes =
        server.call("POST", API + "/execute", "{\"opportunity_id\": \"opp-1\"}", bearer(OPERATOR));
    Response executorReads = server.call("GET", API + "/bots", null, bearer(EXECUTE_ONLY));

    for (Response r : List.of(readerStops, readerExecutes, operatorExecutes, executorReads)) {
      assertEquals(403, r.status(), r.text());
      assertEquals("FORBIDDEN", r.errorCode());
    }
    assertEquals(
        "control", readerStops.json().path("error").path("details").path("scope").asText());
    assertTrue(readerStops.errorMessage().contains("'reader' lacks scope control"));
    assertEquals(0, server.executor.calls());

    Response operatorStops = server.call("POST", API + "/bots/scout/stop", null, bearer(OPERATOR));
    Response traderExecutes =
        server.call("POST", API + "/execute", "{\"opportunity_id\": \"opp-1\"}", bearer(TRADER));

    assertEquals(200, operatorStops.status(), operatorStops.text());
    assertEquals("stopped", operatorStops.json().get("status").asText());
    assertEquals(200, traderExecutes.status(), traderExecutes.text());
    assertEquals(1, server.executor.calls());
  }

  @Test
  void onLoopbackWithoutKeysReadsAndControlWorkButExecuteIsRefusedUnlessAllowed() {
    start(TestServer.BASE.withAllowUnauthenticatedExecute(false));
    server.runEmitter("scout");
    server.publish("scout", "opp-1", 4000, "12.5");

    assertEquals(200, server.get(API + "/bots").status());
    assertEquals(200, server.post(API + "/bots/scout/stop", null).status());
    Response execute = server.post(API + "/execute", "{\"opportunity_id\": \"opp-1\"}");

    assertEquals(403, execute.status(), execute.text());
    assertEquals("FORBIDDEN", execute.errorCode());
    assertTrue(
        execute.errorMessage().contains("server.allow_unauthenticated_execute"),
        execute.errorMessage());
    try (WsTestClient ws = WsTestClient.connect(server.http.webSocketUri())) {
      ws.awaitType("hello");
      ws.send("{\"type\": \"execute\", \"id\": \"x1\", \"opportunity_id\": \"opp-1\"}");
      JsonNode result = ws.awaitResult("x1");
      assertFalse(result.get("ok").asBoolean());
      assertEquals("FORBIDDEN", result.path("error").path("code").asText());
    }
    assertEquals(0, server.executor.calls());
  }

  @Test
  void theWebSocketAuthenticatesAtTheUpgradeAndChecksEachCommandsScope() throws Exception {
    start(withKeys());
    server.runEmitter("scout");
    server.service.stop("scout");

    assertEquals(401, handshakeStatus(WsTestClient.connectFailure(server.http.webSocketUri())));
    assertEquals(401, handshakeStatus(connectFailure(bearer("wrong-key-000000000000000"))));
    assertEquals(403, handshakeStatus(connectFailure(bearer(EXECUTE_ONLY))));

    try (WsTestClient reader = connect(READER);
        WsTestClient operator = connect(OPERATOR)) {
      reader.awaitType("hello");
      operator.awaitType("hello");
      reader.send("{\"type\": \"start_bot\", \"id\": \"r1\", \"bot_id\": \"scout\"}");
      JsonNode refused = reader.awaitResult("r1");
      operator.send("{\"type\": \"start_bot\", \"id\": \"o1\", \"bot_id\": \"scout\"}");
      JsonNode started = operator.awaitResult("o1");

      assertFalse(refused.get("ok").asBoolean(), refused.toString());
      assertEquals("FORBIDDEN", refused.path("error").path("code").asText());
      assertTrue(started.get("ok").asBoolean(), started.toString());
      assertEquals("running", started.path("result").path("status").asText());
      reader.send("{\"type\": \"ping\", \"id\": \"p\"}");
      assertEquals("pong", reader.awaitType("pong").get("type").asText());
    }
  }

  @Test
  void controlAndExecuteActionsLeaveAuditRecordsNamingTheKeyNeverTheKeyItself() {
    start(withKeys());
    server.runEmitter("scout");
    server.publish("scout", "opp-1", 4000, "12.5");

    server.call("POST", API + "/bots/scout/stop", null, bearer(OPERATOR));
    server.call("POST", API + "/bots/scout/start", null, bearer(READER));
    server.call("POST", API + "/execute", "{\"opportunity_id\": \"opp-1\"}", bearer(TRADER));
    server.call("POST", API + "/bots/ghost/start", null, bearer(OPERATOR));
    try (WsTestClient operator = connect(OPERATOR)) {
      operator.awaitType("hello");
      operator.send("{\"type\": \"stop_monitoring\", \"id\": \"m\"}");
      operator.awaitResult("m");
      JsonNode viaWs =
          operator.await(
              m ->
                  "audit".equals(m.path("kind").asText())
                      && m.path("message").asText().contains("\"ws\""));
      assertEquals("system", viaWs.get("type").asText());
    }

    List<JsonNode> records = awaitAudit(5);
    assertEquals(
        List.of(
            "operator stop_bot scout ok 200",
            "reader start_bot scout FORBIDDEN 403",
            "trader execute opp-1 ok 200",
            "operator start_bot ghost NOT_FOUND 404",
            "operator stop_monitoring null ok 200"),
        records.stream()
            .map(
                r ->
                    r.get("key_id").asText()
                        + " "
                        + r.get("action").asText()
                        + " "
                        + r.get("target").asText()
                        + " "
                        + r.get("result").asText()
                        + " "
                        + r.get("status").asInt())
            .toList());
    assertEquals("rest", records.get(0).get("via").asText());
    assertEquals("ws", records.get(4).get("via").asText());
    assertTrue(records.get(0).get("address").asText().contains("127.0.0.1"), records.toString());
    for (Event e : events) {
      String text = e.toString();
      for (String key : List.of(READER, OPERATOR, TRADER, ApiKey.hash(OPERATOR).substring(7))) {
        assertFalse(text.contains(key), "a key or hash leaked into " + text);
      }
    }
  }

  // ---------------------------------------------------------------- helpers

  private List<JsonNode> awaitAudit(int count) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      List<JsonNode> records =
          events.stream()
              .filter(e -> e instanceof SystemEvent s && s.kind().equals(Audit.KIND))
              .map(e -> read(((SystemEvent) e).message()))
              .toList();
      if (records.size() >= count || System.nanoTime() > deadline) {
        return records;
      }
      java.util.concurrent.locks.LockSupport.parkNanos(10_000_000L);
    }
  }

  private static JsonNode read(String json) {
    try {
      return TestServer.JSON.readTree(json);
    } catch (java.io.IOException e) {
      throw new AssertionError(json, e);
    }
  }

  private WsTestClient connect(String key) {
    return WsTestClient.connect(
        server.http.webSocketUri(), true, Map.of("Authorization", "Bearer " + key));
  }

  private Throwable connectFailure(String[] header) {
    return WsTestClient.connectFailure(server.http.webSocketUri(), Map.of(header[0], header[1]));
  }

  static int handshakeStatus(Throwable failure) {
    assertTrue(failure instanceof WebSocketHandshakeException, String.valueOf(failure));
    return ((WebSocketHandshakeException) failure).getResponse().statusCode();
  }
}
