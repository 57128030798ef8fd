package io.rehoboam.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real server killed with {@code kill -9} while a process bot's grandchild runs, then started
 * again on the same data directory: the grandchild (which carries the bot's markers) is ended
 * before the new run of the bot starts.
 */
class LeftoverProcessesIT {
  private static final Pattern GRANDCHILD = Pattern.compile("grandchild (\\d+)");

  @TempDir Path dir;
  private final List<Long> strays = new ArrayList<>();
  private final List<ServerProcess> servers = new ArrayList<>();

  @AfterEach
  void cleanUp() throws InterruptedException {
    for (ServerProcess s : servers) {
      s.stop();
    }
    for (long pid : strays) {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  @Test
  void aGrandchildLeftByAKilledServerIsReapedWhenTheServerStartsAgain() throws Exception {
    Path script = dir.resolve("leaky.sh");
    Files.writeString(
        script,
        """
        sleep 100000 &
        echo "{\\"type\\":\\"log\\",\\"level\\":\\"info\\",\\"message\\":\\"grandchild $!\\"}"
        while true; do echo '{"type":"heartbeat"}'; sleep 0.2; done
        """);
    Path config = dir.resolve("server.yaml");
    Files.writeString(
        config,
        """
        sources:
          sim: {type: sim, pools: 50}
        bots:
          - id: leaky
            type: process
            autostart: true
            settings:
              command: [bash, "%s"]
        """
            .formatted(script));
    Path data = dir.resolve("data");
    List<String> args = List.of("--config", config.toString(), "--data-dir", data.toString());

    ServerProcess first = ServerProcess.start(List.of(), args);
    servers.add(first);
    long grandchild = awaitGrandchild(first);
    strays.add(grandchild);
    first.killHard();
    ProcessHandle survivor = ProcessHandle.of(grandchild).orElseThrow();
    assertTrue(survivor.isAlive(), "the grandchild outlives the killed server");

    ServerProcess second = ServerProcess.start(List.of(), args);
    servers.add(second);
    assertTrue(
        waitForExit(survivor),
        "the restarted server did not end the grandchild " + grandchild + " left by the first");
    assertTrue(
        second.stderr().contains("left by a previous run of " + data), "the reaping is logged");
    long fresh = awaitGrandchild(second);
    strays.add(fresh);
    assertTrue(fresh != grandchild, "a new run of the bot");
    assertEquals("running", botStatus(second).get("status").asText());
  }

  private static boolean waitForExit(ProcessHandle p) throws Exception {
    try {
      p.onExit().get(ServerProcess.WAIT.toSeconds(), TimeUnit.SECONDS);
      return true;
    } catch (java.util.concurrent.TimeoutException e) {
      return !p.isAlive();
    }
  }

  private static JsonNode botStatus(ServerProcess server) throws Exception {
    return server.json(server.get("/api/arbitrage/bots/leaky"));
  }

  /** Waits for the bot's log line naming its grandchild's pid. */
  private static long awaitGrandchild(ServerProcess server) throws Exception {
    long deadline = System.nanoTime() + ServerProcess.WAIT.toNanos();
    JsonNode logs = null;
    while (System.nanoTime() < deadline) {
      logs = server.json(server.get("/api/arbitrage/bots/leaky/logs?lines=100"));
      for (JsonNode line : logs.path("lines")) {
        Matcher m = GRANDCHILD.matcher(line.asText());
        if (m.find()) {
          return Long.parseLong(m.group(1));
        }
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
    }
    throw new AssertionError("the bot never named its grandchild: " + logs);
  }
}
