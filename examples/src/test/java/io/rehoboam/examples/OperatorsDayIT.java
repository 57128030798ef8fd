package io.rehoboam.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The README's "operator's day", line by line, with the CLI and curl, against the default server
 * started from the packaged jar; then the issue's black-box checks: the paper trades are listed
 * with exact amounts, the PnL sums to the bots' total_profit, and a tripped kill switch stops every
 * execution and stays tripped across a restart.
 */
class OperatorsDayIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MARKER = "<!-- operators-day:";

  private final List<Process> processes = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void stopEverything() {
    for (Process p : processes) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
  }

  @Test
  void theOperatorsDayRunsAsWrittenAndTheKillSwitchHoldsAcrossARestart() throws Exception {
    Path root = repositoryRoot();
    Path data = Files.createTempDirectory("rehoboam-day");
    int port = freePort();
    URI base = startServer(root, data, port);
    awaitTrades(base, 3);

    String script = readmeScript(root);
    List<String> lines = script.lines().toList();
    String function = lines.get(0);
    assertTrue(function.startsWith("rehoboam()"), function);
    for (String line : lines.subList(1, lines.size())) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      Result r =
          bash(root, port, function + "\n" + line.replace("localhost:8000", "127.0.0.1:" + port));
      assertEquals(0, r.code(), line + "\n" + r.out() + r.err());
      assertFalse(r.out().isBlank(), line + " printed nothing");
    }

    // status keeps the layer-2 bot to one short row: its per-chain inventory is summarized (it is
    // in full in --json status and the bot's inventory command).
    Result status = bash(root, port, function + "\nrehoboam status");
    assertEquals(0, status.code(), status.err());
    String layer2 =
        status
            .out()
            .lines()
            .filter(l -> l.startsWith("layer2_arbitrage"))
            .findFirst()
            .orElseThrow();
    assertTrue(layer2.contains("inventory {…}; live opportunities"), layer2);
    assertTrue(layer2.length() <= 200, "a short row: " + layer2);
    assertTrue(
        status.out().contains("INFO shortened; in full: rehoboam --json status layer2_arbitrage"),
        status.out());
    Result full = bash(root, port, function + "\nrehoboam --json status layer2_arbitrage");
    assertTrue(full.out().contains("USDC="), "the full inventory in --json: " + full.out());

    // The paper trades are listed with exact amounts.
    JsonNode executions = get(base, "/api/arbitrage/executions?limit=1000").get("executions");
    assertTrue(executions.size() >= 3, executions.toString());
    for (JsonNode e : executions) {
      assertTrue(e.get("amount_in").asText().matches("[0-9]+"), e.toString());
    }
    // The PnL sums to the bots' total_profit.
    BigDecimal profits = BigDecimal.ZERO;
    for (JsonNode b : get(base, "/api/arbitrage/bots").get("bots")) {
      profits = profits.add(new BigDecimal(b.get("total_profit").asText()));
    }
    JsonNode pnl = get(base, "/api/arbitrage/pnl");
    BigDecimal fromBots = BigDecimal.ZERO;
    for (var it = pnl.get("by_bot").fields(); it.hasNext(); ) {
      var e = it.next();
      if (!e.getKey().equals("api")) {
        fromBots = fromBots.add(new BigDecimal(e.getValue().get("realized_profit_usd").asText()));
      }
    }
    assertEquals(0, profits.compareTo(fromBots), pnl.toString());

    // Tripped over REST: nothing executes, and a restart keeps it tripped.
    post(base, "/api/arbitrage/risk/kill-switch/trip", "{\"reason\": \"end of day\"}");
    int before = count(base);
    stopServer();
    URI again = startServer(root, data, freePort());
    JsonNode risk = get(again, "/api/arbitrage/risk");
    assertTrue(risk.get("kill_switch").get("tripped").asBoolean(), risk.toString());
    assertEquals("end of day", risk.get("kill_switch").get("reason").asText());
    assertEquals(before, count(again), "the history survived the restart, with nothing new");
    JsonNode bots = get(again, "/api/arbitrage/bots");
    assertEquals(3, bots.get("bots").size());
  }

  // ---------------------------------------------------------------- helpers

  private record Result(int code, String out, String err) {}

  private Result bash(Path root, int port, String script) throws Exception {
    ProcessBuilder pb = new ProcessBuilder("bash", "-c", script).directory(root.toFile());
    pb.environment().put("REHOBOAM_URL", "http://127.0.0.1:" + port);
    Process p = pb.start();
    processes.add(p);
    p.getOutputStream().close();
    var out = p.getInputStream().readAllBytes();
    var err = p.getErrorStream().readAllBytes();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), script);
    return new Result(
        p.exitValue(),
        new String(out, StandardCharsets.UTF_8),
        new String(err, StandardCharsets.UTF_8));
  }

  private Process server;

  private URI startServer(Path root, Path data, int port) throws Exception {
    Path log = Files.createTempFile("rehoboam-day", ".log");
    server =
        new ProcessBuilder(
                "java",
                "-jar",
                "examples/target/rehoboam-server.jar",
                "--port",
                Integer.toString(port),
                "--data-dir",
                data.toString())
            .directory(root.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    processes.add(server);
    server.getOutputStream().close();
    URI base = URI.create("http://127.0.0.1:" + port);
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (System.nanoTime() < deadline) {
      if (Files.readString(log).contains("Rehoboam server listening on")) {
        return base;
      }
      assertTrue(server.isAlive(), Files.readString(log));
      server.waitFor(100, TimeUnit.MILLISECONDS); // waits on the process, not a bare sleep
    }
    throw new AssertionError("the server did not start: " + Files.readString(log));
  }

  private void stopServer() throws Exception {
    server.destroy(); // SIGTERM: a graceful stop
    assertTrue(server.waitFor(60, TimeUnit.SECONDS), "the server did not stop");
    assertEquals(0, server.exitValue());
  }

  /** Waits (bounded) until the history holds {@code n} trades. */
  private void awaitTrades(URI base, int n) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (count(base) < n) {
      assertTrue(System.nanoTime() < deadline, "fewer than " + n + " trades in two minutes");
      server.waitFor(200, TimeUnit.MILLISECONDS);
    }
  }

  private int count(URI base) throws Exception {
    return get(base, "/api/arbitrage/executions?limit=1000").get("count").asInt();
  }

  private JsonNode get(URI base, String path) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(base.resolve(path)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), path + ": " + r.body());
    return JSON.readTree(r.body());
  }

  private void post(URI base, String path, String body) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), path + ": " + r.body());
  }

  /** The bash block after the operators-day marker in the README. */
  static String readmeScript(Path root) throws IOException {
    String readme = Files.readString(root.resolve("README.md"));
    int marker = readme.indexOf(MARKER);
    assertTrue(marker >= 0, "the README marks the operator's day");
    int start = readme.indexOf("```bash\n", marker) + "```bash\n".length();
    int end = readme.indexOf("```", start);
    return readme.substring(start, end);
  }

  static Path repositoryRoot() {
    Path root = Path.of("").toAbsolutePath().getParent();
    assertTrue(Files.exists(root.resolve("README.md")), "README.md in " + root);
    return root;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
