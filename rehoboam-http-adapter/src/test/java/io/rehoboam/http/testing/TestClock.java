package io.rehoboam.http.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The system clock, except that HTTP request threads ({@code rehoboam-http-...}) may be put ahead.
 * The service's own threads (its expiry purge among them) keep real time, so a test can show an
 * expired opportunity to an HTTP request while it is still in the book.
 */
public final class TestClock extends Clock {
  private volatile Duration httpAhead = Duration.ZERO;

  public void putHttpThreadsAhead(Duration ahead) {
    this.httpAhead = ahead;
  }

  @Override
  public Instant instant() {
    Instant now = Instant.now();
    return Thread.currentThread().getName().startsWith("rehoboam-http") ? now.plus(httpAhead) : now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("withZone");
  }
}
