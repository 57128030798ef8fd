package io.rehoboam.bot.process.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineReaderTest {

  /** Collects what the reader reports: lines as they are, oversized ones as "<N bytes>". */
  private static List<String> read(InputStream in, int max) throws IOException {
    List<String> out = new ArrayList<>();
    new LineReader(in, max)
        .readAll(
            new LineReader.Sink() {
              @Override
              public void line(String text) {
                out.add(text);
              }

              @Override
              public void oversized(long bytes) {
                out.add("<" + bytes + " bytes>");
              }
            });
    return out;
  }

  private static List<String> read(String text, int max) throws IOException {
    return read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), max);
  }

  /** Hands out one byte per read, so every line crosses many read boundaries. */
  private static InputStream trickle(byte[] bytes) {
    return new InputStream() {
      int at;

      @Override
      public int read() {
        return at < bytes.length ? bytes[at++] & 0xff : -1;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (at >= bytes.length) {
          return -1;
        }
        b[off] = bytes[at++];
        return 1;
      }
    };
  }

  @Test
  void splitsLinesDropsCarriageReturnsAndKeepsALastLineWithoutNewline() throws IOException {
    assertEquals(List.of("a", "", "b", "c"), read("a\n\nb\r\nc", 256));
    assertEquals(List.of(), read("", 256));
  }

  @Test
  void aLineOverTheCapIsReportedWithItsLengthAndTheNextLineIsRead() throws IOException {
    String big = "x".repeat(1000);
    assertEquals(
        List.of("before", "<1000 bytes>", "after", "<300 bytes>"),
        read("before\n" + big + "\nafter\n" + "y".repeat(300), 256));
  }

  @Test
  void aLineExactlyAtTheCapIsAccepted() throws IOException {
    String exact = "z".repeat(256);
    assertEquals(List.of(exact, "<257 bytes>"), read(exact + "\n" + exact + "z\n", 256));
  }

  @Test
  void linesSurviveReadsOfOneByte() throws IOException {
    byte[] bytes = ("héllo\n" + "w".repeat(600) + "\nend\n").getBytes(StandardCharsets.UTF_8);
    assertEquals(List.of("héllo", "<600 bytes>", "end"), read(trickle(bytes), 256));
  }

  @Test
  void invalidUtf8BecomesReplacementCharacters() throws IOException {
    byte[] bytes = {'o', 'k', (byte) 0xc3, '(', '\n'};
    assertEquals(List.of("ok\uFFFD("), read(new ByteArrayInputStream(bytes), 256));
  }

  @Test
  void aHugeLineNeverGrowsTheBufferPastTheCap() throws IOException {
    // 64 MiB of one line through a 1 KiB cap: only counting, never storing.
    long size = 64L << 20;
    InputStream endless =
        new InputStream() {
          long left = size;

          @Override
          public int read() {
            return left-- > 0 ? 'q' : (left == -1 ? '\n' : -1);
          }

          @Override
          public int read(byte[] b, int off, int len) {
            if (left <= 0) {
              return left-- == 0 ? newline(b, off) : -1;
            }
            int n = (int) Math.min(len, left);
            java.util.Arrays.fill(b, off, off + n, (byte) 'q');
            left -= n;
            return n;
          }

          private int newline(byte[] b, int off) {
            b[off] = '\n';
            return 1;
          }
        };
    assertEquals(List.of("<" + size + " bytes>"), read(endless, 1024));
  }
}
