package io.rehoboam.bot.process.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The output budget and the warning throttle, on a clock the test moves. */
class OutputLimitsTest {
  private final AtomicLong now = new AtomicLong(1_000_000_000L);

  @Test
  void theBudgetLetsABurstThroughThenTheRateAndCountsTheRest() {
    OutputBudget budget = new OutputBudget(1000, 4000, now::get);
    assertTrue(budget.take(4000), "the burst");
    assertFalse(budget.take(1));
    assertFalse(budget.take(999));
    assertNull(budget.summary("to the file", false), "not before a second has passed");
    now.addAndGet(TimeUnit.MILLISECONDS.toNanos(500));
    assertTrue(budget.take(500), "half a second earns 500 bytes");
    assertFalse(budget.take(1));
    now.addAndGet(TimeUnit.MILLISECONDS.toNanos(600));
    assertEquals(
        "3 line(s) (1001 bytes) over the output budget of 1000 bytes/s in the last 1 s: to the"
            + " file",
        budget.summary("to the file", false));
    assertNull(budget.summary("to the file", true), "nothing new to say");
    now.addAndGet(TimeUnit.SECONDS.toNanos(60));
    assertTrue(budget.take(4000), "the bucket refills to the burst, not beyond");
    assertFalse(budget.take(1));
  }

  @Test
  void fiftyThousandWarningsMakeAFewLines() {
    WarningThrottle throttle = new WarningThrottle(TimeUnit.SECONDS.toNanos(10), 10, now::get);
    int shown = 0;
    int summaries = 0;
    long summed = 0;
    for (int i = 0; i < 50_000; i++) {
      if (throttle.allow("bad line " + i)) {
        shown++;
      }
      if (i % 1000 == 999) {
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(100)); // 50,000 lines in 5 s
      }
      String summary = throttle.summary("lines skipped", false);
      if (summary != null) {
        summaries++;
        summed += Long.parseLong(summary.substring(0, summary.indexOf(' ')));
      }
    }
    String last = throttle.summary("lines skipped", true);
    if (last != null) {
      summaries++;
      summed += Long.parseLong(last.substring(0, last.indexOf(' ')));
      assertTrue(last.contains("(last: bad line 49999)"), last);
    }
    assertEquals(10, shown);
    assertEquals(50_000, shown + summed, "every warning is shown or counted");
    assertTrue(summaries <= 2, "summaries: " + summaries);
  }
}
