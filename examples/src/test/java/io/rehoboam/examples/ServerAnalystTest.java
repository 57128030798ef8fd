package io.rehoboam.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The standalone server runs an ai_analyst bot against a local chat-completions stand-in: the
 * analysis is served at /api/arbitrage/analyses and notified to a Telegram stand-in.
 */
class ServerAnalystTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String KEY = "sk-server-test-key-0001";
  private static final String ANSWER =
      "{\"market_regime\":\"calm\",\"anomalies\":[],\"suggested_changes\":[],"
          + "\"risk_flags\":[{\"flag\":\"thin_liquidity\",\"severity\":\"low\","
          + "\"reason\":\"few pools\"}]}";

  @TempDir Path dir;

  @Test
  void anAnalysisIsServedAndNotified() throws Exception {
    List<String> authorizations = new CopyOnWriteArrayList<>();
    List<String> completionBodies = new CopyOnWriteArrayList<>();
    List<String> messages = new CopyOnWriteArrayList<>();
    CountDownLatch notified = new CountDownLatch(1);
    HttpServer outside =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    outside.createContext(
        "/",
        x -> {
          String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          String answer;
          if (x.getRequestURI().getPath().equals("/chat/completions")) {
            authorizations.add(x.getRequestHeaders().getFirst("Authorization"));
            completionBodies.add(body);
            var root = JSON.createObjectNode();
            root.putArray("choices")
                .addObject()
                .putObject("message")
                .put("role", "assistant")
                .put("content", ANSWER);
            root.putObject("usage").put("total_tokens", 321);
            answer = root.toString();
          } else {
            messages.add(body);
            answer = "{\"ok\":true,\"result\":{}}";
          }
          byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
          x.getResponseHeaders().add("Content-Type", "application/json");
          x.sendResponseHeaders(200, bytes.length);
          x.getResponseBody().write(bytes);
          x.close();
          if (!x.getRequestURI().getPath().equals("/chat/completions")) {
            notified.countDown();
          }
        });
    outside.start();
    String base = "http://127.0.0.1:" + outside.getAddress().getPort();
    Path config = dir.resolve("analyst.yaml");
    Files.writeString(
        config,
        """
        sources:
          sim: {type: sim, pools: 100}
        bots:
          - id: analyst
            type: ai_analyst
            autostart: true
            settings: {base_url: "%s", interval: 1h}
        server:
          notifications:
            sinks:
              - {id: ops, type: telegram, api_url: "%s", token_env: TG_TOKEN,
                 chat_id_env: TG_CHAT, events: [analysis], batch_window: 0s}
        """
            .formatted(base, base));
    StandaloneServer server =
        StandaloneServer.start(
            StandaloneServer.Options.parse(
                new String[] {
                  "--config", config.toString(), "--port", "0", "--data-dir", dir.toString()
                }),
            Map.of("DEEPSEEK_API_KEY", KEY, "TG_TOKEN", "77:tg-secret", "TG_CHAT", "12"));
    try {
      assertTrue(notified.await(30, TimeUnit.SECONDS), "the analysis was notified");
      assertEquals(List.of("Bearer " + KEY), authorizations);
      assertFalse(completionBodies.get(0).contains(KEY));
      String text = JSON.readTree(messages.get(0)).path("text").asText();
      assertTrue(
          text.contains("analysis: bot analyst: market regime calm, 0 anomalies, 1 risk flags"),
          text);

      HttpClient client = HttpClient.newHttpClient();
      HttpResponse<String> r =
          client.send(
              HttpRequest.newBuilder(server.http().uri().resolve("/api/arbitrage/analyses"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode());
      JsonNode first = JSON.readTree(r.body()).path("analyses").path(0);
      assertEquals("analyst", first.path("bot_id").asText(), r.body());
      assertEquals("calm", first.path("analysis").path("market_regime").asText());
      assertEquals(321, first.path("tokens_used_today").asLong());
      JsonNode summary =
          JSON.readTree(
              JSON.readTree(completionBodies.get(0))
                  .path("messages")
                  .path(1)
                  .path("content")
                  .asText());
      assertEquals("sim", summary.path("market").path("sources").path(0).path("id").asText());
      assertTrue(summary.has("pnl_24h") && summary.has("risk"), "the bound service's figures");
    } finally {
      server.stop();
      outside.stop(0);
    }
  }
}
