package io.rehoboam.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.rehoboam.http.testing.TestServer;
import io.rehoboam.http.testing.WsTestClient;
import java.net.URI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Analyses published as system events of kind analysis: REST latest and the WebSocket topic. */
class AnalysesIT {
  private static final String ANALYSIS =
      "{\"bot_id\":\"analyst\",\"at\":\"2026-03-02T10:00:00Z\",\"model\":\"deepseek-chat\","
          + "\"tokens_used_today\":900,\"analysis\":{\"market_regime\":\"volatile\","
          + "\"anomalies\":[],\"suggested_changes\":[],\"risk_flags\":[]}}";

  private TestServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private WsTestClient connect(String topics) {
    WsTestClient c =
        WsTestClient.connect(URI.create(server.http.webSocketUri() + "?topics=" + topics));
    assertEquals("hello", c.next().path("type").asText());
    return c;
  }

  @Test
  void theAnalysisTopicAndTheLatestAnalyses() {
    server = TestServer.start();
    try (WsTestClient analysis = connect("analysis");
        WsTestClient system = connect("system");
        WsTestClient risk = connect("risk")) {
      server.service.publishSystemEvent("other", "not an analysis");
      server.service.publishSystemEvent("analysis", ANALYSIS);
      server.service.tripKillSwitch("after the analysis", "ops");

      JsonNode a = analysis.next();
      assertEquals("system", a.path("type").asText());
      assertEquals("analysis", a.path("kind").asText(), a.toString());
      assertEquals(ANALYSIS, a.path("message").asText());
      assertEquals("other", system.next().path("kind").asText(), "system carries every kind");
      assertEquals("analysis", system.next().path("kind").asText());
      assertEquals("risk", risk.next().path("type").asText(), "no analysis on other topics");

      TestServer.Response latest = null;
      long deadline = System.nanoTime() + 20_000_000_000L;
      while (System.nanoTime() < deadline) {
        latest = server.get("/api/arbitrage/analyses");
        if (latest.json().path("analyses").size() > 0) {
          break;
        }
      }
      assertEquals(200, latest.status());
      JsonNode first = latest.json().path("analyses").path(0);
      assertEquals("analyst", first.path("bot_id").asText());
      assertEquals("volatile", first.path("analysis").path("market_regime").asText());
      assertTrue(first.path("seq").asLong() > 0);
      assertEquals(
          0,
          server.get("/api/arbitrage/analyses?bot_id=someone_else").json().path("analyses").size());
    }
  }

  @Test
  void aBadLimitNamesTheField() {
    server = TestServer.start();
    TestServer.Response r = server.get("/api/arbitrage/analyses?limit=0");
    assertEquals(400, r.status());
    assertEquals("limit", r.json().path("error").path("details").path("field").asText(), r.text());
    assertEquals(400, server.get("/api/arbitrage/analyses?bot_id=" + "x".repeat(65)).status());
  }
}
