package io.rehoboam.backtest.cli;

import io.rehoboam.backtest.Backtest;
import io.rehoboam.backtest.optimise.Optimiser;
import io.rehoboam.backtest.recording.Recordings;
import io.rehoboam.backtest.report.BacktestReport;
import io.rehoboam.core.config.ConfigLoader;
import io.rehoboam.core.config.RehoboamConfig;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.Settings;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * The command line of the backtester: {@code record}, {@code backtest} and {@code optimise}. Exit
 * codes: 0 done, 2 bad input (a message names what), 1 anything else.
 */
public final class BacktestCli {
  static final String USAGE =
      """
      usage:
        record   --config FILE --out RECORDING (--ticks N [--start ISO-TIME] | --duration DURATION)
                 [--source ID]
        backtest --config FILE --recording RECORDING --out DIR [--latency DURATION]
        optimise --config FILE --recording RECORDING --space FILE --out DIR
                 [--latency DURATION] [--threads N]
      record: records the configuration's market sources (all, or --source) into a new recording.
        --ticks drives a sim source N ticks of its update_interval on a clock starting at --start
        (default 2026-01-01T00:00:00Z), deterministically; --duration records any source for that
        long in real time.
      backtest: replays the configuration's bots, risk policy and paper executors against the
        recording and writes DIR/report.json and DIR/report.html.
      optimise: backtests every candidate of the search space on the recording's first part (train)
        and the rest (test); writes DIR/optimisation.json, DIR/ranking.txt and DIR/best.yaml.
      """;

  private final PrintStream out;
  private final PrintStream err;

  BacktestCli(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  public static void main(String[] args) {
    System.exit(new BacktestCli(System.out, System.err).run(args));
  }

  /** Runs a command; returns the exit code. */
  public int run(String[] args) {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
      (args.length == 0 ? err : out).print(USAGE);
      return args.length == 0 ? 2 : 0;
    }
    try {
      switch (args[0]) {
        case "record" -> record(args);
        case "backtest" -> backtest(args);
        case "optimise", "optimize" -> optimise(args);
        default -> throw RehoboamException.invalid("command", "unknown command '" + args[0] + "'");
      }
      return 0;
    } catch (RehoboamException e) {
      err.println();
      err.println("error: " + e.getMessage());
      return 2;
    } catch (RuntimeException e) {
      err.println();
      err.println("error: " + e);
      return 1;
    }
  }

  private void record(String[] args) {
    Args a =
        Args.parse(
            args,
            1,
            Set.of("--config", "--out", "--ticks", "--start", "--duration", "--source"),
            Set.of());
    RehoboamConfig config = load(a.required("--config"));
    Path target = Path.of(a.required("--out"));
    String only = a.get("--source", null);
    Recordings.Summary summary;
    if (a.has("--ticks")) {
      int ticks = positive("--ticks", a.required("--ticks"));
      Instant start = Instant.parse(a.get("--start", "2026-01-01T00:00:00Z"));
      summary =
          Recordings.recordSimTicks(
              config, only, target, ticks, start, n -> progress("recorded", n, ticks, "ticks"));
    } else if (a.has("--duration")) {
      Duration d = Settings.parseDuration(a.required("--duration"));
      summary =
          Recordings.recordLive(
              config, only, target, d, n -> progress("recorded", n, -1, "updates"));
    } else {
      throw RehoboamException.invalid("--ticks", "give --ticks N (sim) or --duration D");
    }
    err.println();
    out.println(
        "recorded "
            + summary.updates()
            + " updates of "
            + String.join(", ", summary.sources())
            + " into "
            + target
            + " ("
            + summary.bytes()
            + " bytes)");
  }

  private void backtest(String[] args) {
    Args a = Args.parse(args, 1, Set.of("--config", "--recording", "--out", "--latency"), Set.of());
    RehoboamConfig config = load(a.required("--config"));
    Path recording = Path.of(a.required("--recording"));
    Path dir = Path.of(a.required("--out"));
    Duration latency = Settings.parseDuration(a.get("--latency", "0ms"));
    Backtest.Result result =
        Backtest.run(config, recording, latency, n -> progress("replayed", n, -1, "updates"));
    err.println();
    for (String note : result.notes()) {
      err.println("note: " + note);
    }
    BacktestReport report = BacktestReport.of(result);
    report.write(dir);
    out.println(
        "replayed "
            + result.updates()
            + " updates: "
            + report.json().path("summary").path("executions").asLong()
            + " executions, realized profit "
            + report.json().path("summary").path("realized_profit_usd").asText()
            + " USD; report in "
            + dir.resolve("report.html"));
  }

  private void optimise(String[] args) {
    Args a =
        Args.parse(
            args,
            1,
            Set.of("--config", "--recording", "--space", "--out", "--latency", "--threads"),
            Set.of());
    RehoboamConfig config = load(a.required("--config"));
    Path recording = Path.of(a.required("--recording"));
    Path space = Path.of(a.required("--space"));
    Path dir = Path.of(a.required("--out"));
    Duration latency = Settings.parseDuration(a.get("--latency", "0ms"));
    int threads =
        positive(
            "--threads",
            a.get("--threads", String.valueOf(Runtime.getRuntime().availableProcessors())));
    Optimiser.Outcome outcome =
        Optimiser.run(
            config,
            Path.of(a.required("--config")),
            recording,
            Optimiser.Space.load(space),
            latency,
            threads,
            (done, total) -> progress("backtested", done, total, "candidates"));
    err.println();
    outcome.write(dir);
    out.println(outcome.summary() + "; results in " + dir);
  }

  private static RehoboamConfig load(String path) {
    return ConfigLoader.load(Path.of(path), Map.copyOf(System.getenv()));
  }

  private static int positive(String name, String text) {
    try {
      int n = Integer.parseInt(text.trim());
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw RehoboamException.invalid(name, "must be a positive integer, was '" + text + "'");
  }

  /** A one-line progress bar on standard error (a count when the total is unknown). */
  private synchronized void progress(String verb, long done, long total, String unit) {
    if (total > 0) {
      int width = 30;
      int filled = (int) Math.min(width, done * width / total);
      err.print(
          "\r["
              + "#".repeat(filled)
              + " ".repeat(width - filled)
              + "] "
              + done
              + "/"
              + total
              + " "
              + unit);
    } else {
      err.print("\r" + verb + " " + done + " " + unit);
    }
    err.flush();
  }
}
