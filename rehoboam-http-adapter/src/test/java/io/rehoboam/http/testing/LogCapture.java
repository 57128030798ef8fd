package io.rehoboam.http.testing;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Captures what the log writes while it is open (the tests' logger, slf4j-simple, writes to {@code
 * System.err}), still passing it through to the real {@code System.err}.
 */
public final class LogCapture implements AutoCloseable {
  private final PrintStream original = System.err;
  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
  private final List<Awaited> awaited = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** A text someone waits to see in the log. */
  private record Awaited(String text, java.util.concurrent.CountDownLatch seen) {}

  public LogCapture() {
    OutputStream tee =
        new OutputStream() {
          @Override
          public void write(int b) {
            synchronized (captured) {
              captured.write(b);
            }
            original.write(b);
            if (b == '\n') {
              check();
            }
          }

          @Override
          public void write(byte[] b, int off, int len) {
            synchronized (captured) {
              captured.write(b, off, len);
            }
            original.write(b, off, len);
            check();
          }
        };
    System.setErr(new PrintStream(tee, true, StandardCharsets.UTF_8));
  }

  private void check() {
    if (awaited.isEmpty()) {
      return;
    }
    String text = text();
    for (Awaited a : awaited) {
      if (text.contains(a.text())) {
        a.seen().countDown();
      }
    }
  }

  /** Waits until the log contains {@code text}; false if it did not within {@code timeout}. */
  public boolean await(String text, java.time.Duration timeout) throws InterruptedException {
    Awaited a = new Awaited(text, new java.util.concurrent.CountDownLatch(1));
    awaited.add(a);
    try {
      check();
      return a.seen().await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    } finally {
      awaited.remove(a);
    }
  }

  /** Everything written so far. */
  public String text() {
    synchronized (captured) {
      return captured.toString(StandardCharsets.UTF_8);
    }
  }

  /** Everything written so far, line by line. */
  public List<String> lines() {
    return Arrays.asList(text().split("\\R", -1));
  }

  @Override
  public void close() {
    System.err.flush();
    System.setErr(original);
  }
}
