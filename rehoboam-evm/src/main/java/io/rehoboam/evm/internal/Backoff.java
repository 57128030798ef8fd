package io.rehoboam.evm.internal;

import java.time.Duration;

/** Exponential backoff: {@code initial}, doubling, capped at {@code max}. Thread-safe. */
public final class Backoff {
  private final Duration initial;
  private final Duration max;
  private Duration next;

  public Backoff(Duration initial, Duration max) {
    this.initial = initial;
    this.max = max.compareTo(initial) < 0 ? initial : max;
    this.next = initial;
  }

  /** The delay before the next attempt; each call doubles the one after (up to the cap). */
  public synchronized Duration next() {
    Duration d = next;
    Duration doubled = next.multipliedBy(2);
    next = doubled.compareTo(max) > 0 ? max : doubled;
    return d;
  }

  /** After a success: the next failure waits {@code initial} again. */
  public synchronized void reset() {
    next = initial;
  }
}
