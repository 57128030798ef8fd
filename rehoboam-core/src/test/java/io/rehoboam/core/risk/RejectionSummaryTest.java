package io.rehoboam.core.risk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.core.testing.ManualScheduler;
import io.rehoboam.core.testing.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class RejectionSummaryTest {
  private final MutableClock clock = MutableClock.atEpoch();
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final List<String> logged = new CopyOnWriteArrayList<>();
  private final RejectionSummary summary = new RejectionSummary(clock, scheduler, logged::add);

  @Test
  void oneLineAMinuteThenTheSummaryByLimitAtTheMinutesEnd() {
    for (int i = 0; i < 5_900; i++) {
      summary.record(i % 3 == 0 ? "max_trade_input" : "max_trades_per_minute", "refused #" + i);
      scheduler.advance(Duration.ofMillis(10)); // 100 a second, for 59 s
    }
    assertEquals(List.of("refused #0"), logged);
    assertEquals(List.of(Duration.ofSeconds(1)), scheduler.pendingDelays(), "the minute's timer");

    // No further refusal: the summary is written when the minute ends, not at the next refusal.
    scheduler.advance(Duration.ofMillis(999));
    assertEquals(1, logged.size(), logged.toString());
    scheduler.advance(Duration.ofMillis(1));

    assertEquals(2, logged.size(), logged.toString());
    String line = logged.get(1);
    assertTrue(line.startsWith("5899 more refused in the minute after 2026-01-01T00:00:00Z"), line);
    assertTrue(line.contains("max_trade_input=1966"), line);
    assertTrue(line.contains("max_trades_per_minute=3933"), line);
    assertEquals(List.of(), scheduler.pendingDelays(), "no timer while nothing is refused");

    // Quiet for an hour: nothing more is written.
    scheduler.advance(Duration.ofHours(1));
    assertEquals(2, logged.size());

    // The next refusal opens a new minute with its own line.
    summary.record("max_trade_input", "refused late");
    assertEquals("refused late", logged.get(2));
  }

  @Test
  void aLoneRefusalWritesNoSummary() {
    summary.record("max_trade_input", "refused once");
    scheduler.advance(Duration.ofMinutes(5));
    assertEquals(List.of("refused once"), logged);
  }

  @Test
  void closingWritesTheOpenMinutesSummaryAndCancelsTheTimer() {
    summary.record("a", "first");
    scheduler.advance(Duration.ofSeconds(1));
    summary.record("a", "second");
    summary.close();
    assertEquals(2, logged.size(), logged.toString());
    assertTrue(logged.get(1).startsWith("1 more refused in the minute after"), logged.get(1));
    assertEquals(List.of(), scheduler.pendingDelays());
    scheduler.advance(Duration.ofMinutes(2));
    assertEquals(2, logged.size(), "the cancelled timer writes nothing");

    summary.open();
    summary.record("a", "after a restart");
    assertEquals("after a restart", logged.get(2));
    assertEquals(List.of(Duration.ofMinutes(1)), scheduler.pendingDelays());
  }
}
