package io.rehoboam.bot.analyst;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;

/** Tokens used per UTC day (by the injected clock) against a daily limit. Thread-safe. */
final class TokenBudget {
  private final long perDay;
  private final Clock clock;
  private LocalDate day;
  private long used;

  TokenBudget(long perDay, Clock clock) {
    this.perDay = perDay;
    this.clock = clock;
  }

  private void roll() {
    LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    if (!today.equals(day)) {
      day = today;
      used = 0;
    }
  }

  /** Whether a request may be sent now (some of today's budget is left). */
  synchronized boolean available() {
    roll();
    return used < perDay;
  }

  synchronized void spend(long tokens) {
    roll();
    used += Math.max(0, tokens);
  }

  synchronized long used() {
    roll();
    return used;
  }

  long perDay() {
    return perDay;
  }
}
