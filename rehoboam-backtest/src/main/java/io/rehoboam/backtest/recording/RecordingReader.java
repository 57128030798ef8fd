package io.rehoboam.backtest.recording;

import io.rehoboam.spi.Checks;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.market.Pool;
import io.rehoboam.spi.market.PoolUpdate;
import io.rehoboam.spi.market.Token;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Reads a recording ({@link RecordingFormat}) record by record. A file of another format or version
 * is refused when opened; a file cut short (no END record, a half record, a damaged gzip stream)
 * reads up to its last whole record, after which {@link #truncation()} says what was lost.
 *
 * <p>Not thread-safe.
 */
public final class RecordingReader implements AutoCloseable {
  private final Path file;
  private final InputStream in;
  private final byte[] buffer = new byte[1 << 16];
  private int position;
  private int limit;
  private final List<String> sourceIds = new ArrayList<>();
  private final List<String> sourceTypes = new ArrayList<>();
  private final List<Pool> pools = new ArrayList<>();
  private long[] lastSequence = new long[4];
  private long lastTimeNanos;
  private long records;
  private boolean ended;
  private String truncation;

  private RecordingReader(Path file, InputStream in) {
    this.file = file;
    this.in = in;
  }

  /**
   * Opens a recording.
   *
   * @throws RehoboamException INVALID_ARGUMENT (field {@code recording}) when the file is missing,
   *     is not a recording, or is a recording of another format version
   */
  public static RecordingReader open(Path file) {
    Checks.notNull(file, "recording");
    InputStream raw;
    try {
      raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    } catch (NoSuchFileException e) {
      throw RehoboamException.invalid("recording", "no such file: " + file);
    } catch (IOException e) {
      throw RehoboamException.invalid("recording", "cannot read " + file + ": " + e);
    }
    try {
      byte[] header = raw.readNBytes(RecordingFormat.HEADER_LENGTH);
      if (header.length < RecordingFormat.HEADER_LENGTH
          || !Arrays.equals(
              Arrays.copyOf(header, RecordingFormat.MAGIC.length), RecordingFormat.MAGIC)) {
        throw RehoboamException.invalid(
            "recording", file + " is not a Rehoboam recording (no RHBREC header)");
      }
      int version = ((header[6] & 0xff) << 8) | (header[7] & 0xff);
      if (version != RecordingFormat.VERSION) {
        throw RehoboamException.invalid(
            "recording",
            file
                + " is a recording of format version "
                + version
                + "; this build reads version "
                + RecordingFormat.VERSION);
      }
      InputStream body;
      try {
        body = new GZIPInputStream(raw, 1 << 16);
      } catch (EOFException e) {
        body = InputStream.nullInputStream();
      }
      return new RecordingReader(file, body);
    } catch (IOException e) {
      closeQuietly(raw);
      throw RehoboamException.invalid("recording", "cannot read " + file + ": " + e);
    } catch (RuntimeException e) {
      closeQuietly(raw);
      throw e;
    }
  }

  public Path file() {
    return file;
  }

  /** The ids of the sources seen so far, by index. */
  public List<String> sourceIds() {
    return List.copyOf(sourceIds);
  }

  /** The type of the source with this index. */
  public String sourceType(int index) {
    return sourceTypes.get(index);
  }

  /** Records read so far (pool definitions included). */
  public long records() {
    return records;
  }

  /** True once the END record was read. */
  public boolean complete() {
    return ended;
  }

  /**
   * Null while reading and after a complete file; after a file that was cut short, what happened
   * and how many records were read.
   */
  public String truncation() {
    return truncation;
  }

  /**
   * The next record, or null at the end (check {@link #truncation()}).
   *
   * @throws RehoboamException INVALID_ARGUMENT when a record contradicts the format (a damaged file
   *     that still decompresses)
   */
  public RecordEntry next() {
    if (ended || truncation != null) {
      return null;
    }
    while (true) {
      int tag;
      try {
        tag = position < limit ? buffer[position++] & 0xff : refillOrEnd();
        if (tag < 0) {
          truncated();
          return null;
        }
        RecordEntry entry = record(tag);
        if (ended) {
          return null;
        }
        records++;
        if (entry != null) {
          return entry;
        }
      } catch (IOException e) {
        // EOFException: the file ends inside a record or inside its compressed stream; any other
        // one: the compressed stream is damaged. Either way what came before is whole.
        truncated();
        return null;
      }
    }
  }

  private void truncated() {
    truncation =
        "recording "
            + file
            + " is truncated (it ends without its END record: the recorder did not close it or the"
            + " file was cut); replayed up to its last whole record, "
            + records
            + " records";
  }

  private RecordEntry record(int tag) throws IOException {
    switch (tag) {
      case RecordingFormat.TAG_SOURCE -> {
        String id = string();
        String type = string();
        sourceIds.add(id);
        sourceTypes.add(type);
        if (sourceIds.size() > lastSequence.length) {
          lastSequence = Arrays.copyOf(lastSequence, lastSequence.length * 2);
        }
        return new RecordEntry.SourceEntry(sourceIds.size() - 1, id, type);
      }
      case RecordingFormat.TAG_TOKEN -> {
        int source = source();
        long chainId = varint();
        String address = string();
        String symbol = string();
        int decimals = (int) varint();
        return new RecordEntry.TokenEntry(
            source, valid(() -> new Token(chainId, address, symbol, decimals)));
      }
      case RecordingFormat.TAG_PRICE -> {
        int source = source();
        String token = string();
        String text = string();
        BigDecimal price = text.isEmpty() ? null : valid(() -> new BigDecimal(text));
        return new RecordEntry.PriceEntry(source, token, price);
      }
      case RecordingFormat.TAG_POOL -> {
        int source = source();
        String id = string();
        long chainId = varint();
        String dex = string();
        String address = string();
        String token0 = string();
        String token1 = string();
        int fee = (int) varint();
        pools.add(
            valid(
                () ->
                    new Pool(
                        id,
                        chainId,
                        dex,
                        address,
                        token0,
                        token1,
                        BigInteger.ZERO,
                        BigInteger.ZERO,
                        fee)));
        return null;
      }
      case RecordingFormat.TAG_UPDATE -> {
        int kind = readByte();
        int source = source();
        long poolIndex = varint();
        long sequence = lastSequence[source] + zigzag();
        lastSequence[source] = sequence;
        lastTimeNanos += zigzag();
        BigInteger r0 = big();
        BigInteger r1 = big();
        if (poolIndex >= pools.size() || kind > 2) {
          throw damaged("update names pool " + poolIndex + " of kind " + kind);
        }
        Pool pool = valid(() -> pools.get((int) poolIndex).withReserves(r0, r1));
        PoolUpdate update =
            valid(() -> new PoolUpdate(PoolUpdate.Kind.values()[kind], pool, sequence));
        Instant at =
            Instant.ofEpochSecond(
                Math.floorDiv(lastTimeNanos, 1_000_000_000L),
                Math.floorMod(lastTimeNanos, 1_000_000_000L));
        return new RecordEntry.UpdateEntry(source, update, at);
      }
      case RecordingFormat.TAG_END -> {
        long count = varint();
        if (count != records) {
          throw damaged("END counts " + count + " records but " + records + " were read");
        }
        ended = true;
        return null;
      }
      default -> throw damaged("unknown record tag " + tag);
    }
  }

  private interface Build<T> {
    T get();
  }

  private <T> T valid(Build<T> build) {
    try {
      return build.get();
    } catch (RuntimeException e) {
      throw damaged(e.getMessage());
    }
  }

  private RehoboamException damaged(String what) {
    return RehoboamException.invalid(
        "recording", "recording " + file + " is damaged at record " + records + ": " + what);
  }

  private int source() throws IOException {
    long s = varint();
    if (s >= sourceIds.size()) {
      throw damaged("record names source " + s + " before it was declared");
    }
    return (int) s;
  }

  /** The next byte, or -1 at the end of the data. */
  private int refillOrEnd() throws IOException {
    // read, not readNBytes: a stream cut short must first give every byte it still has.
    int n;
    do {
      n = in.read(buffer, 0, buffer.length);
    } while (n == 0);
    position = 0;
    limit = Math.max(n, 0);
    return limit == 0 ? -1 : buffer[position++] & 0xff;
  }

  private int readByte() throws IOException {
    if (position < limit) {
      return buffer[position++] & 0xff;
    }
    int b = refillOrEnd();
    if (b < 0) {
      throw new EOFException();
    }
    return b;
  }

  /** Makes {@code length} bytes readable at {@link #position} (at most the buffer's size). */
  private void ensure(int length) throws IOException {
    if (limit - position >= length) {
      return;
    }
    int kept = limit - position;
    System.arraycopy(buffer, position, buffer, 0, kept);
    position = 0;
    limit = kept;
    while (limit < length) {
      int n = in.read(buffer, limit, buffer.length - limit);
      if (n < 0) {
        throw new EOFException();
      }
      limit += n;
    }
  }

  private long varint() throws IOException {
    long value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      int b = readByte();
      value |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return value;
      }
    }
    throw damaged("varint longer than 64 bits");
  }

  private long zigzag() throws IOException {
    long v = varint();
    return (v >>> 1) ^ -(v & 1);
  }

  private int length() throws IOException {
    long length = varint();
    if (length > buffer.length) {
      throw damaged("field of " + length + " bytes");
    }
    ensure((int) length);
    return (int) length;
  }

  private byte[] bytes() throws IOException {
    int length = length();
    byte[] bytes = java.util.Arrays.copyOfRange(buffer, position, position + length);
    position += length;
    return bytes;
  }

  private String string() throws IOException {
    return new String(bytes(), StandardCharsets.UTF_8);
  }

  private BigInteger big() throws IOException {
    int length = length();
    BigInteger value = length == 0 ? BigInteger.ZERO : new BigInteger(1, buffer, position, length);
    position += length;
    return value;
  }

  @Override
  public void close() {
    closeQuietly(in);
  }

  private static void closeQuietly(InputStream s) {
    try {
      s.close();
    } catch (IOException e) {
      // Nothing was written: a failed close loses nothing.
    }
  }
}
