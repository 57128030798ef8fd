package io.rehoboam.cli;

import io.rehoboam.backtest.Backtest;
import io.rehoboam.backtest.report.BacktestReport;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "backtest",
    description = {
      "Replays the configuration's bots, risk policy and paper executors against a recording"
          + " (deterministically) and writes DIR/report.json and DIR/report.html."
    })
final class BacktestCommand extends LocalCommand {
  /** Updates between two redraws of the progress bar. */
  static final long PROGRESS_EVERY = 2_000;

  @Option(names = "--config", required = true, paramLabel = "FILE", description = "Configuration")
  Path config;

  @Option(names = "--recording", required = true, paramLabel = "RECORDING", description = "File")
  Path recording;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Report directory")
  Path out;

  @Option(
      names = "--latency",
      paramLabel = "DURATION",
      defaultValue = "0ms",
      description =
          "Time between the update that showed an opportunity and its execution (default 0ms)")
  String latency;

  @Override
  public Integer call() {
    ProgressBar bar = new ProgressBar(err(), "updates");
    Backtest.Result result;
    try {
      result =
          Backtest.run(
              config(config),
              recording,
              duration("--latency", latency),
              null,
              null,
              bar::fraction,
              PROGRESS_EVERY);
    } finally {
      bar.done();
    }
    for (String note : result.notes()) {
      err().println("note: " + note);
    }
    BacktestReport report = BacktestReport.of(result);
    report.write(out);
    out()
        .println(
            "replayed "
                + result.updates()
                + " updates: "
                + report.json().path("summary").path("executions").asLong()
                + " executions, realized profit "
                + report.json().path("summary").path("realized_profit_usd").asText()
                + " USD; report in "
                + out.resolve("report.html"));
    return 0;
  }
}
