package io.rehoboam.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.rehoboam.http.testing.TestServer;
import io.rehoboam.http.testing.WsTestClient;
import io.rehoboam.spi.event.AnalysisEvent;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Analyses published as events of type analysis: REST latest and the WebSocket topic. */
class AnalysesIT {
  private static final AnalysisEvent ANALYSIS =
      new AnalysisEvent(
          0,
          Instant.parse("2026-03-02T10:00:00Z"),
          "analyst",
          "deepseek-chat",
          "volatile",
          "Spreads widened.",
          List.of(new AnalysisEvent.Anomaly("profits doubled", "medium")),
          List.of(
              new AnalysisEvent.SuggestedChange(
                  "trader", "min_profit", new BigDecimal("8.5"), "fewer marginal trades")),
          List.of(new AnalysisEvent.RiskFlag("loss_streak", "high", "three failures", false)),
          420,
          900);

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
        WsTestClient bot = connect("bot:analyst")) {
      server.service.publishSystemEvent("other", "not an analysis");
      server.service.publishAnalysis(ANALYSIS);
      server.service.publishSystemEvent("after", "the analysis");

      JsonNode a = analysis.next();
      assertEquals("analysis", a.path("type").asText(), a.toString());
      assertEquals("analyst", a.path("bot_id").asText());
      assertEquals("deepseek-chat", a.path("model").asText());
      assertEquals("volatile", a.path("market_regime").asText());
      assertEquals("Spreads widened.", a.path("summary").asText());
      assertEquals("profits doubled", a.path("anomalies").path(0).path("description").asText());
      assertEquals("medium", a.path("anomalies").path(0).path("severity").asText());
      JsonNode change = a.path("suggested_changes").path(0);
      assertEquals("trader", change.path("bot_id").asText());
      assertEquals("min_profit", change.path("setting").asText());
      assertTrue(change.path("value").isNumber(), change.toString());
      assertEquals("8.5", change.path("value").asText());
      assertEquals("fewer marginal trades", change.path("reason").asText());
      JsonNode flag = a.path("risk_flags").path(0);
      assertEquals("loss_streak", flag.path("flag").asText());
      assertEquals("high", flag.path("severity").asText());
      assertFalse(flag.path("trip_kill_switch").asBoolean(true));
      assertEquals(420, a.path("tokens_used").asLong());
      assertEquals(900, a.path("tokens_used_today").asLong());
      assertTrue(a.path("seq").asLong() > 0);
      assertEquals("other", system.next().path("kind").asText());
      assertEquals("after", system.next().path("kind").asText(), "no analysis on the system topic");
      assertEquals("analysis", bot.next().path("type").asText(), "the bot's own topic has it");

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
      assertEquals(a.path("seq").asLong(), first.path("seq").asLong());
      assertEquals("analysis", first.path("type").asText());
      assertEquals("analyst", first.path("bot_id").asText());
      assertEquals("volatile", first.path("market_regime").asText());
      assertEquals(900, first.path("tokens_used_today").asLong());
      JsonNode answer = first.path("analysis");
      assertEquals("volatile", answer.path("market_regime").asText(), "the answer as one object");
      assertEquals("Spreads widened.", answer.path("summary").asText());
      assertEquals(a.path("anomalies"), answer.path("anomalies"));
      assertEquals(a.path("suggested_changes"), answer.path("suggested_changes"));
      assertEquals(a.path("risk_flags"), answer.path("risk_flags"));
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
