package io.rehoboam.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real server whose data directory is on a small filesystem the test fills and frees: executions
 * are refused while the journal cannot write, {@code /health} is red naming the journal, an alert
 * is raised, and once there is room again the server takes writes and executions by itself, without
 * a restart.
 */
class FullDiskIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private SmallDisk disk;
  private ServerProcess server;
  private HttpServer hooks;
  private final BlockingQueue<JsonNode> alerts = new LinkedBlockingQueue<>();

  @AfterEach
  void cleanUp() throws Exception {
    if (server != null) {
      server.stop();
    }
    if (hooks != null) {
      hooks.stop(0);
    }
    if (disk != null) {
      disk.close();
    }
  }

  @Test
  void aFullDiskTurnsHealthRedAndAlertsAndTheServerResumesOnceThereIsRoom() throws Exception {
    hooks = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    hooks.createContext(
        "/alerts",
        exchange -> {
          alerts.add(JSON.readTree(exchange.getRequestBody().readAllBytes()));
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    hooks.start();
    disk = SmallDisk.create(dir.resolve("disk"));
    Path data = disk.root().resolve("data");
    Path config = dir.resolve("server.yaml");
    java.nio.file.Files.writeString(
        config,
        """
        sources:
          sim: {type: sim, seed: 7, pools: 400, update_interval: 50ms, dislocation_probability: 0.5}
        executors:
          paper: {type: paper}
        risk:
          max_trades_per_minute: 100000
          min_net_profit: 0
          max_trade_input: 1000000000
          daily_loss_limit: 1000000000
        bots:
          - {id: live_monitor, type: live_monitor, autostart: true}
        server:
          allow_unauthenticated_execute: true
          rate_limit:
            per_key: {rate: 0, burst: 1}
            per_address: {rate: 0, burst: 1}
          alerts:
            source_check_interval: 200ms
            webhooks:
              - {url: "http://127.0.0.1:%d/alerts", timeout: 5s, retries: 0}
        """
            .formatted(hooks.getAddress().getPort()));
    server =
        ServerProcess.start(
            List.of("-Xmx256m"),
            List.of("--config", config.toString(), "--data-dir", data.toString()));
    long pid = server.process().pid();
    assertEquals(200, executeOne().statusCode(), "an execution before the disk is full");

    disk.fill(pid, data.resolve("rehoboam-journal.mv.db"));
    HttpResponse<String> refused = null;
    for (int i = 0; i < 40 && refused == null; i++) {
      HttpResponse<String> r = executeOne();
      if (r.statusCode() != 200) {
        refused = r;
      }
    }
    assertTrue(refused != null, "no execution was refused on a full " + disk.kind());
    assertTrue(refused.body().contains("\"error\""), refused.body());

    JsonNode red = awaitHealth(h -> h.statusCode() == 503);
    String problems = red.path("problems").toString();
    assertTrue(problems.contains("journal") && problems.contains("refused"), red.toString());
    assertEquals(200, server.get("/health/live").statusCode(), "a full disk is not fatal");
    JsonNode failing = awaitAlert("journal_failing");
    assertEquals("critical", failing.path("severity").asText());

    disk.free(pid);
    JsonNode green = awaitHealth(h -> h.statusCode() == 200);
    assertEquals("ready", green.path("status").asText(), green.toString());
    awaitAlert("journal_recovered");
    HttpResponse<String> again = executeOne();
    assertEquals(200, again.statusCode(), "executions resume without a restart: " + again.body());
  }

  /** Executes a live opportunity (another one if it expired meanwhile). */
  private HttpResponse<String> executeOne() throws Exception {
    long deadline = System.nanoTime() + 2 * ServerProcess.WAIT.toNanos();
    java.util.Deque<String> last = new java.util.ArrayDeque<>();
    while (System.nanoTime() < deadline) {
      JsonNode page = server.json(server.get("/api/arbitrage/opportunities?limit=20"));
      for (JsonNode o : page.path("opportunities")) {
        HttpResponse<String> r =
            server.post(
                "/api/arbitrage/execute",
                "{\"opportunity_id\": \"" + o.path("id").asText() + "\"}");
        // Gone, taken, or refused by risk (not worth it at the current prices): try another.
        if (r.statusCode() != 404
            && r.statusCode() != 410
            && r.statusCode() != 409
            && r.statusCode() != 422) {
          return r;
        }
        last.addLast(r.statusCode() + " " + r.body());
        if (last.size() > 5) {
          last.removeFirst();
        }
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
    }
    throw new AssertionError(
        "no opportunity could be executed within "
            + 2 * ServerProcess.WAIT.toSeconds()
            + " s: "
            + last);
  }

  private JsonNode awaitHealth(Predicate<HttpResponse<String>> done) throws Exception {
    long deadline = System.nanoTime() + ServerProcess.WAIT.toNanos();
    HttpResponse<String> last = null;
    while (System.nanoTime() < deadline) {
      last = server.get("/health");
      if (done.test(last)) {
        return server.json(last);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
    }
    throw new AssertionError("health never turned as expected: " + last.body());
  }

  private JsonNode awaitAlert(String name) throws InterruptedException {
    long deadline = System.nanoTime() + ServerProcess.WAIT.toNanos();
    while (true) {
      JsonNode a = alerts.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (a == null) {
        throw new AssertionError("no " + name + " alert within " + ServerProcess.WAIT);
      }
      if (name.equals(a.path("alert").asText())) {
        return a;
      }
    }
  }
}
