package io.rehoboam.core.scan.cli;

import java.util.Arrays;
import java.util.Locale;

/** The timing line {@code scan --stats} prints to the error stream. */
final class ScanStats {
  private ScanStats() {}

  /**
   * {@code stats: pools 200000, load 812.4 ms, scans 5, min 1.234 ms, median 1.301 ms (cpu min
   * 1.201 ms, median 1.250 ms), opportunities 4321}: wall-clock times, and the scanning thread's
   * CPU time, which a busy machine inflates less.
   *
   * @param pools pools loaded
   * @param loadNanos reading the files and building the market
   * @param scanNanos each full scan's time
   * @param cpuNanos each full scan's CPU time on its thread (-1 when the JVM cannot tell)
   * @param opportunities opportunities the (last) scan reported
   */
  static String line(
      int pools, long loadNanos, long[] scanNanos, long[] cpuNanos, int opportunities) {
    String cpu =
        cpuNanos.length > 0 && cpuNanos[0] >= 0
            ? String.format(
                Locale.ROOT,
                " (cpu min %.3f ms, median %.3f ms)",
                min(cpuNanos) / 1e6,
                median(cpuNanos) / 1e6)
            : "";
    return String.format(
        Locale.ROOT,
        "stats: pools %d, load %.1f ms, scans %d, min %.3f ms, median %.3f ms%s, opportunities %d",
        pools,
        loadNanos / 1e6,
        scanNanos.length,
        min(scanNanos) / 1e6,
        median(scanNanos) / 1e6,
        cpu,
        opportunities);
  }

  /** The current thread's CPU time in nanoseconds, or -1 when not supported. */
  static long cpuNanos() {
    java.lang.management.ThreadMXBean threads =
        java.lang.management.ManagementFactory.getThreadMXBean();
    return threads.isCurrentThreadCpuTimeSupported() ? threads.getCurrentThreadCpuTime() : -1;
  }

  private static double min(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[0];
  }

  private static double median(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
  }
}
