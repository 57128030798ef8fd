package io.rehoboam.bot.process.internal;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A bot's output on disk: {@code <dir>/<bot_id>.log}, rotated to {@code .log.1}, {@code .log.2} ...
 * when the next line would take it past {@code maxBytes}; only {@code files} rotated files are
 * kept, so the bot never uses more than {@code (files + 1) * maxBytes} of disk. Each line is {@code
 * <instant> <stream> <text>}. Thread-safe; the runs of one bot share the files.
 */
public final class RotatingLog implements Closeable {
  // Two runs of one bot may overlap for a moment (an abandoned stop); they must not rotate at once.
  private static final ConcurrentHashMap<Path, Object> LOCKS = new ConcurrentHashMap<>();

  private final Path file;
  private final long maxBytes;
  private final int files;
  private final Object lock;
  private OutputStream out;
  private long size;
  private boolean dirty;

  public RotatingLog(Path dir, String botId, long maxBytes, int files) throws IOException {
    Files.createDirectories(dir);
    this.file = dir.resolve(botId + ".log").toAbsolutePath().normalize();
    this.maxBytes = maxBytes;
    this.files = files;
    this.lock = LOCKS.computeIfAbsent(file, f -> new Object());
    synchronized (lock) {
      open();
    }
  }

  /** The current file. */
  public Path file() {
    return file;
  }

  private void open() throws IOException {
    out =
        new BufferedOutputStream(
            Files.newOutputStream(
                file,
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND,
                StandardOpenOption.WRITE),
            64 * 1024);
    size = Files.size(file);
  }

  /** Appends one line; a line longer than the whole file may be is cut to fit. */
  public void write(Instant at, String stream, String text) throws IOException {
    byte[] bytes = (at + " " + stream + " " + text + "\n").getBytes(StandardCharsets.UTF_8);
    int length = (int) Math.min(bytes.length, maxBytes);
    if (length < bytes.length) {
      bytes[length - 1] = '\n';
    }
    synchronized (lock) {
      if (out == null) {
        return;
      }
      if (size > 0 && size + length > maxBytes) {
        rotate();
      }
      out.write(bytes, 0, length);
      size += length;
      dirty = true;
    }
  }

  /** Pushes buffered lines to the file. */
  public void flush() throws IOException {
    synchronized (lock) {
      if (out != null && dirty) {
        out.flush();
        dirty = false;
      }
    }
  }

  private void rotate() throws IOException {
    out.close();
    out = null;
    if (files == 0) {
      Files.deleteIfExists(file);
    } else {
      Files.deleteIfExists(rotated(files));
      for (int i = files - 1; i >= 1; i--) {
        Path from = rotated(i);
        if (Files.exists(from)) {
          Files.move(from, rotated(i + 1), StandardCopyOption.REPLACE_EXISTING);
        }
      }
      Files.move(file, rotated(1), StandardCopyOption.REPLACE_EXISTING);
    }
    open();
  }

  private Path rotated(int n) {
    return file.resolveSibling(file.getFileName() + "." + n);
  }

  @Override
  public void close() throws IOException {
    synchronized (lock) {
      if (out != null) {
        out.close();
        out = null;
      }
    }
  }
}
