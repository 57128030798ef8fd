package io.rehoboam.cli;

import io.rehoboam.backtest.optimise.Optimiser;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "optimise",
    aliases = "optimize",
    description = {
      "Backtests every candidate of the search space on the recording's first part (train) and"
          + " the rest (test), in parallel; writes DIR/optimisation.json, DIR/ranking.txt and"
          + " DIR/best.yaml (the best configuration, ready to use)."
    })
final class OptimiseCommand extends LocalCommand {
  @Option(names = "--config", required = true, paramLabel = "FILE", description = "Configuration")
  Path config;

  @Option(names = "--recording", required = true, paramLabel = "RECORDING", description = "File")
  Path recording;

  @Option(names = "--space", required = true, paramLabel = "FILE", description = "Search space")
  Path space;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Results directory")
  Path out;

  @Option(
      names = "--latency",
      paramLabel = "DURATION",
      defaultValue = "0ms",
      description = "As for backtest (default 0ms)")
  String latency;

  @Option(
      names = "--threads",
      paramLabel = "N",
      description = "Backtests at once (default: the available cores)")
  Integer threads;

  @Override
  public Integer call() {
    int n = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
    if (n <= 0) {
      throw new Rehoboam.BadArgument("--threads: must be positive, was " + n);
    }
    ProgressBar bar = new ProgressBar(err(), "candidates");
    Optimiser.Outcome outcome;
    try {
      outcome =
          Optimiser.run(
              config(config),
              config,
              recording,
              Optimiser.Space.load(space),
              duration("--latency", latency),
              n,
              (done, total) -> bar.count(done, total));
    } finally {
      bar.done();
    }
    outcome.write(out);
    out().println(outcome.summary() + "; results in " + out);
    return 0;
  }
}
