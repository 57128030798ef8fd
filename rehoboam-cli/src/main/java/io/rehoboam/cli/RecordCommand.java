package io.rehoboam.cli;

import io.rehoboam.backtest.recording.Recordings;
import io.rehoboam.core.config.RehoboamConfig;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "record",
    description = {
      "Records the configuration's market sources (all, or --source) into a new recording file.",
      "--ticks N drives sim sources N ticks of their update_interval on a clock of their own"
          + " (deterministic); --duration D records any source for that long in real time;"
          + " --from-block/--to-block reads that range of blocks of an evm source's node after the"
          + " fact (Sync logs by eth_getLogs and the reserves at the first block)."
    })
final class RecordCommand extends LocalCommand {
  @Option(names = "--config", required = true, paramLabel = "FILE", description = "Configuration")
  Path config;

  @Option(names = "--out", required = true, paramLabel = "RECORDING", description = "New file")
  Path out;

  @Option(names = "--source", paramLabel = "ID", description = "Record only this source")
  String source;

  @ArgGroup(exclusive = true, multiplicity = "1")
  How how;

  static final class How {
    @ArgGroup(exclusive = false)
    Ticks ticks;

    @Option(names = "--duration", paramLabel = "DURATION", description = "Real time, e.g. 10m")
    String duration;

    @ArgGroup(exclusive = false)
    Blocks blocks;
  }

  static final class Ticks {
    @Option(names = "--ticks", required = true, paramLabel = "N", description = "Sim ticks")
    int ticks;

    @Option(
        names = "--start",
        paramLabel = "ISO-TIME",
        description = "The sim clock's start (default 2026-01-01T00:00:00Z)")
    String start;
  }

  static final class Blocks {
    @Option(names = "--from-block", required = true, paramLabel = "N", description = "First block")
    long from;

    @Option(names = "--to-block", required = true, paramLabel = "N", description = "Last block")
    long to;
  }

  @Override
  public Integer call() {
    RehoboamConfig loaded = config(config);
    ProgressBar bar = new ProgressBar(err(), "");
    Recordings.Summary summary;
    try {
      if (how.ticks != null) {
        int ticks = how.ticks.ticks;
        if (ticks <= 0) {
          throw new Rehoboam.BadArgument("--ticks: must be positive, was " + ticks);
        }
        Instant start = start(how.ticks.start);
        ProgressBar ticksBar = new ProgressBar(err(), "ticks");
        bar = ticksBar;
        summary =
            Recordings.recordSimTicks(
                loaded, source, out, ticks, start, n -> ticksBar.count(n, ticks));
      } else if (how.duration != null) {
        ProgressBar updatesBar = new ProgressBar(err(), "updates");
        bar = updatesBar;
        summary =
            Recordings.recordLive(
                loaded,
                source,
                out,
                duration("--duration", how.duration),
                n -> updatesBar.count(n, 0));
      } else {
        ProgressBar updatesBar = new ProgressBar(err(), "updates");
        bar = updatesBar;
        summary =
            Recordings.recordBlocks(
                loaded, source, out, how.blocks.from, how.blocks.to, n -> updatesBar.count(n, 0));
      }
    } finally {
      bar.done();
    }
    out()
        .println(
            "recorded "
                + summary.updates()
                + " updates of "
                + String.join(", ", summary.sources())
                + " into "
                + out
                + " ("
                + summary.bytes()
                + " bytes)");
    return 0;
  }

  private static Instant start(String text) {
    if (text == null) {
      return Instant.parse("2026-01-01T00:00:00Z");
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new Rehoboam.BadArgument(
          "--start: expected an ISO-8601 UTC time such as 2026-01-01T00:00:00Z, was '"
              + text
              + "'");
    }
  }
}
