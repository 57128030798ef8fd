package io.rehoboam.evm;

import io.rehoboam.spi.market.PoolUpdate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Predicate;

/** Collects pool updates and lets a test wait for one that matches. */
final class Updates implements Consumer<PoolUpdate> {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition arrived = lock.newCondition();
  private final List<PoolUpdate> all = new ArrayList<>();
  private final List<Long> arrivalNanos = new ArrayList<>();

  @Override
  public void accept(PoolUpdate update) {
    lock.lock();
    try {
      all.add(update);
      arrivalNanos.add(System.nanoTime());
      arrived.signalAll();
    } finally {
      lock.unlock();
    }
  }

  List<PoolUpdate> all() {
    lock.lock();
    try {
      return List.copyOf(all);
    } finally {
      lock.unlock();
    }
  }

  int size() {
    return all().size();
  }

  /** Waits until {@code count} updates from index {@code from} on match; returns them. */
  List<PoolUpdate> await(int from, int count, Predicate<PoolUpdate> match, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    lock.lock();
    try {
      while (true) {
        List<PoolUpdate> found = new ArrayList<>();
        for (int i = from; i < all.size(); i++) {
          if (match.test(all.get(i))) {
            found.add(all.get(i));
          }
        }
        if (found.size() >= count) {
          return found;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError(
              "waited "
                  + timeout
                  + " for "
                  + count
                  + " matching updates; got "
                  + found.size()
                  + " of "
                  + (all.size() - from)
                  + ": "
                  + all.subList(from, all.size()));
        }
        arrived.await(left, TimeUnit.NANOSECONDS);
      }
    } finally {
      lock.unlock();
    }
  }

  /** The arrival time (System.nanoTime) of the first update at or after {@code from} matching. */
  long arrivalOf(int from, Predicate<PoolUpdate> match) {
    lock.lock();
    try {
      for (int i = from; i < all.size(); i++) {
        if (match.test(all.get(i))) {
          return arrivalNanos.get(i);
        }
      }
      return -1;
    } finally {
      lock.unlock();
    }
  }

  /** Waits (bounded) until {@code condition} holds, checking it on every update and every 20 ms. */
  void awaitTrue(String what, java.util.function.BooleanSupplier condition, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    lock.lock();
    try {
      while (!condition.getAsBoolean()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("timed out after " + timeout + " waiting for " + what);
        }
        arrived.await(Math.min(left, TimeUnit.MILLISECONDS.toNanos(20)), TimeUnit.NANOSECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    } finally {
      lock.unlock();
    }
  }
}
