package io.rehoboam.bot.layer2.internal;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The threads web3j's HTTP client and scheduler need: named {@code rehoboam-<purpose>-<n>} like the
 * engine's, daemons, and an uncaught exception is logged instead of dying silently.
 */
final class Web3jThreadFactory implements ThreadFactory {
  private static final Logger log = LoggerFactory.getLogger(Web3jThreadFactory.class);

  private final String prefix;
  private final AtomicInteger counter = new AtomicInteger();

  Web3jThreadFactory(String purpose) {
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
