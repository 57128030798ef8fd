package io.rehoboam.core.internal;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counts opportunities found per second over a sliding minute, for the monitoring snapshot.
 * Lock-free: 60 one-second buckets, each tagged with the second it counts.
 */
public final class OpportunityRate {
  private static final int BUCKETS = 60;

  private final Clock clock;
  private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
  private final AtomicLongArray seconds = new AtomicLongArray(BUCKETS);

  public OpportunityRate(Clock clock) {
    this.clock = clock;
    for (int i = 0; i < BUCKETS; i++) {
      seconds.set(i, Long.MIN_VALUE);
    }
  }

  public void record() {
    long now = clock.millis() / 1000;
    int i = (int) Math.floorMod(now, (long) BUCKETS);
    long tagged = seconds.get(i);
    if (tagged != now && seconds.compareAndSet(i, tagged, now)) {
      counts.set(i, 0);
    }
    counts.incrementAndGet(i);
  }

  /** Opportunities recorded in the last 60 seconds. */
  public long lastMinute() {
    long now = clock.millis() / 1000;
    long sum = 0;
    for (int i = 0; i < BUCKETS; i++) {
      long s = seconds.get(i);
      if (s > now - BUCKETS && s <= now) {
        sum += counts.get(i);
      }
    }
    return sum;
  }
}
