package io.rehoboam.evm.internal;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in submission order, on threads of a shared executor: the source's
 * "delivery thread" without a thread of its own. A failing task is logged and does not stop the
 * ones after it.
 */
public final class SerialExecutor implements Executor {
  private static final Logger log = LoggerFactory.getLogger(SerialExecutor.class);

  private final Executor pool;
  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean draining = new AtomicBoolean();

  public SerialExecutor(Executor pool) {
    this.pool = pool;
  }

  @Override
  public void execute(Runnable task) {
    tasks.add(task);
    schedule();
  }

  private void schedule() {
    if (!tasks.isEmpty() && draining.compareAndSet(false, true)) {
      try {
        pool.execute(this::drain);
      } catch (RuntimeException e) {
        draining.set(false);
        throw e;
      }
    }
  }

  private void drain() {
    try {
      Runnable task;
      while ((task = tasks.poll()) != null) {
        try {
          task.run();
        } catch (RuntimeException e) {
          log.error("Serial task failed", e);
        }
      }
    } finally {
      draining.set(false);
    }
    // A task added between the last poll and the reset would otherwise wait for the next one.
    schedule();
  }
}
