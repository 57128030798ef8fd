package io.rehoboam.http.internal;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the adapter's own threads: named {@code rehoboam-<purpose>-<n>}, daemons (an embedding
 * application's exit is never held up by the adapter; {@code close()} still stops them), with
 * uncaught exceptions logged.
 */
public final class HttpThreads implements ThreadFactory {
  private static final Logger log = LoggerFactory.getLogger(HttpThreads.class);

  private final String prefix;
  private final AtomicInteger counter = new AtomicInteger();

  public HttpThreads(String purpose) {
    this.prefix = "rehoboam-" + purpose + "-";
  }

  @Override
  public Thread newThread(Runnable task) {
    Thread t = new Thread(task, prefix + counter.incrementAndGet());
    t.setDaemon(true);
    t.setUncaughtExceptionHandler(
        (thread, e) -> log.error("Uncaught exception in {}", thread.getName(), e));
    return t;
  }
}
