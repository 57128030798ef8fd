package io.rehoboam.bot.process;

import io.rehoboam.core.ArbitrageService;
import io.rehoboam.core.BotRegistration;
import io.rehoboam.core.RestartPolicy;
import io.rehoboam.core.testing.EventRecorder;
import io.rehoboam.spi.Settings;
import io.rehoboam.spi.event.BotLogEvent;
import io.rehoboam.spi.event.BotState;
import io.rehoboam.spi.event.BotStatusEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Measures, informally, how long a process bot takes from start to running and from a crash to
 * running again. Not a test (times are never asserted); run it by hand with the test class path:
 * {@code java -cp ... io.rehoboam.bot.process.LatencyProbe [python3] [runs]}.
 */
public final class LatencyProbe {
  private LatencyProbe() {}

  public static void main(String[] args) throws Exception {
    String python = args.length > 0 ? args[0] : "python3";
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    EventRecorder events = new EventRecorder();
    try (ArbitrageService service =
        ArbitrageService.builder().env(Map.of()).random(() -> 0.5).build()) {
      service.subscribe(events);
      service.initialize();

      // start -> running, and start -> first line of the program
      String hello =
          "import sys\nprint('{\"type\":\"status\",\"message\":\"up\"}', flush=True)\n"
              + "sys.stdin.read()\n";
      service.register(
          BotRegistration.of(
              "probe-start",
              "process",
              Settings.of(Map.of("command", List.of(python, "-c", hello)))));
      List<Double> toRunning = new ArrayList<>();
      List<Double> toFirstLine = new ArrayList<>();
      for (int i = 0; i < runs; i++) {
        long t0 = System.nanoTime();
        Instant wall0 = Instant.now();
        service.start("probe-start");
        toRunning.add((System.nanoTime() - t0) / 1e6);
        Instant first =
            events
                .await(
                    e ->
                        e instanceof BotLogEvent l
                            && l.botId().equals("probe-start")
                            && l.message().contains("status: up")
                            && !l.at().isBefore(wall0))
                .at();
        toFirstLine.add(Duration.between(wall0, first).toNanos() / 1e6);
        service.stop("probe-start");
      }

      // crash -> running again, with a 100 ms backoff
      String crash = "import sys\nsys.stderr.write('boom\\n')\nsys.exit(3)\n";
      String wait = "import sys\nprint('{\"type\":\"heartbeat\"}', flush=True)\nsys.stdin.read()\n";
      RestartPolicy policy =
          new RestartPolicy(
              RestartPolicy.Mode.ON_FAILURE,
              -1,
              Duration.ofMillis(100),
              Duration.ofMillis(100),
              1.0,
              0.0,
              Duration.ZERO,
              Duration.ZERO,
              Duration.ofSeconds(10),
              Duration.ofSeconds(10));
      List<Double> exitToReported = new ArrayList<>();
      List<Double> exitToBackoff = new ArrayList<>();
      List<Double> exitToRunning = new ArrayList<>();
      for (int i = 0; i < runs; i++) {
        String id = "probe-crash-" + i;
        // First run crashes right away; the restart (run 2) waits for stdin.
        String script =
            "import os,sys\n"
                + "flag = '/tmp/"
                + id
                + ".crashed'\n"
                + "if not os.path.exists(flag):\n"
                + "    open(flag, 'w').close()\n"
                + "    "
                + crash.replace("\n", "\n    ").trim()
                + "\n"
                + wait;
        service.register(
            new BotRegistration(
                id,
                "process",
                id,
                false,
                policy,
                Settings.of(Map.of("command", List.of(python, "-c", script)))));
        service.start(id);
        BotStatusEvent failed = events.awaitState(id, BotState.STOPPING, 1);
        BotStatusEvent backoff = events.awaitState(id, BotState.BACKOFF, 1);
        BotStatusEvent running = events.awaitState(id, BotState.RUNNING, 2);
        Instant exited = exitInstant(id);
        exitToReported.add(Duration.between(exited, failed.at()).toNanos() / 1e6);
        exitToBackoff.add(Duration.between(exited, backoff.at()).toNanos() / 1e6);
        exitToRunning.add(Duration.between(exited, running.at()).toNanos() / 1e6);
        service.stop(id);
        java.nio.file.Files.deleteIfExists(java.nio.file.Path.of("/tmp/" + id + ".crashed"));
      }
      print("start() call until RUNNING", toRunning);
      print("start() call until the program's first line", toFirstLine);
      print("program exit until failure reported (STOPPING)", exitToReported);
      print("program exit until BACKOFF", exitToBackoff);
      print("program exit until RUNNING again (incl. 100 ms backoff)", exitToRunning);
    }
  }

  private static Instant exitInstant(String id) throws Exception {
    // The flag file is written right before the crash: its mtime is the exit, to the millisecond.
    return java.nio.file.Files.getLastModifiedTime(java.nio.file.Path.of("/tmp/" + id + ".crashed"))
        .toInstant();
  }

  private static void print(String what, List<Double> millis) {
    List<Double> sorted = new ArrayList<>(millis);
    Collections.sort(sorted);
    System.out.printf(
        "%-58s n=%d  median %.1f ms  p90 %.1f ms  min %.1f  max %.1f%n",
        what,
        sorted.size(),
        sorted.get(sorted.size() / 2),
        sorted.get((int) Math.floor(sorted.size() * 0.9)),
        sorted.get(0),
        sorted.get(sorted.size() - 1));
  }
}
