package io.rehoboam.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.backtest.Backtest;
import io.rehoboam.backtest.report.BacktestReport;
import io.rehoboam.core.config.ConfigLoader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rehoboam record}, {@code backtest} and {@code optimise}: delegation, progress, errors. */
class BacktestCommandsTest {
  private static final String CONFIG =
      """
      sources:
        market: {type: sim, seed: 21, pools: 300, update_interval: 12s, dislocation_probability: 0.1}
      executors:
        paper: {type: paper, slippage_bps: 5}
      bots:
        - {id: monitor, type: live_monitor, settings: {min_profit: 0.5}}
        - {id: trader, type: real_executor, settings: {max_input: 5000, min_profit: 1}}
      """;

  @TempDir Path dir;
  private Path config;

  private record Run(int code, String out, String err) {}

  private static Run rehoboam(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Rehoboam.run(args, new PrintWriter(out), new PrintWriter(err), Map.of());
    return new Run(code, out.toString(), err.toString());
  }

  @BeforeEach
  void config() throws IOException {
    config = Files.writeString(dir.resolve("config.yaml"), CONFIG);
  }

  private Path record(String name, int ticks) {
    Path file = dir.resolve(name);
    Run r =
        rehoboam(
            "record", "--config", config.toString(), "--ticks", "" + ticks, "--out", "" + file);
    assertEquals(0, r.code(), r.err());
    return file;
  }

  @Test
  void recordBacktestAndOptimiseDelegateToTheBacktesterWithAProgressBar() throws IOException {
    Path file = dir.resolve("market.rrec");
    Run recorded =
        rehoboam("record", "--config", "" + config, "--ticks", "150", "--out", "" + file);

    assertEquals(0, recorded.code(), recorded.err());
    assertTrue(recorded.out().startsWith("recorded "), recorded.out());
    assertTrue(recorded.out().contains(" updates of market into " + file), recorded.out());
    assertTrue(recorded.err().contains("] 100% 150/150 ticks"), recorded.err());
    assertTrue(recorded.err().contains("\r["), "redrawn in place: " + recorded.err());

    Path reportDir = dir.resolve("report");
    Run backtest =
        rehoboam(
            "backtest",
            "--config",
            "" + config,
            "--recording",
            "" + file,
            "--latency",
            "500ms",
            "--out",
            "" + reportDir);

    assertEquals(0, backtest.code(), backtest.err());
    assertTrue(
        backtest.out().contains("report in " + reportDir.resolve("report.html")), backtest.out());
    long updates =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(reportDir.resolve("report.json").toFile())
            .path("replay")
            .path("updates")
            .asLong();
    assertTrue(backtest.err().contains("] 100% " + updates + " updates"), backtest.err());
    assertTrue(backtest.err().endsWith("updates" + System.lineSeparator()), backtest.err());
    String expected =
        BacktestReport.of(
                Backtest.run(
                    ConfigLoader.load(config, Map.of()), file, Duration.ofMillis(500), null))
            .toJson();
    assertEquals(expected, Files.readString(reportDir.resolve("report.json")));
    assertTrue(Files.readString(reportDir.resolve("report.html")).contains("<svg"));

    Path space =
        Files.writeString(
            dir.resolve("space.yaml"),
            """
            search: grid
            train_fraction: 0.7
            parameters:
              - {path: bots.trader.settings.min_profit, values: [1, 20]}
            """);
    Path optimised = dir.resolve("optimised");
    Run optimise =
        rehoboam(
            "optimise",
            "--config",
            "" + config,
            "--recording",
            "" + file,
            "--space",
            "" + space,
            "--threads",
            "2",
            "--out",
            "" + optimised);

    assertEquals(0, optimise.code(), optimise.err());
    assertTrue(optimise.err().contains("] 100% 2/2 candidates"), optimise.err());
    assertTrue(optimise.out().contains("results in " + optimised), optimise.out());
    assertTrue(Files.exists(optimised.resolve("best.yaml")));
    assertTrue(Files.readString(optimised.resolve("ranking.txt")).lines().count() >= 3);
  }

  @Test
  void badInputIsExitCode2WithAMessageAndATruncatedRecordingIsReplayedWithANote()
      throws IOException {
    Path file = record("market.rrec", 60);
    Path v2 = Files.write(dir.resolve("v2.rrec"), new byte[] {'R', 'H', 'B', 'R', 'E', 'C', 0, 2});
    Path out = dir.resolve("out");

    Run wrongVersion =
        rehoboam("backtest", "--config", "" + config, "--recording", "" + v2, "--out", "" + out);
    assertEquals(2, wrongVersion.code());
    assertTrue(
        wrongVersion
            .err()
            .contains("is a recording of format version 2; this build reads version 1"),
        wrongVersion.err());

    Path other = Files.writeString(dir.resolve("other.yaml"), CONFIG.replace("market:", "chain:"));
    Run wrongSource =
        rehoboam("backtest", "--config", "" + other, "--recording", "" + file, "--out", "" + out);
    assertEquals(2, wrongSource.code());
    assertTrue(
        wrongSource.err().contains("has no source 'chain' (it has: market)"), wrongSource.err());

    Run badLatency =
        rehoboam(
            "backtest",
            "--config",
            "" + config,
            "--recording",
            "" + file,
            "--latency",
            "soon",
            "--out",
            "" + out);
    assertEquals(2, badLatency.code());
    assertTrue(badLatency.err().contains("--latency: expected a duration"), badLatency.err());

    Run both =
        rehoboam(
            "record",
            "--config",
            "" + config,
            "--ticks",
            "5",
            "--duration",
            "1s",
            "--out",
            "" + dir.resolve("x.rrec"));
    assertEquals(2, both.code());
    assertTrue(both.err().contains("expected only one match"), both.err());

    Run noBlocks =
        rehoboam(
            "record",
            "--config",
            "" + config,
            "--from-block",
            "1",
            "--to-block",
            "2",
            "--out",
            "" + dir.resolve("y.rrec"));
    assertEquals(2, noBlocks.code());
    assertTrue(
        noBlocks.err().contains("market (type sim) cannot read past blocks"), noBlocks.err());
    assertFalse(Files.exists(dir.resolve("y.rrec")), "nothing half-recorded is left");

    byte[] bytes = Files.readAllBytes(file);
    Path cut = Files.write(dir.resolve("cut.rrec"), Arrays.copyOf(bytes, bytes.length / 2));
    Run truncated =
        rehoboam("backtest", "--config", "" + config, "--recording", "" + cut, "--out", "" + out);
    assertEquals(0, truncated.code(), truncated.err());
    assertTrue(truncated.err().contains("cut.rrec is truncated"), truncated.err());
    assertTrue(
        Files.readString(out.resolve("report.json")).contains("replayed up to its last whole"));
  }
}
