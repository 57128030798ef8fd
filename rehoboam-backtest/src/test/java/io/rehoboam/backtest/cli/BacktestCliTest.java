package io.rehoboam.backtest.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BacktestCliTest {
  @TempDir Path dir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    out.reset();
    err.reset();
    return new BacktestCli(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8))
        .run(args);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  private Path config() throws IOException {
    Path config = dir.resolve("config.yaml");
    Files.writeString(
        config,
        """
        sources:
          market: {type: sim, seed: 3, pools: 200, update_interval: 1s}
        executors:
          paper: {type: paper}
        bots:
          - {id: monitor, type: live_monitor}
          - {id: trader, type: real_executor}
        """);
    return config;
  }

  @Test
  void recordThenBacktestWritesTheReports() throws IOException {
    Path config = config();
    Path recording = dir.resolve("m.rrec");
    assertEquals(
        0,
        run(
            "record",
            "--config",
            config.toString(),
            "--ticks",
            "60",
            "--out",
            recording.toString()),
        err());
    assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("recorded "), out.toString());
    assertEquals(
        2,
        run(
            "record",
            "--config",
            config.toString(),
            "--ticks",
            "60",
            "--out",
            recording.toString()));
    assertTrue(err().contains("already exists"), err());

    Path report = dir.resolve("report");
    assertEquals(
        0,
        run(
            "backtest",
            "--config",
            config.toString(),
            "--recording",
            recording.toString(),
            "--out",
            report.toString(),
            "--latency",
            "250ms"),
        err());
    assertTrue(Files.exists(report.resolve("report.json")));
    assertTrue(Files.exists(report.resolve("report.html")));
    assertTrue(err().contains("replayed "), "progress on stderr: " + err());
  }

  @Test
  void badInputsExitWithTwoAndAPlainMessage() throws IOException {
    Path config = config();
    Path other = dir.resolve("v9.rrec");
    byte[] header = "RHBREC\u0000\u0009".getBytes(StandardCharsets.ISO_8859_1);
    Files.write(other, header);
    assertEquals(
        2,
        run(
            "backtest",
            "--config",
            config.toString(),
            "--recording",
            other.toString(),
            "--out",
            "x"));
    assertTrue(err().contains("format version 9; this build reads version 1"), err());

    assertEquals(
        2,
        run("backtest", "--config", config.toString(), "--recording", "nope.rrec", "--out", "x"));
    assertTrue(err().contains("no such file: nope.rrec"), err());

    assertEquals(2, run("backtest", "--config", config.toString(), "--frobnicate", "1"));
    assertTrue(err().contains("--frobnicate: unknown option"), err());

    assertEquals(2, run("record", "--config", config.toString(), "--out", "y", "--ticks", "0"));
    assertTrue(err().contains("--ticks: must be a positive integer"), err());

    assertEquals(2, run("launch"));
    assertTrue(err().contains("unknown command 'launch'"), err());
    assertEquals(0, run("--help"));
  }
}
