package io.rehoboam.core.internal;

import io.rehoboam.spi.LogLevel;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The last N log lines of one bot, kept in memory so they can be read through the service after the
 * bot stopped or failed. Lines are stored already redacted, formatted as {@code <instant> <LEVEL>
 * <message>}.
 */
final class LogRing {
  private final String[] lines;
  private long written;

  LogRing(int capacity) {
    this.lines = new String[Math.max(1, capacity)];
  }

  synchronized void add(Instant at, LogLevel level, String message) {
    lines[(int) (written % lines.length)] = at + " " + level + " " + message;
    written++;
  }

  /** The last {@code n} lines, oldest first. */
  synchronized List<String> last(int n) {
    int count = (int) Math.min(Math.min(n, lines.length), written);
    List<String> out = new ArrayList<>(Math.max(0, count));
    for (long i = written - count; i < written; i++) {
      out.add(lines[(int) (i % lines.length)]);
    }
    return List.copyOf(out);
  }
}
