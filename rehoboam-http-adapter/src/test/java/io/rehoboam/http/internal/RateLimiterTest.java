package io.rehoboam.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rehoboam.http.ServerSettings.Bucket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
  /** A clock the test moves by hand. */
  private static final class HandClock extends Clock {
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  private final HandClock clock = new HandClock();

  @Test
  void aBurstIsAllowedThenTheRateAndRetryAfterSaysWhenTheNextTokenComes() {
    RateLimiter limiter = new RateLimiter(new Bucket(0.5, 3), clock);

    assertEquals(0, limiter.acquire("a"));
    assertEquals(0, limiter.acquire("a"));
    assertEquals(0, limiter.acquire("a"));
    assertEquals(2, limiter.acquire("a"), "one token every 2 s");
    assertEquals(0, limiter.acquire("b"), "every caller has its own bucket");

    clock.advance(Duration.ofMillis(1500));
    assertEquals(1, limiter.acquire("a"), "half a second to go, rounded up");
    clock.advance(Duration.ofMillis(500));
    assertEquals(0, limiter.acquire("a"));
    assertEquals(2, limiter.acquire("a"));
  }

  @Test
  void quietCallersAreForgottenByTheSweep() {
    RateLimiter limiter = new RateLimiter(new Bucket(10, 5), clock);
    limiter.acquire("a");
    limiter.acquire("b");
    limiter.sweep();
    assertEquals(2, limiter.tracked(), "buckets not yet full stay");

    clock.advance(Duration.ofSeconds(1));
    limiter.sweep();

    assertEquals(0, limiter.tracked());
  }

  @Test
  void anOffLimitAllowsEverything() {
    RateLimiter limiter = new RateLimiter(Bucket.OFF, clock);
    for (int i = 0; i < 10_000; i++) {
      assertEquals(0, limiter.acquire("a"));
    }
    assertEquals(0, limiter.tracked());
  }
}
