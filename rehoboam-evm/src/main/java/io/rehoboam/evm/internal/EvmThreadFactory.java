package io.rehoboam.evm.internal;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The threads web3j's HTTP client and scheduler need: named {@code rehoboam-<purpose>-<n>} like the
 * engine's, daemons, and an uncaught exception is logged instead of dying silently.
 */
final class EvmThreadFactory implements ThreadFactory {
  private static final Logger log = LoggerFactory.getLogger(EvmThreadFactory.class);

  private final String prefix;
  private final AtomicInteger counter = new AtomicInteger();

  EvmThreadFactory(String purpose) {
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
