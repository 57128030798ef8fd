package io.rehoboam.bot.process.internal;

import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The program's stdin: JSON lines queued by callers that must not block and written by one task on
 * a blocking thread. A program that does not read its stdin fills the pipe; the queue then fills
 * and further commands are refused instead of waiting. Closing writes what is queued, then closes
 * stdin, which is how the program learns that Rehoboam is gone.
 */
public final class CommandChannel implements Runnable {
  static final int CAPACITY = 256;
  private static final byte[] CLOSE = new byte[0];

  private final OutputStream stdin;
  private final LinkedBlockingQueue<byte[]> queue = new LinkedBlockingQueue<>(CAPACITY + 1);
  private volatile boolean closing;
  private volatile boolean broken;

  public CommandChannel(OutputStream stdin) {
    this.stdin = stdin;
  }

  /**
   * Queues one line for the program.
   *
   * @throws RehoboamException CONFLICT when stdin is closed or the program stopped reading it
   */
  public void send(String jsonLine) {
    if (closing || broken) {
      throw new RehoboamException(ErrorCode.CONFLICT, "stdin: the program's stdin is closed");
    }
    byte[] bytes = (jsonLine + "\n").getBytes(StandardCharsets.UTF_8);
    synchronized (this) {
      if (queue.size() >= CAPACITY || !queue.offer(bytes)) {
        throw new RehoboamException(
            ErrorCode.CONFLICT,
            "stdin: " + CAPACITY + " commands are waiting; the program is not reading its stdin");
      }
    }
  }

  /**
   * Queues {@code lastLine} (may be null) and then the end of stdin. Never blocks: when the queue
   * is full, what waits is dropped in favour of the last line.
   */
  public void close(String lastLine) {
    synchronized (this) {
      if (closing) {
        return;
      }
      closing = true;
      if (lastLine != null && !broken) {
        if (queue.size() >= CAPACITY) {
          queue.clear();
        }
        queue.offer((lastLine + "\n").getBytes(StandardCharsets.UTF_8));
      }
      queue.offer(CLOSE);
    }
  }

  /** Whether commands can still be sent. */
  public boolean isOpen() {
    return !closing && !broken;
  }

  /** Writes queued lines until closed; ends early when the program closed its stdin. */
  @Override
  public void run() {
    try {
      while (true) {
        byte[] line = queue.take();
        if (line == CLOSE) {
          break;
        }
        stdin.write(line);
        if (queue.isEmpty()) {
          stdin.flush();
        }
      }
    } catch (IOException e) {
      broken = true; // the program exited or closed stdin: nobody is listening
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      broken = true;
      try {
        stdin.close();
      } catch (IOException e) {
        // already gone
      }
    }
  }
}
