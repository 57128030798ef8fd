package io.rehoboam.backtest.jobs;

import io.rehoboam.spi.Checks;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.Settings;
import java.nio.file.Path;
import java.util.List;

/**
 * Where backtests submitted over the API find their recordings, and how many run at once.
 *
 * @param recordingsDir the directory a request's {@code recording} names a file of
 * @param maxConcurrent backtests that run at the same time (each on one thread)
 * @param maxQueued backtests waiting for a thread; more are refused until one starts
 * @param maxKept finished backtests kept (with their reports) for reading; the oldest go first
 */
public record BacktestJobSettings(
    Path recordingsDir, int maxConcurrent, int maxQueued, int maxKept) {
  /** The keys of the {@code server.backtests} section. */
  public static final List<String> KEYS =
      List.of("recordings_dir", "max_concurrent", "max_queued", "max_kept");

  public BacktestJobSettings {
    Checks.notNull(recordingsDir, "recordings_dir");
    Checks.check(maxConcurrent >= 1, "max_concurrent", "must be at least 1");
    Checks.check(maxQueued >= 0, "max_queued", "must be 0 or more");
    Checks.check(maxKept >= 1, "max_kept", "must be at least 1");
  }

  /** Defaults: one at a time, 8 waiting, 50 kept. */
  public static BacktestJobSettings of(Path recordingsDir) {
    return new BacktestJobSettings(recordingsDir, 1, 8, 50);
  }

  /**
   * Reads a {@code server.backtests} section ({@code recordings_dir} required); null when the
   * section is empty (no backtests over the API).
   *
   * @param where the file and section, for messages ({@code server.yaml: server.backtests})
   * @throws RehoboamException INVALID_CONFIG naming the key
   */
  public static BacktestJobSettings from(Settings section, String where) {
    if (section == null || section.names().isEmpty()) {
      return null;
    }
    for (String key : section.names()) {
      if (!KEYS.contains(key)) {
        throw new RehoboamException(
            ErrorCode.INVALID_CONFIG,
            where + ": unknown key '" + key + "' (known: " + String.join(", ", KEYS) + ")");
      }
    }
    try {
      String dir = section.string("recordings_dir").map(String::trim).orElse("");
      if (dir.isEmpty()) {
        throw RehoboamException.invalid("recordings_dir", "is required (a directory)");
      }
      BacktestJobSettings d = of(Path.of(dir));
      return new BacktestJobSettings(
          Path.of(dir),
          section.intValue("max_concurrent", d.maxConcurrent()),
          section.intValue("max_queued", d.maxQueued()),
          section.intValue("max_kept", d.maxKept()));
    } catch (RehoboamException e) {
      if (e.code() == ErrorCode.INVALID_CONFIG) {
        throw e;
      }
      throw new RehoboamException(ErrorCode.INVALID_CONFIG, where + "." + e.getMessage(), e);
    }
  }
}
