package io.rehoboam.core.risk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.core.testing.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RejectionSummaryTest {
  @Test
  void oneLineAMinuteThenASummaryByLimit() {
    MutableClock clock = MutableClock.atEpoch();
    RejectionSummary summary = new RejectionSummary(clock);
    List<String> logged = new ArrayList<>();
    for (int i = 0; i < 6_000; i++) {
      summary
          .record(i % 3 == 0 ? "max_trade_input" : "max_trades_per_minute", "refused #" + i)
          .ifPresent(logged::add);
      clock.advance(Duration.ofMillis(10)); // 100 a second, for a minute
    }
    assertEquals(1, logged.size(), logged.toString());
    assertEquals("refused #0", logged.get(0));

    summary.record("max_trades_per_minute", "refused late").ifPresent(logged::add);

    assertEquals(2, logged.size());
    String line = logged.get(1);
    assertTrue(line.startsWith("5999 more refused in the minute after 2026-01-01T00:00:00Z"), line);
    assertTrue(line.contains("max_trade_input=1999"), line);
    assertTrue(line.contains("max_trades_per_minute=4000"), line);
    assertTrue(line.endsWith("; then refused late"), line);
  }
}
