package io.rehoboam.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.rehoboam.http.testing.LogCapture;
import io.rehoboam.http.testing.TestServer;
import io.rehoboam.http.testing.TestServer.Response;
import io.rehoboam.http.testing.WsTestClient;
import io.rehoboam.spi.Bot;
import io.rehoboam.spi.BotContext;
import io.rehoboam.spi.BotProvider;
import io.rehoboam.spi.BotSpec;
import io.rehoboam.spi.event.BotState;
import io.rehoboam.spi.event.OpportunityExpiredEvent;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Issue 23, defect 6: input the API must refuse, and the answers it must give. */
class StrictJsonIT {
  private static final String API = "/api/arbitrage";

  private TestServer server;

  @BeforeEach
  void start() {
    server = TestServer.start(b -> b.provider(new BrokenProvider()), s -> s);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void duplicateKeysAreRefusedNamingTheKey() {
    server.runEmitter("scout");
    server.publish("scout", "opp-1", 4000, "12.5");

    Response r =
        server.post(
            API + "/execute",
            "{\"opportunity_id\": \"opp-1\", \"dry_run\": true, \"dry_run\": false}");

    assertEquals(400, r.status(), r.text());
    assertEquals("INVALID_ARGUMENT", r.errorCode());
    assertEquals("dry_run", r.json().path("error").path("details").path("field").asText());
    assertEquals(0, server.executor.calls(), "nothing executed");
    assertEquals(0, server.executor.dryRuns(), "nothing executed");

    Response nested =
        server.post(
            API + "/bots",
            "{\"id\": \"b\", \"type\": \"emitter\", \"settings\": {\"x\": 1, \"x\": 2}}");
    assertEquals(400, nested.status(), nested.text());
    assertEquals("settings.x", nested.json().path("error").path("details").path("field").asText());

    try (WsTestClient ws = WsTestClient.connect(server.http.webSocketUri())) {
      ws.awaitType("hello");
      ws.send(
          "{\"type\": \"execute\", \"id\": \"d\", \"opportunity_id\": \"opp-1\","
              + " \"dry_run\": true, \"dry_run\": false}");
      JsonNode error = ws.await(m -> "error".equals(m.path("type").asText()));
      assertEquals("INVALID_ARGUMENT", error.path("error").path("code").asText(), error.toString());
    }
    assertEquals(0, server.executor.calls(), "nothing executed over the WebSocket either");
  }

  @Test
  void routesThatTakeNoBodyRefuseOne() {
    server.runEmitter("scout");
    server.service.startMonitoring();
    for (String body : List.of("garbage", "{\"force\": true}", "[]", "\"x\"", "{")) {
      for (String path :
          List.of(API + "/bots/scout/stop", API + "/monitoring/stop", API + "/monitoring/start")) {
        Response r = server.post(path, body);
        assertEquals(400, r.status(), path + " " + body + ": " + r.text());
        assertEquals("INVALID_ARGUMENT", r.errorCode(), r.text());
      }
    }
    assertEquals(BotState.RUNNING, server.service.bot("scout").status(), "the bot was not stopped");
    assertTrue(server.service.isMonitoring(), "monitoring was not stopped");

    assertEquals(200, server.post(API + "/monitoring/stop", "{}").status());
    assertFalse(server.service.isMonitoring());
    assertEquals(200, server.post(API + "/monitoring/start", null).status());
    assertEquals(200, server.post(API + "/bots/scout/stop", " ").status());

    Response getWithBody =
        server.send(
            HttpRequest.newBuilder(server.uri(API + "/bots"))
                .method("GET", HttpRequest.BodyPublishers.ofString("{\"x\": 1}")));
    assertEquals(400, getWithBody.status(), getWithBody.text());
    assertEquals("body", getWithBody.json().path("error").path("details").path("field").asText());
    Response deleteWithBody =
        server.send(
            HttpRequest.newBuilder(server.uri(API + "/bots/scout"))
                .method("DELETE", HttpRequest.BodyPublishers.ofString("{\"x\": 1}")));
    assertEquals(400, deleteWithBody.status(), deleteWithBody.text());
    assertNotNull(server.service.bot("scout"), "the bot was not unregistered");
  }

  @Test
  void aBodyThatIsNotJsonIs415() {
    server.runEmitter("scout");
    server.publish("scout", "opp-1", 4000, "12.5");
    for (String type :
        List.of("text/plain", "application/x-www-form-urlencoded", "multipart/form-data")) {
      Response r =
          server.send(
              HttpRequest.newBuilder(server.uri(API + "/execute"))
                  .header("Content-Type", type)
                  .POST(HttpRequest.BodyPublishers.ofString("{\"opportunity_id\": \"opp-1\"}")));
      assertEquals(415, r.status(), type + ": " + r.text());
      assertEquals("UNSUPPORTED_MEDIA_TYPE", r.errorCode(), r.text());
      assertEquals("content-type", r.json().path("error").path("details").path("field").asText());
    }
    Response none =
        server.send(
            HttpRequest.newBuilder(server.uri(API + "/execute"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"opportunity_id\": \"opp-1\"}")));
    assertEquals(415, none.status(), none.text());
    assertEquals(0, server.executor.calls(), "nothing executed");

    Response json =
        server.send(
            HttpRequest.newBuilder(server.uri(API + "/execute"))
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"opportunity_id\": \"opp-1\", \"dry_run\": true}")));
    assertEquals(200, json.status(), json.text());
  }

  @Test
  void hugeAndUnreadableNumbersAre400NotA500() {
    for (String number :
        List.of("1e10000", "-1e10000", "1e-10000", "1E+999999999", "1" + "0".repeat(150))) {
      Response register =
          server.post(
              API + "/bots",
              "{\"id\": \"n\", \"type\": \"emitter\", \"settings\": {\"min_profit\": "
                  + number
                  + "}}");
      assertEquals(400, register.status(), number + ": " + register.text());
      assertEquals("INVALID_ARGUMENT", register.errorCode(), register.text());
      assertTrue(
          register
              .json()
              .path("error")
              .path("details")
              .path("field")
              .asText()
              .startsWith("settings"),
          register.text());
    }
    server.runEmitter("scout");
    Response start =
        server.post(API + "/bots/scout/start", "{\"settings\": {\"min_profit\": 1e10000}}");
    assertEquals(400, start.status(), start.text());
    assertEquals(
        "settings.min_profit", start.json().path("error").path("details").path("field").asText());
    Response amount =
        server.post(API + "/execute", "{\"opportunity_id\": \"x\", \"amount\": 1e10000}");
    assertEquals(400, amount.status(), amount.text());
  }

  @Test
  void every500IsLoggedOnceUnderTheReferenceItsResponseCarries() {
    Response r;
    String log;
    try (LogCapture capture = new LogCapture()) {
      r =
          server.post(
              API + "/bots", "{\"id\": \"broken\", \"type\": \"" + BrokenProvider.TYPE + "\"}");
      log = capture.text();
    }
    assertEquals(500, r.status(), r.text());
    assertEquals("INTERNAL", r.errorCode());
    String reference = r.json().path("error").path("details").path("reference").asText();
    assertFalse(reference.isBlank(), r.text());
    assertTrue(r.errorMessage().contains(reference), r.text());
    assertFalse(r.text().contains("IllegalStateException"), "no internals reach the client");
    long failureLines = log.lines().filter(l -> l.contains("Request failed (reference")).count();
    assertEquals(1, failureLines, log);
    assertEquals(
        1, log.lines().filter(l -> l.contains(reference)).count(), "one line names it: " + log);
  }

  @Test
  void anOpportunityThatExpiredIs410ForItsTtlThen404() throws InterruptedException {
    server.runEmitter("scout");
    CountDownLatch expired = new CountDownLatch(2);
    server.service.subscribe(
        e -> {
          if (e instanceof OpportunityExpiredEvent) {
            expired.countDown();
          }
        });
    // One purged by the service after its expires_at, one expired by its bot.
    server.service.sendCommand(
        "scout", "opportunity", Map.of("id", "short", "net_profit", 10, "ttl_seconds", 1));
    server.publish("scout", "withdrawn", 4000, "12.5");
    server.service.sendCommand("scout", "expire", Map.of("id", "withdrawn"));
    assertTrue(expired.await(20, TimeUnit.SECONDS), "both expired");

    for (String id : List.of("short", "withdrawn")) {
      Response r = server.post(API + "/execute", "{\"opportunity_id\": \"" + id + "\"}");
      assertEquals(410, r.status(), id + ": " + r.text());
      assertEquals("EXPIRED", r.errorCode());
    }
    Response unknown = server.post(API + "/execute", "{\"opportunity_id\": \"never\"}");
    assertEquals(404, unknown.status(), unknown.text());

    // Past twice its TTL (withdrawn lived 600 s) it is forgotten.
    server.clock.putHttpThreadsAhead(Duration.ofSeconds(1_300));
    for (String id : List.of("short", "withdrawn")) {
      Response r = server.post(API + "/execute", "{\"opportunity_id\": \"" + id + "\"}");
      assertEquals(404, r.status(), id + ": " + r.text());
    }
    assertEquals(0, server.executor.calls());
  }

  @Test
  void anOpportunityThatExpiredAfterItWasTradedIsAlreadyExecuted() throws InterruptedException {
    server.runEmitter("scout");
    CountDownLatch expired = new CountDownLatch(1);
    server.service.subscribe(
        e -> {
          if (e instanceof OpportunityExpiredEvent) {
            expired.countDown();
          }
        });
    server.publish("scout", "traded", 4000, "12.5");
    Response first = server.post(API + "/execute", "{\"opportunity_id\": \"traded\"}");
    assertEquals(200, first.status(), first.text());
    server.service.sendCommand("scout", "expire", Map.of("id", "traded"));
    assertTrue(expired.await(20, TimeUnit.SECONDS));

    Response again = server.post(API + "/execute", "{\"opportunity_id\": \"traded\"}");
    assertEquals(409, again.status(), again.text());
    assertEquals("ALREADY_EXECUTED", again.errorCode());
    Response dryRun =
        server.post(API + "/execute", "{\"opportunity_id\": \"traded\", \"dry_run\": true}");
    assertEquals(410, dryRun.status(), dryRun.text());
    assertEquals(1, server.executor.calls());
  }

  /** Bot type {@code broken}: its provider fails with a programming error when asked anything. */
  static final class BrokenProvider implements BotProvider {
    static final String TYPE = "broken";

    @Override
    public String type() {
      return TYPE;
    }

    @Override
    public int spiVersion() {
      return io.rehoboam.spi.Spi.VERSION;
    }

    @Override
    public io.rehoboam.spi.SettingsSchema settingsSchema() {
      throw new IllegalStateException("a provider bug");
    }

    @Override
    public Bot create(BotSpec spec, BotContext context) {
      throw new IllegalStateException("a provider bug");
    }
  }
}
