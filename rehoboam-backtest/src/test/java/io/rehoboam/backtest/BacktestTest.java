package io.rehoboam.backtest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.backtest.recording.Recordings;
import io.rehoboam.backtest.report.BacktestReport;
import io.rehoboam.core.config.ConfigLoader;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BacktestTest {
  @TempDir static Path dir;
  static Path recording;

  @BeforeAll
  static void record() {
    recording = dir.resolve("sim.rrec");
    Recordings.recordSimTicks(
        SimRun.config(), null, recording, 150, Instant.parse("2026-01-01T00:00:00Z"), null);
  }

  @Test
  void twoBacktestsOfTheSameInputsWriteTheSameBytes() throws IOException {
    Path a = dir.resolve("a");
    Path b = dir.resolve("b");
    BacktestReport.of(Backtest.run(SimRun.config(), recording, Duration.ofMillis(300), null))
        .write(a);
    BacktestReport.of(Backtest.run(SimRun.config(), recording, Duration.ofMillis(300), null))
        .write(b);
    assertArrayEquals(
        Files.readAllBytes(a.resolve("report.json")), Files.readAllBytes(b.resolve("report.json")));
    assertArrayEquals(
        Files.readAllBytes(a.resolve("report.html")), Files.readAllBytes(b.resolve("report.html")));
    String json = Files.readString(a.resolve("report.json"));
    assertTrue(json.contains("\"cumulative_pnl\""), json);
    assertTrue(Files.readString(a.resolve("report.html")).contains("<svg"));
  }

  @Test
  void twoRecordingsOfTheSameSimConfigurationAreTheSameBytes() throws IOException {
    Path again = dir.resolve("again.rrec");
    Recordings.recordSimTicks(
        SimRun.config(), null, again, 150, Instant.parse("2026-01-01T00:00:00Z"), null);
    assertTrue(Arrays.equals(Files.readAllBytes(recording), Files.readAllBytes(again)));
  }

  @Test
  void aConfigurationNamingASourceTheRecordingLacksIsRefused() {
    String yaml =
        SimRun.CONFIG.replace(
            "executors:", "  chain: {type: evm, rpc_url: \"http://127.0.0.1:1\"}\nexecutors:");
    RehoboamException e =
        assertThrows(
            RehoboamException.class,
            () ->
                Backtest.run(
                    ConfigLoader.parse(yaml, "two-sources.yaml", Map.of()),
                    recording,
                    Duration.ZERO,
                    null));
    assertEquals(ErrorCode.INVALID_CONFIG, e.code());
    assertTrue(e.getMessage().contains("sources.chain"), e.getMessage());
    assertTrue(e.getMessage().contains("has no source 'chain' (it has: market)"), e.getMessage());
  }

  @Test
  void latencyCostsOpportunities() {
    Backtest.Result instant = Backtest.run(SimRun.config(), recording, Duration.ZERO, null);
    Backtest.Result late = Backtest.run(SimRun.config(), recording, Duration.ofSeconds(2), null);
    long missedLate =
        late.recorder()
            .outcomes()
            .get("trader")
            .getOrDefault(io.rehoboam.backtest.engine.Outcome.MISSED, 0L);
    long missedInstant =
        instant
            .recorder()
            .outcomes()
            .get("trader")
            .getOrDefault(io.rehoboam.backtest.engine.Outcome.MISSED, 0L);
    assertTrue(missedLate > missedInstant, "missed " + missedInstant + " -> " + missedLate);
  }

  @Test
  void aTruncatedRecordingIsReplayedUpToItsLastWholeRecordWithANote() throws IOException {
    byte[] bytes = Files.readAllBytes(recording);
    Path cut = dir.resolve("cut.rrec");
    Files.write(cut, Arrays.copyOf(bytes, bytes.length * 2 / 3));
    Backtest.Result full = Backtest.run(SimRun.config(), recording, Duration.ZERO, null);
    Backtest.Result part = Backtest.run(SimRun.config(), cut, Duration.ZERO, null);
    assertTrue(
        part.updates() > 0 && part.updates() < full.updates(),
        part.updates() + " of " + full.updates());
    assertTrue(
        part.notes().stream().anyMatch(n -> n.contains("is truncated")), part.notes().toString());
    String json = BacktestReport.of(part).toJson();
    assertTrue(json.contains("replayed up to its last whole record"), json);
  }

  @Test
  void aWindowStartsTheBotsOnTheMarketAsItIsThen() {
    Instant split = Instant.parse("2026-01-01T00:00:20Z");
    Backtest.Result train =
        Backtest.run(SimRun.config(), recording, Duration.ZERO, null, split, null);
    Backtest.Result test =
        Backtest.run(SimRun.config(), recording, Duration.ZERO, split, null, null);
    assertTrue(train.lastUpdate().isBefore(split));
    assertEquals(split, test.firstUpdate());
    assertTrue(
        test.recorder().opportunities().stream().allMatch(o -> !o.detectedAt().isBefore(split)));
    assertTrue(train.updates() > 0 && test.updates() > 0);
  }
}
