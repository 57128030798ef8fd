package io.rehoboam.core.scan.cli;

import java.util.Arrays;
import java.util.Locale;

/** The timing line {@code scan --stats} prints to the error stream. */
final class ScanStats {
  private ScanStats() {}

  /**
   * {@code stats: pools 200000, load 812.4 ms, scans 5, min 1.234 ms, median 1.301 ms,
   * opportunities 4321}.
   *
   * @param pools pools loaded
   * @param loadNanos reading the files and building the market
   * @param scanNanos each full scan's time
   * @param opportunities opportunities the (last) scan reported
   */
  static String line(int pools, long loadNanos, long[] scanNanos, int opportunities) {
    long[] sorted = scanNanos.clone();
    Arrays.sort(sorted);
    double min = sorted[0] / 1e6;
    int n = sorted.length;
    double median = (n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0) / 1e6;
    return String.format(
        Locale.ROOT,
        "stats: pools %d, load %.1f ms, scans %d, min %.3f ms, median %.3f ms, opportunities %d",
        pools,
        loadNanos / 1e6,
        n,
        min,
        median,
        opportunities);
  }
}
