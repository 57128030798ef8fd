package io.rehoboam.cli;

import io.rehoboam.core.config.ConfigLoader;
import io.rehoboam.core.config.RehoboamConfig;
import io.rehoboam.spi.Settings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that works on local files with the backtester (module {@code rehoboam-backtest}), not
 * on a server: record, backtest, optimise.
 */
abstract class LocalCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  Rehoboam root() {
    return (Rehoboam) spec.root().userObject();
  }

  PrintWriter out() {
    return root().out;
  }

  PrintWriter err() {
    return root().err;
  }

  /** The configuration file, with the process environment for its variables. */
  RehoboamConfig config(Path file) {
    return ConfigLoader.load(file, root().env);
  }

  /** A duration option ({@code 500ms}, {@code 2s}, {@code 10m}, ISO-8601). */
  static Duration duration(String option, String text) {
    Duration d = text == null ? null : Settings.parseDuration(text.trim());
    if (d == null || d.isNegative()) {
      throw new Rehoboam.BadArgument(
          option + ": expected a duration such as 500ms, 2s or 10m, was '" + text + "'");
    }
    return d;
  }
}
