package io.rehoboam.backtest.recording;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.market.Pool;
import io.rehoboam.spi.market.PoolUpdate;
import io.rehoboam.spi.market.Token;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordingFormatTest {
  @TempDir Path dir;

  private static final Instant T0 = Instant.parse("2026-03-01T12:00:00.123456789Z");

  private static Pool pool(int i, long r0, long r1) {
    return new Pool(
        "1:0xpool" + i,
        1,
        "uniswap_v2",
        "0xpool" + i,
        "0xaaa",
        "0xbbb" + i,
        BigInteger.valueOf(r0),
        BigInteger.valueOf(r1),
        30);
  }

  /** Writes two sources, tokens, prices and {@code n} updates; returns what was written. */
  private List<RecordEntry> write(Path file, int n, boolean close) {
    List<RecordEntry> expected = new ArrayList<>();
    RecordingWriter w = RecordingWriter.create(file);
    int a = w.source("a", "sim");
    int b = w.source("b", "evm");
    expected.add(new RecordEntry.SourceEntry(a, "a", "sim"));
    expected.add(new RecordEntry.SourceEntry(b, "b", "evm"));
    Token weth = new Token(1, "0xAAA", "WETH", 18);
    w.token(a, weth);
    expected.add(new RecordEntry.TokenEntry(a, weth));
    w.price(a, "0xaaa", new BigDecimal("3000.5"));
    expected.add(new RecordEntry.PriceEntry(a, "0xaaa", new BigDecimal("3000.5")));
    w.price(b, "0xccc", null);
    expected.add(new RecordEntry.PriceEntry(b, "0xccc", null));
    for (int i = 0; i < n; i++) {
      int source = i % 2 == 0 ? a : b;
      PoolUpdate u =
          i < 4
              ? PoolUpdate.added(pool(i % 3, 1000 + i, 2000 + i), 7)
              : PoolUpdate.reserves(
                  pool(i % 3, 1000L * i, Long.MAX_VALUE - i)
                      .withReserves(
                          Pool.MAX_RESERVE.subtract(BigInteger.valueOf(i)), BigInteger.ZERO),
                  7 + i);
      Instant at = T0.plusNanos(1_000_003L * i);
      w.update(source, u, at);
      expected.add(new RecordEntry.UpdateEntry(source, u, at));
    }
    if (close) {
      w.close();
    } else {
      w.flush();
    }
    return expected;
  }

  private static List<RecordEntry> readAll(RecordingReader r) {
    List<RecordEntry> out = new ArrayList<>();
    RecordEntry e;
    while ((e = r.next()) != null) {
      out.add(e);
    }
    return out;
  }

  @Test
  void everyRecordReadsBackAsWritten() {
    Path file = dir.resolve("r.rrec");
    List<RecordEntry> expected = write(file, 500, true);
    try (RecordingReader r = RecordingReader.open(file)) {
      assertEquals(expected, readAll(r));
      assertTrue(r.complete());
      assertNull(r.truncation());
      assertEquals(List.of("a", "b"), r.sourceIds());
    }
  }

  @Test
  void aRecordingIsCompressed() throws IOException {
    Path file = dir.resolve("r.rrec");
    write(file, 20_000, true);
    // 20k updates with two 14-byte reserves each: far below the raw size.
    assertTrue(Files.size(file) < 20_000 * 20, "size " + Files.size(file));
  }

  @Test
  void aFileOfAnotherVersionIsRefusedNamingBothVersions() throws IOException {
    Path file = dir.resolve("r.rrec");
    write(file, 10, true);
    byte[] bytes = Files.readAllBytes(file);
    bytes[7] = 2;
    Files.write(file, bytes);
    RehoboamException e = assertThrows(RehoboamException.class, () -> RecordingReader.open(file));
    assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
    assertTrue(e.getMessage().contains("format version 2"), e.getMessage());
    assertTrue(e.getMessage().contains("reads version 1"), e.getMessage());
  }

  @Test
  void aFileThatIsNoRecordingIsRefused() throws IOException {
    Path file = dir.resolve("prices.csv");
    Files.writeString(file, "pool_id,dex,token0\n");
    RehoboamException e = assertThrows(RehoboamException.class, () -> RecordingReader.open(file));
    assertTrue(e.getMessage().contains("is not a Rehoboam recording"), e.getMessage());
    RehoboamException missing =
        assertThrows(RehoboamException.class, () -> RecordingReader.open(dir.resolve("nope")));
    assertTrue(missing.getMessage().contains("no such file"), missing.getMessage());
  }

  @Test
  void aTruncatedFileReadsUpToItsLastWholeRecordAndSaysSo() throws IOException {
    Path file = dir.resolve("r.rrec");
    List<RecordEntry> expected = write(file, 3000, true);
    byte[] bytes = Files.readAllBytes(file);
    for (int cut : new int[] {bytes.length / 3, bytes.length / 2, bytes.length - 40}) {
      Path cutFile = dir.resolve("cut-" + cut + ".rrec");
      Files.write(cutFile, Arrays.copyOf(bytes, cut));
      try (RecordingReader r = RecordingReader.open(cutFile)) {
        List<RecordEntry> read = readAll(r);
        assertTrue(read.size() < expected.size(), "cut at " + cut + " read " + read.size());
        assertEquals(expected.subList(0, read.size()), read, "a prefix of whole records");
        assertTrue(r.truncation().contains("is truncated"), r.truncation());
        assertTrue(r.truncation().contains("replayed up to its last whole record"), r.truncation());
      }
    }
  }

  @Test
  void aRecordingWhoseRecorderDidNotCloseItReadsWhatWasFlushed() {
    Path file = dir.resolve("r.rrec");
    List<RecordEntry> expected = write(file, 100, false);
    try (RecordingReader r = RecordingReader.open(file)) {
      assertEquals(expected, readAll(r));
      assertTrue(r.truncation().contains("ends without its END record"), r.truncation());
    }
  }

  @Test
  void anExistingFileIsNeverOverwritten() throws IOException {
    Path file = dir.resolve("r.rrec");
    Files.writeString(file, "keep");
    RehoboamException e = assertThrows(RehoboamException.class, () -> RecordingWriter.create(file));
    assertTrue(e.getMessage().contains("already exists"), e.getMessage());
    assertEquals("keep", Files.readString(file));
  }
}
