package io.rehoboam.cli;

import java.io.PrintWriter;

/**
 * A one-line progress bar on standard error for long local work: {@code [##### ] 50% 1200 updates},
 * redrawn in place (carriage return) at most every percent, and a line break at the end. With no
 * known total it shows the count.
 */
final class ProgressBar {
  private static final int WIDTH = 30;

  private final PrintWriter err;
  private final String unit;
  private int lastPercent = -1;
  private long lastCount = -1;
  private boolean drawn;

  ProgressBar(PrintWriter err, String unit) {
    this.err = err;
    this.unit = unit;
  }

  /** Shows {@code done} of {@code total} (a total of 0 or less: unknown). */
  synchronized void count(long done, long total) {
    if (total > 0) {
      fraction(done, (double) done / total, "/" + total);
    } else if (done != lastCount) {
      lastCount = done;
      err.print("\r" + done + " " + unit);
      err.flush();
      drawn = true;
    }
  }

  /** Shows a share done (0..1) and a count. */
  synchronized void fraction(long done, double fraction) {
    fraction(done, fraction, "");
  }

  private void fraction(long done, double fraction, String ofTotal) {
    double f = Math.max(0, Math.min(1, fraction));
    int percent = (int) Math.floor(f * 100);
    if (percent == lastPercent && (percent < 100 || done == lastCount)) {
      return; // at 100% the final count is still drawn
    }
    lastPercent = percent;
    lastCount = done;
    int filled = (int) Math.floor(f * WIDTH);
    err.print(
        "\r["
            + "#".repeat(filled)
            + " ".repeat(WIDTH - filled)
            + "] "
            + String.format("%3d%%", percent)
            + " "
            + done
            + ofTotal
            + " "
            + unit);
    err.flush();
    drawn = true;
  }

  /** Ends the bar's line (if one was drawn). */
  synchronized void done() {
    if (drawn) {
      err.println();
      err.flush();
      drawn = false;
    }
  }
}
