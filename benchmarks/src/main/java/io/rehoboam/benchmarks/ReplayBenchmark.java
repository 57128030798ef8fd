package io.rehoboam.benchmarks;

import io.rehoboam.backtest.Backtest;
import io.rehoboam.backtest.recording.RecordEntry;
import io.rehoboam.backtest.recording.RecordingReader;
import io.rehoboam.backtest.recording.Recordings;
import io.rehoboam.core.config.ConfigLoader;
import io.rehoboam.core.config.RehoboamConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Replay speed: a recording of a sim market of {@code pools} pools ({@code ticks} ticks of {@code
 * moves} pool moves each, recorded once per trial) replayed whole by {@link Backtest#run} with a
 * {@code live_monitor} (cross-venue and cyclic scans) and a {@code real_executor} on the paper
 * executor; and the same file only decoded ({@code read}), to separate the file's cost from the
 * engine's. One operation is one whole replay; updates per second = updates (printed at setup, the
 * opening replay of every pool included) / the time of one operation.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx6g"})
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@State(Scope.Benchmark)
public class ReplayBenchmark {
  @Param({"200000"})
  public int pools;

  @Param({"400"})
  public int ticks;

  @Param({"2500"})
  public int moves;

  private Path dir;
  private Path recording;
  private RehoboamConfig config;

  @Setup(Level.Trial)
  public void record() throws IOException {
    dir = Files.createTempDirectory("replay-benchmark");
    recording = dir.resolve("market.rrec");
    config =
        ConfigLoader.parse(
            """
            sources:
              market: {type: sim, seed: 9, pools: %d, shape: sparse, update_interval: 1s,
                       updates_per_tick: %d, dislocation_probability: 0.2}
            executors:
              paper: {type: paper}
            risk: {max_trades_per_minute: 1000}
            bots:
              - {id: monitor, type: live_monitor, settings: {min_profit: 1}}
              - {id: trader, type: real_executor, settings: {max_input: 5000}}
            """
                .formatted(pools, moves),
            "replay-benchmark",
            Map.of());
    Recordings.Summary s =
        Recordings.recordSimTicks(
            config, null, recording, ticks, Instant.parse("2026-01-01T00:00:00Z"), null);
    System.out.printf(
        "%nrecording: %d updates (%d pools added, then %d moves), %d bytes%n",
        s.updates(), pools, s.updates() - pools, s.bytes());
  }

  @TearDown(Level.Trial)
  public void delete() throws IOException {
    Files.deleteIfExists(recording);
    Files.deleteIfExists(dir);
  }

  /** The whole backtest: decode, scan, execute. */
  @Benchmark
  public long replay() {
    Backtest.Result r = Backtest.run(config, recording, Duration.ZERO, null);
    return r.updates() + r.recorder().executions().size();
  }

  /** Only decoding the file. */
  @Benchmark
  public long read() {
    long n = 0;
    try (RecordingReader reader = RecordingReader.open(recording)) {
      RecordEntry e;
      while ((e = reader.next()) != null) {
        if (e instanceof RecordEntry.UpdateEntry) {
          n++;
        }
      }
    }
    return n;
  }
}
