package io.rehoboam.backtest.recording;

import io.rehoboam.spi.Checks;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.market.Pool;
import io.rehoboam.spi.market.PoolUpdate;
import io.rehoboam.spi.market.Token;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a recording ({@link RecordingFormat}). Append-only: records are only ever added; whole
 * records reach the file at each {@link #flush()} (and every {@value #FLUSH_EVERY} records), so a
 * crash loses at most the records since then and never leaves a half record that hides the others.
 *
 * <p>Thread-safe: every method is serialized, so several sources may record into one file.
 */
public final class RecordingWriter implements AutoCloseable {
  /** Records between two automatic flushes. */
  public static final int FLUSH_EVERY = 4096;

  private record PoolKey(
      int source,
      String id,
      long chainId,
      String dex,
      String address,
      String token0,
      String token1,
      int feeBps) {
    static PoolKey of(int source, Pool p) {
      return new PoolKey(
          source, p.id(), p.chainId(), p.dex(), p.address(), p.token0(), p.token1(), p.feeBps());
    }
  }

  private final Path file;
  private final GZIPOutputStream gzip;
  private final Output out;
  private final List<String> sources = new ArrayList<>();
  private final Map<String, PoolKey> poolKeys = new HashMap<>();
  private final Map<PoolKey, Integer> pools = new HashMap<>();
  private final Map<Integer, Long> lastSequence = new HashMap<>();
  private long lastTimeNanos;
  private long records;
  private long sinceFlush;
  private boolean closed;

  private RecordingWriter(Path file, OutputStream raw) throws IOException {
    this.file = file;
    raw.write(RecordingFormat.MAGIC);
    raw.write(RecordingFormat.VERSION >>> 8);
    raw.write(RecordingFormat.VERSION & 0xff);
    this.gzip = new GZIPOutputStream(raw, 1 << 16, true);
    this.out = new Output(new BufferedOutputStream(gzip, 1 << 16));
  }

  /**
   * Creates a new recording file (refusing to overwrite one).
   *
   * @throws RehoboamException INVALID_ARGUMENT when the file exists or cannot be created
   */
  public static RecordingWriter create(Path file) {
    Checks.notNull(file, "recording");
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      OutputStream raw =
          new BufferedOutputStream(
              Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
      return new RecordingWriter(file, raw);
    } catch (java.nio.file.FileAlreadyExistsException e) {
      throw RehoboamException.invalid("recording", "file " + file + " already exists");
    } catch (IOException e) {
      throw RehoboamException.invalid("recording", "cannot create " + file + ": " + e);
    }
  }

  public Path file() {
    return file;
  }

  /** Records written so far. */
  public synchronized long records() {
    return records;
  }

  /**
   * Declares a source; returns its index for the other records.
   *
   * @throws RehoboamException INVALID_ARGUMENT when the id was declared already
   */
  public synchronized int source(String id, String type) {
    Checks.notBlank(id, "source");
    Checks.notBlank(type, "type");
    if (sources.contains(id)) {
      throw RehoboamException.invalid("source", "source " + id + " is already recorded here");
    }
    ensureOpen();
    sources.add(id);
    write(
        () -> {
          out.tag(RecordingFormat.TAG_SOURCE);
          out.string(id);
          out.string(type);
        });
    return sources.size() - 1;
  }

  /** Records a token of a source. */
  public synchronized void token(int source, Token token) {
    checkSource(source);
    write(
        () -> {
          out.tag(RecordingFormat.TAG_TOKEN);
          out.varint(source);
          out.varint(token.chainId());
          out.string(token.address());
          out.string(token.symbol());
          out.varint(token.decimals());
        });
  }

  /** Records a token's quote price from now on (null: unknown). */
  public synchronized void price(int source, String token, BigDecimal price) {
    checkSource(source);
    Checks.notBlank(token, "token");
    write(
        () -> {
          out.tag(RecordingFormat.TAG_PRICE);
          out.varint(source);
          out.string(token);
          out.string(price == null ? "" : price.toString());
        });
  }

  /** Records an update of a source and when it arrived. */
  public synchronized void update(int source, PoolUpdate update, Instant at) {
    checkSource(source);
    Checks.notNull(update, "update");
    Checks.notNull(at, "at");
    Pool p = update.pool();
    String poolKey = source + "\u0000" + p.id();
    PoolKey key = poolKeys.get(poolKey);
    if (key == null
        || key.chainId() != p.chainId()
        || key.feeBps() != p.feeBps()
        || !key.dex().equals(p.dex())
        || !key.address().equals(p.address())
        || !key.token0().equals(p.token0())
        || !key.token1().equals(p.token1())) {
      PoolKey fresh = PoolKey.of(source, p);
      int index = pools.size();
      pools.put(fresh, index);
      poolKeys.put(poolKey, fresh);
      key = fresh;
      write(
          () -> {
            out.tag(RecordingFormat.TAG_POOL);
            out.varint(source);
            out.string(p.id());
            out.varint(p.chainId());
            out.string(p.dex());
            out.string(p.address());
            out.string(p.token0());
            out.string(p.token1());
            out.varint(p.feeBps());
          });
    }
    int poolIndex = pools.get(key);
    long previousSequence = lastSequence.getOrDefault(source, 0L);
    lastSequence.put(source, update.sequence());
    long nanos = at.getEpochSecond() * 1_000_000_000L + at.getNano();
    long timeDelta = nanos - lastTimeNanos;
    lastTimeNanos = nanos;
    write(
        () -> {
          out.tag(RecordingFormat.TAG_UPDATE);
          out.tag(update.kind().ordinal());
          out.varint(source);
          out.varint(poolIndex);
          out.zigzag(update.sequence() - previousSequence);
          out.zigzag(timeDelta);
          out.big(p.reserve0());
          out.big(p.reserve1());
        });
  }

  /** Makes every record written so far readable from the file. */
  public synchronized void flush() {
    if (closed) {
      return;
    }
    try {
      out.flush();
      sinceFlush = 0;
    } catch (IOException e) {
      throw new UncheckedIOException("recording " + file + ": cannot flush", e);
    }
  }

  /** Writes the END record and closes the file. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    long count = records;
    try {
      out.tag(RecordingFormat.TAG_END);
      out.varint(count);
      out.flush();
      gzip.finish();
      gzip.close();
    } catch (IOException e) {
      throw new UncheckedIOException("recording " + file + ": cannot close", e);
    } finally {
      closed = true;
    }
  }

  private interface IoWrite {
    void run() throws IOException;
  }

  private void write(IoWrite body) {
    ensureOpen();
    try {
      body.run();
      records++;
      if (++sinceFlush >= FLUSH_EVERY) {
        out.flush();
        sinceFlush = 0;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("recording " + file + ": cannot write", e);
    }
  }

  private void checkSource(int source) {
    Checks.check(source >= 0 && source < sources.size(), "source", "no source " + source);
  }

  private void ensureOpen() {
    if (closed) {
      throw new RehoboamException(ErrorCode.SHUTTING_DOWN, "recording " + file + " is closed");
    }
  }

  /** The encoder of the record fields. */
  private static final class Output {
    private final OutputStream out;

    Output(OutputStream out) {
      this.out = out;
    }

    void tag(int tag) throws IOException {
      out.write(tag);
    }

    void varint(long value) throws IOException {
      long v = value;
      while ((v & ~0x7FL) != 0) {
        out.write((int) ((v & 0x7F) | 0x80));
        v >>>= 7;
      }
      out.write((int) v);
    }

    void zigzag(long value) throws IOException {
      varint((value << 1) ^ (value >> 63));
    }

    void string(String s) throws IOException {
      byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
      varint(bytes.length);
      out.write(bytes);
    }

    void big(BigInteger value) throws IOException {
      byte[] bytes = value.toByteArray();
      int skip = bytes.length > 1 && bytes[0] == 0 ? 1 : 0;
      varint(bytes.length - skip);
      out.write(bytes, skip, bytes.length - skip);
    }

    void flush() throws IOException {
      out.flush();
    }
  }
}
