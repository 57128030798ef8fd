package io.rehoboam.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real server with a 256 MiB heap and a process bot that prints 400 lines of 900 KB (each within
 * {@code max_line_bytes}) and then 50,000 lines that start with '{' but are not JSON. The server
 * stays live and useful (no OutOfMemoryError: the output over the bot's budget goes to its log
 * file, not to memory), and the bad lines cost a few warnings in the server log, not 50,000.
 */
class OutputFloodIT {
  @TempDir Path dir;
  private ServerProcess server;

  @AfterEach
  void cleanUp() throws InterruptedException {
    if (server != null) {
      server.stop();
    }
  }

  @Test
  void aBotFloodingItsOutputNeitherExhaustsTheHeapNorTheServerLog() throws Exception {
    Path script = dir.resolve("flood.py");
    Files.writeString(
        script,
        """
        import sys, time
        out = sys.stdout
        big = "x" * (900 * 1024)
        for i in range(400):
            out.write("big %d %s\\n" % (i, big))
        out.flush()
        for i in range(50000):
            out.write("{not json %d\\n" % i)
        out.write('{"type": "status", "message": "flood done"}\\n')
        out.flush()
        while True:
            out.write('{"type": "heartbeat"}\\n')
            out.flush()
            time.sleep(0.2)
        """);
    Path logs = dir.resolve("logs");
    Path config = dir.resolve("server.yaml");
    Files.writeString(
        config,
        """
        sources:
          sim: {type: sim, seed: 7, pools: 400, update_interval: 50ms, dislocation_probability: 0.5}
        bots:
          - {id: live_monitor, type: live_monitor, autostart: true}
          - id: flood
            type: process
            autostart: true
            settings:
              command: [python3, "%s"]
              log_dir: "%s"
              log_max_bytes: 104857600
              log_files: 1
        server:
          rate_limit:
            per_key: {rate: 0, burst: 1}
            per_address: {rate: 0, burst: 1}
        """
            .formatted(script, logs));
    server =
        ServerProcess.start(
            List.of("-Xmx256m"),
            List.of("--config", config.toString(), "--data-dir", dir.resolve("data").toString()));

    await(
        () -> logLines("flood").contains("status: flood done"),
        "the bot printed everything and is still read",
        true);
    assertTrue(Files.size(logs.resolve("flood.log")) > 0);
    assertEquals(200, server.get("/health/live").statusCode(), "live after the flood");
    JsonNode flood = server.json(server.get("/api/arbitrage/bots/flood"));
    assertEquals("running", flood.path("status").asText(), flood.toString());
    long found =
        server
            .json(server.get("/api/arbitrage/bots/live_monitor"))
            .path("opportunities_found")
            .asLong();
    await(
        () -> json("/api/arbitrage/bots/live_monitor").path("opportunities_found").asLong() > found,
        "live_monitor still finds opportunities");
    await(
        () -> server.stderr().contains("more lines skipped"),
        "the skipped lines are summed up in the server log");
    assertEquals(200, server.get("/health").statusCode(), server.get("/health").body());

    String log = server.stderr();
    long warnings = log.lines().filter(l -> l.contains(" WARN flood - ")).count();
    assertTrue(warnings > 0 && warnings < 100, warnings + " warnings for 50,000 bad lines");
    assertTrue(log.length() < 20 << 20, "server log of " + log.length() + " chars");
    String file = Files.readString(logs.resolve("flood.log"));
    assertTrue(file.contains("{not json 49999"), "every line is in the bot's log file");
  }

  private String logLines(String bot) throws Exception {
    return json("/api/arbitrage/bots/" + bot + "/logs?lines=200").path("lines").toString();
  }

  private JsonNode json(String path) throws Exception {
    return server.json(server.get(path));
  }

  @FunctionalInterface
  private interface Check {
    boolean test() throws Exception;
  }

  private static void await(Check check, String what) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      if (check.test()) {
        return;
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
    }
    throw new AssertionError("not within 120 s: " + what);
  }

  private void await(Check check, String what, boolean diagnose) throws Exception {
    try {
      await(check, what);
    } catch (AssertionError e) {
      String err = server.stderr();
      throw new AssertionError(
          e.getMessage()
              + "; bot logs: "
              + logLines("flood")
              + "; server log tail: "
              + err.substring(Math.max(0, err.length() - 3000)),
          e);
    }
  }
}
