package io.rehoboam.http.internal;

import io.rehoboam.http.ServerSettings.Bucket;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Token buckets by name (a key id, a client address): each {@link #acquire} takes one token; tokens
 * come back at {@code rate} per second up to {@code burst}. Buckets that are full again are dropped
 * by {@link #sweep()}, so the map only holds recently active callers. Thread-safe.
 */
public final class RateLimiter {
  /** Beyond this many tracked callers a sweep runs at once. */
  private static final int SWEEP_AT = 100_000;

  private final Bucket limit;
  private final Clock clock;
  private final Map<String, State> buckets = new ConcurrentHashMap<>();

  private static final class State {
    double tokens;
    long lastNanos;

    State(double tokens, long lastNanos) {
      this.tokens = tokens;
      this.lastNanos = lastNanos;
    }
  }

  public RateLimiter(Bucket limit, Clock clock) {
    this.limit = limit;
    this.clock = clock;
  }

  public boolean isOff() {
    return limit.isOff();
  }

  /**
   * Takes a token for {@code name}.
   *
   * @return 0 when allowed, otherwise the whole seconds (at least 1) until a token is back
   */
  public long acquire(String name) {
    if (limit.isOff()) {
      return 0;
    }
    long now = nowNanos();
    if (buckets.size() > SWEEP_AT) {
      sweep();
    }
    State state = buckets.computeIfAbsent(name, n -> new State(limit.burst(), now));
    synchronized (state) {
      refill(state, now);
      if (state.tokens >= 1) {
        state.tokens -= 1;
        return 0;
      }
      double seconds = (1 - state.tokens) / limit.rate();
      return Math.max(1, (long) Math.ceil(seconds));
    }
  }

  private void refill(State state, long now) {
    long elapsed = now - state.lastNanos;
    if (elapsed > 0) {
      state.tokens = Math.min(limit.burst(), state.tokens + elapsed / 1e9 * limit.rate());
      state.lastNanos = now;
    }
  }

  /** Drops the buckets that are full again (their callers have been quiet long enough). */
  public void sweep() {
    long now = nowNanos();
    buckets
        .entrySet()
        .removeIf(
            e -> {
              State s = e.getValue();
              synchronized (s) {
                refill(s, now);
                return s.tokens >= limit.burst();
              }
            });
  }

  /** Callers currently tracked. */
  public int tracked() {
    return buckets.size();
  }

  private long nowNanos() {
    java.time.Instant t = clock.instant();
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }
}
