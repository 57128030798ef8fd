package io.rehoboam.journal.internal;

import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32;

/**
 * A small file beside the database holding how many writes the journal committed, forced to disk
 * after each commit. H2 silently falls back to an older chunk of a damaged file (it cannot tell
 * damage from a write cut short by a crash); a database behind its watermark is how that loss is
 * seen instead of trusted.
 *
 * <p>Layout: the count (8 bytes) and its CRC-32 (8 bytes), rewritten in place.
 */
public final class Watermark implements AutoCloseable {
  private final Path file;
  private final FileChannel channel;
  private final ByteBuffer buffer = ByteBuffer.allocate(16);

  private Watermark(Path file, FileChannel channel) {
    this.file = file;
    this.channel = channel;
  }

  /** Opens (creating when absent) the watermark file. */
  public static Watermark open(Path file) {
    try {
      return new Watermark(
          file,
          FileChannel.open(
              file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE));
    } catch (IOException e) {
      throw new RehoboamException(
          ErrorCode.INVALID_CONFIG, "journal watermark " + file + ": cannot open: " + e, e);
    }
  }

  /**
   * The recorded count: 0 for a new (empty) file.
   *
   * @throws RehoboamException INVALID_CONFIG when the file is damaged
   */
  public long read() {
    try {
      long size = channel.size();
      if (size == 0) {
        return 0;
      }
      ByteBuffer b = ByteBuffer.allocate(16);
      channel.read(b, 0);
      b.flip();
      if (size != 16 || b.remaining() != 16) {
        throw damaged("it has " + size + " bytes, not 16");
      }
      long count = b.getLong();
      long crc = b.getLong();
      if (crc != crc(count)) {
        throw damaged("its checksum does not match");
      }
      return count;
    } catch (IOException e) {
      throw new RehoboamException(
          ErrorCode.INVALID_CONFIG, "journal watermark " + file + ": cannot read: " + e, e);
    }
  }

  private RehoboamException damaged(String why) {
    return new RehoboamException(
        ErrorCode.INVALID_CONFIG,
        "journal watermark " + file + " is damaged (" + why + "); left untouched");
  }

  /** Records {@code count} and forces it to the disk. */
  public void write(long count) throws IOException {
    buffer.clear();
    buffer.putLong(count).putLong(crc(count)).flip();
    while (buffer.hasRemaining()) {
      channel.write(buffer, buffer.position());
    }
    channel.force(false);
  }

  private static long crc(long count) {
    CRC32 c = new CRC32();
    c.update(ByteBuffer.allocate(8).putLong(count).array());
    return c.getValue();
  }

  public Path file() {
    return file;
  }

  /** Whether the file exists (before {@link #open} creates it). */
  public static boolean exists(Path file) {
    return Files.exists(file);
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      // Nothing is pending: every write was forced.
    }
  }
}
