package io.rehoboam.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rehoboam.backtest.Backtest;
import io.rehoboam.backtest.jobs.BacktestJobSettings;
import io.rehoboam.backtest.jobs.BacktestJobs;
import io.rehoboam.backtest.report.BacktestReport;
import io.rehoboam.http.testing.Recorded;
import io.rehoboam.http.testing.TestServer;
import io.rehoboam.http.testing.TestServer.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backtests as asynchronous API jobs, against a real server with the JDK's HTTP client: submit,
 * follow the progress, read the JSON and HTML reports (the same report the command line writes),
 * bounded concurrency, and every bad request refused with a 400 naming its field.
 */
class BacktestApiIT {
  private static final String PATH = "/api/arbitrage/backtests";

  @TempDir Path dir;
  private Path recording;
  private BacktestJobs jobs;
  private TestServer server;

  @BeforeEach
  void record() {
    recording = Recorded.simMarket(dir.resolve("sim-market.rrec"), 300);
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    if (jobs != null) {
      jobs.close();
    }
  }

  private void start(BacktestJobSettings settings, Executor runner) {
    jobs = new BacktestJobs(settings, Clock.systemUTC(), runner);
    server = TestServer.start(b -> {}, s -> s, a -> a.backtests(jobs));
  }

  private static String request(Object config, String recording, String latency) {
    ObjectNode body = TestServer.JSON.createObjectNode();
    if (config instanceof String text) {
      body.put("config", text);
    } else if (config instanceof JsonNode node) {
      body.set("config", node);
    }
    if (recording != null) {
      body.put("recording", recording);
    }
    if (latency != null) {
      body.put("latency", latency);
    }
    return body.toString();
  }

  private JsonNode awaitDone(String id) {
    JsonNode[] last = new JsonNode[1];
    List<Double> progress = new ArrayList<>();
    awaitTrue(
        () -> {
          Response r = server.get(PATH + "/" + id);
          assertEquals(200, r.status(), r.text());
          last[0] = r.json();
          progress.add(r.json().get("progress").asDouble());
          return !r.json().get("state").asText().matches("queued|running");
        },
        () -> String.valueOf(last[0]));
    for (int i = 0; i < progress.size(); i++) {
      assertTrue(progress.get(i) >= 0 && progress.get(i) <= 1, "progress " + progress);
      assertTrue(i == 0 || progress.get(i) >= progress.get(i - 1), "never backwards: " + progress);
    }
    return last[0];
  }

