package io.rehoboam.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.rehoboam.http.testing.FailingBotProvider;
import io.rehoboam.http.testing.FakeSource;
import io.rehoboam.http.testing.TestServer;
import io.rehoboam.http.testing.TestServer.Response;
import io.rehoboam.spi.market.SourceHealth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** GET /health, GET /metrics and GET /openapi.json against a real server. */
class OperationsIT {
  private static final Pattern SAMPLE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{([^}]*)\\})? (\\S+)$");

  private final FakeSource market = new FakeSource("market");
  private TestServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private void start() {
    server =
        TestServer.start(b -> b.marketSource(market).provider(new FailingBotProvider()), s -> s);
  }

  // ---------------------------------------------------------------- health

  @Test
  void healthIsReadyWhenSourcesAreUpAndBotsThatShouldRunRun() {
    start();
    server.runEmitter("scout");

    Response ready = server.get("/health");

    assertEquals(200, ready.status(), ready.text());
    assertEquals("ready", ready.json().get("status").asText());
    assertTrue(ready.json().get("live").asBoolean());
    assertEquals("scout", ready.json().get("bots").get(0).get("bot_id").asText());
    assertEquals("running", ready.json().get("bots").get(0).get("status").asText());
    assertEquals("market", ready.json().get("sources").get(0).get("source_id").asText());
    assertTrue(ready.json().get("sources").get(0).get("up").asBoolean());
    assertEquals(200, server.get("/health/live").status());

    market.health(SourceHealth.down("rpc unreachable"));
    Response sourceDown = server.get("/health");

    assertEquals(503, sourceDown.status());
    assertFalse(sourceDown.json().get("ready").asBoolean());
    assertEquals(
        "source market is down: rpc unreachable",
        sourceDown.json().get("problems").get(0).asText());
    assertEquals(200, server.get("/health/live").status(), "down sources do not end liveness");

    market.health(SourceHealth.up(java.time.Instant.now()));
    server.service.register(FailingBotProvider.never("broken"));
    server.service.start("broken");
    Response botDown = server.get("/health");

    assertEquals(503, botDown.status(), botDown.text());
    assertEquals("bot broken is error", botDown.json().get("problems").get(0).asText());
  }

  @Test
  void aSourceNoBotUsesIsShownButDoesNotMakeTheServerUnready() {
    start();
    market.health(SourceHealth.down("waiting for the first subscriber"));

    Response idle = server.get("/health");

    assertEquals(200, idle.status(), idle.text());
    JsonNode source = idle.json().get("sources").get(0);
    assertEquals("market", source.get("source_id").asText());
    assertFalse(source.get("up").asBoolean());
    assertFalse(source.get("in_use").asBoolean());

    server.runEmitter("scout"); // now a bot uses it
    Response used = server.get("/health");
    assertEquals(503, used.status(), used.text());
    assertTrue(used.json().get("sources").get(0).get("in_use").asBoolean());
  }

  @Test
  void withKeysHealthShowsDetailsOnlyToReaders() {
    String key = "health-reader-key-0123456789";
    server =
        TestServer.start(
            b -> b.marketSource(market),
            s -> s.withKeys(List.of(ApiKey.ofKey("probe", key, Set.of(Scope.READ)))));

    Response anonymous = server.get("/health");
    Response reader = server.call("GET", "/health", null, "Authorization", "Bearer " + key);
    Response wrong = server.call("GET", "/health", null, "Authorization", "Bearer nope-nope-nope");

    assertEquals(200, anonymous.status());
    assertEquals(Set.of("status", "live", "ready"), fieldNames(anonymous.json()));
    assertTrue(reader.json().has("sources"), reader.text());
    assertEquals(401, wrong.status());
  }

  // ---------------------------------------------------------------- metrics

  @Test
  void aFreshServerExposesItsMetricsAndTheCountersMoveAfterActions() {
    start();

    Response fresh = server.get("/metrics");

    assertEquals(200, fresh.status());
    assertTrue(
        fresh.raw().headers().firstValue("Content-Type").orElseThrow().startsWith("text/plain"));
    Map<String, Double> before = parse(fresh.text());
    for (String state : List.of("registered", "running", "stopped", "error")) {
      assertEquals(0.0, value(before, "rehoboam_bots", "state=\"" + state + "\""), state);
    }
    assertEquals(0.0, value(before, "rehoboam_events_dropped_total"));
    assertEquals(0.0, value(before, "rehoboam_profit_realized_usd"));

    server.runEmitter("scout");
    server.publish("scout", "opp-1", 4000, "12.5");
    server.publish("scout", "opp-2", 3000, "9");
    assertEquals(
        200, server.post("/api/arbitrage/execute", "{\"opportunity_id\": \"opp-1\"}").status());
    server.service.risk().trip("test");
    assertEquals(
        422, server.post("/api/arbitrage/execute", "{\"opportunity_id\": \"opp-2\"}").status());
    server.service.register(FailingBotProvider.never("broken"));
    server.service.start("broken");

    awaitTrue(
        () -> server.get("/metrics").text().contains("rehoboam_risk_rejections_total{"),
        () -> server.get("/metrics").text());
    Map<String, Double> after = parse(server.get("/metrics").text());
    assertEquals(1.0, value(after, "rehoboam_bots", "state=\"running\""));
    assertEquals(1.0, value(after, "rehoboam_bots", "state=\"error\""));
    assertEquals(
        2.0, value(after, "rehoboam_opportunities_found_total", "strategy=\"cross_venue\""));
    assertEquals(
        1.0, value(after, "rehoboam_executions_total", "status=\"confirmed\"", "mode=\"paper\""));
    assertEquals(1.0, value(after, "rehoboam_executions_total", "status=\"rejected\""));
    assertEquals(12.5, value(after, "rehoboam_profit_realized_usd"));
    assertEquals(1.0, value(after, "rehoboam_risk_rejections_total", "limit=\"kill_switch\""));
    assertEquals(1.0, value(after, "rehoboam_risk_trips_total", "limit=\"kill_switch\""));
    assertTrue(
        value(
                after,
                "http_server_requests_seconds_count",
                "uri=\"/api/arbitrage/execute\"",
                "status=\"200\"",
                "method=\"POST\"")
            == 1.0,
        "HTTP request latencies are recorded by route");
    assertTrue(value(after, "http_server_requests_seconds_count", "uri=\"/metrics\"") >= 1);
    assertTrue(
        value(after, "http_server_requests_seconds_bucket", "uri=\"/metrics\"", "le=\"+Inf\"") >= 1,
        "as a histogram");
  }

  // ---------------------------------------------------------------- OpenAPI

  @Test
  void theOpenApiDocumentHasEveryRouteAndEveryPathInItIsServed() {
    start();

    Response doc = server.get("/openapi.json");

    assertEquals(200, doc.status());
    assertTrue(doc.json().get("openapi").asText().startsWith("3."));
    Set<String> documented = new TreeSet<>();
    Iterator<Map.Entry<String, JsonNode>> paths = doc.json().get("paths").fields();
    while (paths.hasNext()) {
      Map.Entry<String, JsonNode> path = paths.next();
      path.getValue()
          .fieldNames()
          .forEachRemaining(
              method -> {
                if (!method.equals("parameters")) {
                  documented.add(method.toUpperCase(java.util.Locale.ROOT) + " " + path.getKey());
                }
              });
    }
    Set<String> registered = new TreeSet<>(server.http.routes());

    assertEquals(registered, documented);
    assertTrue(registered.size() >= 16, registered.toString());
    List<String> unserved = new ArrayList<>();
    for (String route : documented) {
      String method = route.substring(0, route.indexOf(' '));
      String path = route.substring(route.indexOf(' ') + 1).replaceAll("\\{[a-z_]+\\}", "nobody");
      Response r = server.call(method, path, method.equals("POST") ? "{}" : null);
      if (r.status() == 405 || (r.status() == 404 && r.errorMessage().startsWith("no endpoint"))) {
        unserved.add(route + " -> " + r.status());
      }
    }
    assertEquals(List.of(), unserved);
  }

  // ---------------------------------------------------------------- helpers

  /** Prometheus text format: each sample by {@code name{labels}}. */
  static Map<String, Double> parse(String text) {
    Map<String, Double> samples = new HashMap<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      Matcher m = SAMPLE.matcher(line.trim());
      assertTrue(m.matches(), "not a Prometheus sample: " + line);
      samples.put(
          m.group(1) + "{" + (m.group(3) == null ? "" : m.group(3)) + "}",
          Double.parseDouble(m.group(4)));
    }
    return samples;
  }

  /**
   * The sum of the samples of {@code name} whose labels contain every one given; fails when there
   * is none.
   */
  static double value(Map<String, Double> samples, String name, String... labels) {
    double sum = 0;
    boolean found = false;
    for (Map.Entry<String, Double> e : samples.entrySet()) {
      String key = e.getKey();
      if (!key.startsWith(name + "{")) {
        continue;
      }
      boolean all = true;
      for (String label : labels) {
        all &= key.contains(label);
      }
      if (all) {
        sum += e.getValue();
        found = true;
      }
    }
    assertTrue(found, "no sample " + name + " " + List.of(labels) + " in " + samples.keySet());
    return sum;
  }

  private static Set<String> fieldNames(JsonNode node) {
    Set<String> names = new TreeSet<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static void awaitTrue(BooleanSupplier condition, Supplier<String> state) {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (!condition.getAsBoolean()) {
      assertTrue(
          System.nanoTime() < deadline, () -> "condition not met within 20 s: " + state.get());
      LockSupport.parkNanos(10_000_000L);
    }
  }
}
