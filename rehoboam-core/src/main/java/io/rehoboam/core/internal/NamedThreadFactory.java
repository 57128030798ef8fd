package io.rehoboam.core.internal;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the library's threads: every one is named {@code rehoboam-<purpose>-<n>}, is a daemon (an
 * embedding application's exit is never held up by us; {@code close()} still stops them all), and
 * logs an uncaught exception instead of dying silently.
 */
public final class NamedThreadFactory implements ThreadFactory {
  /** Every thread the library starts has a name with this prefix. */
  public static final String PREFIX = "rehoboam-";

  private static final Logger log = LoggerFactory.getLogger(NamedThreadFactory.class);

  private final String prefix;
  private final AtomicInteger counter = new AtomicInteger();
  private final FatalErrors fatal;

  public NamedThreadFactory(String purpose) {
    this(purpose, null);
  }

  /** Threads whose uncaught errors are also told to {@code fatal} (null: only logged). */
  public NamedThreadFactory(String purpose, FatalErrors fatal) {
    this.prefix = PREFIX + purpose + "-";
    this.fatal = fatal;
  }

  @Override
  public Thread newThread(Runnable task) {
    Thread t = new Thread(task, prefix + counter.incrementAndGet());
    t.setDaemon(true);
    t.setUncaughtExceptionHandler(
        (thread, e) -> {
          if (fatal != null) {
            fatal.seen(thread.getName(), e);
          }
          log.error("Uncaught exception in {}", thread.getName(), e);
        });
    return t;
  }
}