  @Test
  void aBacktestRunsInTheBackgroundAndServesTheReportTheCommandLineWrites() throws IOException {
    start(BacktestJobSettings.of(dir), null);

    Response submitted = server.post(PATH, request(Recorded.CONFIG, "sim-market.rrec", "500ms"));

    assertEquals(202, submitted.status(), submitted.text());
    assertEquals("bt-1", submitted.json().get("id").asText());
    assertEquals(PATH + "/bt-1", submitted.raw().headers().firstValue("Location").orElse(""));
    assertTrue(submitted.json().get("state").asText().matches("queued|running|done"));
    assertEquals(500, submitted.json().get("latency_ms").asLong());
    JsonNode done = awaitDone("bt-1");
    assertEquals("done", done.get("state").asText(), done.toString());
    assertEquals(1.0, done.get("progress").asDouble());
    JsonNode report = done.get("report");
    assertEquals(BacktestReport.FORMAT, report.get("format").asText());
    long updates = report.path("replay").path("updates").asLong();
    assertTrue(updates > 1000, "updates " + updates);
    assertEquals(updates, done.get("updates_processed").asLong());
    assertEquals("[]", done.get("notes").toString());
    assertTrue(done.get("error").isNull());
    assertFalse(done.get("finished_at").isNull());

    // The same report, byte for byte, as the command line's backtest of the same inputs.
    Response json = server.get(PATH + "/bt-1/report");
    assertEquals(200, json.status());
    assertTrue(
        json.raw().headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
    String expected =
        BacktestReport.of(Backtest.run(Recorded.config(), recording, Duration.ofMillis(500), null))
            .toJson();
    assertEquals(expected, json.text());
    assertEquals(TestServer.JSON.readTree(expected), report);

    Response html = server.get(PATH + "/bt-1/report.html");
    assertEquals(200, html.status());
    assertTrue(html.raw().headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
    assertTrue(html.text().contains("Cumulative realized PnL"), html.text());
    assertTrue(
        html.raw()
            .headers()
            .firstValue("Content-Security-Policy")
            .orElse("")
            .contains("default-src 'none'"));

    // The configuration as a JSON object: the same report (a backtest is deterministic).
    JsonNode asObject =
        TestServer.JSON.valueToTree(
            new com.fasterxml.jackson.databind.ObjectMapper(
                    new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                .readValue(Recorded.CONFIG, Object.class));
    Response second = server.post(PATH, request(asObject, "sim-market.rrec", "500ms"));
    assertEquals(202, second.status(), second.text());
    assertEquals("done", awaitDone("bt-2").get("state").asText());
    assertEquals(expected, server.get(PATH + "/bt-2/report").text());

    Response list = server.get(PATH);
    assertEquals(200, list.status());
    assertEquals(2, list.json().get("backtests").size());
    assertEquals("[\"sim-market.rrec\"]", list.json().get("recordings").toString());
  }

  @Test
  void aTruncatedRecordingIsReplayedToItsLastWholeRecordAndTheJobSaysSo() throws IOException {
    byte[] bytes = Files.readAllBytes(recording);
    Files.write(dir.resolve("cut.rrec"), Arrays.copyOf(bytes, bytes.length / 2));
    start(BacktestJobSettings.of(dir), null);

    Response submitted = server.post(PATH, request(Recorded.CONFIG, "cut.rrec", null));

    assertEquals(202, submitted.status(), submitted.text());
    JsonNode done = awaitDone(submitted.json().get("id").asText());
    assertEquals("done", done.get("state").asText(), done.toString());
    String notes = done.get("notes").toString();
    assertTrue(notes.contains("cut.rrec is truncated"), notes);
    assertTrue(notes.contains("replayed up to its last whole record"), notes);
    assertFalse(notes.contains(dir.toString()), "no server path: " + notes);
  }

  @Test
  void badRequestsAreRefusedNamingTheField() throws IOException {
    Files.write(
        dir.resolve("v2.rrec"),
        new byte[] {'R', 'H', 'B', 'R', 'E', 'C', 0, 2, 1, 2, 3, 4, 5, 6, 7, 8});
    Files.writeString(dir.resolve("pools.csv"), "pool_id,dex,token0\n", StandardCharsets.UTF_8);
    start(BacktestJobSettings.of(dir), null);
    String other = Recorded.CONFIG.replace("market:", "chain:");

    assertRefused(request(Recorded.CONFIG, null, null), "recording", "is required");
    assertRefused(request(Recorded.CONFIG, "../sim-market.rrec", null), "recording", "file name");
    assertRefused(request(Recorded.CONFIG, "/etc/passwd", null), "recording", "file name");
    assertRefused(
        request(Recorded.CONFIG, "missing.rrec", null),
        "recording",
        "no recording 'missing.rrec' in the recordings directory (it has: pools.csv,"
            + " sim-market.rrec, v2.rrec)");
    assertRefused(
        request(Recorded.CONFIG, "v2.rrec", null),
        "recording",
        "v2.rrec is a recording of format version 2; this build reads version 1");
    assertRefused(
        request(Recorded.CONFIG, "pools.csv", null), "recording", "is not a Rehoboam recording");
    assertRefused(request(null, "sim-market.rrec", null), "config", "is required");
    assertRefused(request("bots: [", "sim-market.rrec", null), "config", "");
    assertRefused(
        "{\"config\": 5, \"recording\": \"sim-market.rrec\"}", "config", "an object or as YAML");
    assertRefused(
        request(other, "sim-market.rrec", null),
        "config.sources.chain",
        "the recording sim-market.rrec has no source 'chain' (it has: market)");
    assertRefused(request(Recorded.CONFIG, "sim-market.rrec", "soon"), "latency", "duration");
    assertRefused(
        "{\"config\": \"x\", \"recording\": \"sim-market.rrec\", \"speed\": 2}", "speed", "");

    Response unknown = server.get(PATH + "/bt-99");
    assertEquals(404, unknown.status());
    assertEquals("NOT_FOUND", unknown.errorCode());
    assertEquals(404, server.get(PATH + "/bt-99/report").status());
    assertEquals(404, server.get(PATH + "/bt-99/report.html").status());
    assertEquals("[]", server.get(PATH).json().get("backtests").toString(), "nothing queued");
  }

  private void assertRefused(String body, String field, String message) {
    Response r = server.post(PATH, body);
    assertEquals(400, r.status(), body + " -> " + r.text());
    assertEquals(field, r.json().path("error").path("details").path("field").asText(), r.text());
    assertTrue(r.errorMessage().contains(message), r.text());
    assertFalse(r.text().contains(dir.toString()), "no server path: " + r.text());
  }

  @Test
  void concurrencyIsBoundedAndAReportIsThereOnlyWhenItsBacktestIsDone() {
    List<Runnable> held = new ArrayList<>();
    start(new BacktestJobSettings(dir, 1, 1, 10), held::add);
    String body = request(Recorded.CONFIG, "sim-market.rrec", null);

    assertEquals(202, server.post(PATH, body).status());
    assertEquals(202, server.post(PATH, body).status());
    Response third = server.post(PATH, body);

    assertEquals(409, third.status(), third.text());
    assertTrue(third.errorMessage().contains("max_queued"), third.text());
    Response early = server.get(PATH + "/bt-1/report");
    assertEquals(409, early.status(), early.text());
    assertTrue(early.errorMessage().contains("bt-1 is queued"), early.text());
    assertEquals("queued", server.get(PATH + "/bt-2").json().get("state").asText());

    held.remove(0).run();

    assertEquals("done", server.get(PATH + "/bt-1").json().get("state").asText());
    assertEquals(200, server.get(PATH + "/bt-1/report").status());
    assertEquals(202, server.post(PATH, body).status(), "a place is free again");
  }

  @Test
  void aServerWithoutBacktestsSaysHowToHaveThem() {
    server = TestServer.start();

    Response r = server.post(PATH, request(Recorded.CONFIG, "sim-market.rrec", null));

    assertEquals(404, r.status());
    assertTrue(r.errorMessage().contains("server.backtests.recordings_dir"), r.text());
    assertEquals(404, server.get(PATH + "/bt-1").status());
  }

  private static void awaitTrue(
      BooleanSupplier condition, java.util.function.Supplier<String> state) {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (!condition.getAsBoolean()) {
      assertTrue(
          System.nanoTime() < deadline, () -> "condition not met within 60 s: " + state.get());
      LockSupport.parkNanos(20_000_000L);
    }
  }
}
