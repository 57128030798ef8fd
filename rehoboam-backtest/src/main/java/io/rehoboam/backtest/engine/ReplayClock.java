package io.rehoboam.backtest.engine;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** The clock of a replay: it reads what the replay last set. UTC only. */
public final class ReplayClock extends Clock {
  private Instant now;

  public ReplayClock(Instant start) {
    this.now = start;
  }

  public void set(Instant instant) {
    now = instant;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("a replay clock is UTC only");
  }

  @Override
  public Instant instant() {
    return now;
  }
}
