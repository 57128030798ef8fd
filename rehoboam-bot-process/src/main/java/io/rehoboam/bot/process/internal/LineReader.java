package io.rehoboam.bot.process.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Splits a byte stream into lines with a hard cap per line: at most {@code maxLineBytes} of a line
 * are ever held, so a 10 MiB line or an endless one costs no more memory than a short one. Lines
 * end at {@code \n} (a trailing {@code \r} is dropped); bytes are decoded as UTF-8, invalid
 * sequences become U+FFFD. Not thread-safe: one reader thread per stream.
 */
public final class LineReader {
  /** Receives what the reader finds, on the reader's thread. */
  public interface Sink {
    /** A complete line, without its terminator. */
    void line(String text);

    /** A line longer than the cap was skipped; {@code bytes} is its full length. */
    void oversized(long bytes);

    /** Everything read so far was delivered and no more input is waiting (a good time to flush). */
    default void idle() {}
  }

  private static final int CHUNK = 64 * 1024;

  private final InputStream in;
  private final int maxLineBytes;
  private byte[] line = new byte[256];
  private int length;
  private boolean discarding;
  private long discarded;

  public LineReader(InputStream in, int maxLineBytes) {
    this.in = in;
    this.maxLineBytes = maxLineBytes;
  }

  /** Reads until end of stream, handing every line to {@code sink}. */
  public void readAll(Sink sink) throws IOException {
    byte[] chunk = new byte[CHUNK];
    while (true) {
      int n = in.read(chunk);
      if (n < 0) {
        break;
      }
      int start = 0;
      for (int i = 0; i < n; i++) {
        if (chunk[i] == '\n') {
          append(chunk, start, i - start);
          endLine(sink);
          start = i + 1;
        }
      }
      append(chunk, start, n - start);
      if (available() == 0) {
        sink.idle();
      }
    }
    if (discarding || length > 0) {
      endLine(sink);
    }
    sink.idle();
  }

  private int available() {
    try {
      return in.available();
    } catch (IOException e) {
      return 0;
    }
  }

  private void append(byte[] bytes, int from, int count) {
    if (count == 0) {
      return;
    }
    if (discarding) {
      discarded += count;
      return;
    }
    if (length + count > maxLineBytes) {
      discarding = true;
      discarded = (long) length + count;
      length = 0;
      if (line.length > 4096) {
        line = new byte[256]; // do not keep the big buffer of one huge line
      }
      return;
    }
    if (length + count > line.length) {
      line = Arrays.copyOf(line, Math.min(maxLineBytes, Math.max(line.length * 2, length + count)));
    }
    System.arraycopy(bytes, from, line, length, count);
    length += count;
  }

  private void endLine(Sink sink) {
    if (discarding) {
      long bytes = discarded;
      discarding = false;
      discarded = 0;
      sink.oversized(bytes);
      return;
    }
    int end = length;
    if (end > 0 && line[end - 1] == '\r') {
      end--;
    }
    String text = new String(line, 0, end, StandardCharsets.UTF_8);
    length = 0;
    sink.line(text);
  }
}
