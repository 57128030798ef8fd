package io.rehoboam.core.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

class CronExpressionTest {
  private static final LocalDateTime MON_0701 = LocalDateTime.of(2026, 12, 7, 7, 1);

  @Test
  void everyFifteenMinutes() {
    CronExpression c = CronExpression.parse("*/15 * * * *");
    assertEquals(LocalDateTime.of(2026, 12, 7, 7, 15), c.next(MON_0701));
    assertEquals(LocalDateTime.of(2026, 12, 7, 8, 0), c.next(LocalDateTime.of(2026, 12, 7, 7, 45)));
    assertEquals(
        LocalDateTime.of(2027, 1, 1, 0, 0), c.next(LocalDateTime.of(2026, 12, 31, 23, 59, 30)));
  }

  @Test
  void rangesListsStepsAndNames() {
    CronExpression c = CronExpression.parse("0,30 9-17/4 * JAN-mar,DEC mon-FRI");
    assertEquals(LocalDateTime.of(2026, 12, 7, 9, 0), c.next(MON_0701));
    assertEquals(
        LocalDateTime.of(2026, 12, 7, 13, 0), c.next(LocalDateTime.of(2026, 12, 7, 9, 30)));
    assertEquals(
        LocalDateTime.of(2026, 12, 8, 9, 0), c.next(LocalDateTime.of(2026, 12, 7, 17, 30)));
    // Friday 11 Dec 17:30 -> Monday 14 Dec 09:00
    assertEquals(
        LocalDateTime.of(2026, 12, 14, 9, 0), c.next(LocalDateTime.of(2026, 12, 11, 17, 30)));
    assertTrue(c.matches(LocalDateTime.of(2027, 2, 3, 17, 30)));
    assertFalse(c.matches(LocalDateTime.of(2027, 4, 5, 9, 0)), "April is not listed");
  }

  @Test
  void sundayIsZeroOrSeven() {
    CronExpression zero = CronExpression.parse("0 12 * * 0");
    CronExpression seven = CronExpression.parse("0 12 * * 7");
    LocalDateTime sunday = LocalDateTime.of(2026, 12, 13, 12, 0);
    assertEquals(sunday, zero.next(MON_0701));
    assertEquals(sunday, seven.next(MON_0701));
  }

  @Test
  void restrictedDayOfMonthAndDayOfWeekMatchEitherAsInVixieCron() {
    // The 1st of the month or any Friday.
    CronExpression c = CronExpression.parse("0 0 1 * FRI");
    assertEquals(LocalDateTime.of(2026, 12, 11, 0, 0), c.next(MON_0701));
    assertEquals(LocalDateTime.of(2027, 1, 1, 0, 0), c.next(LocalDateTime.of(2026, 12, 25, 0, 0)));
    // With day-of-week '*', only the day of the month counts.
    assertEquals(
        LocalDateTime.of(2027, 1, 1, 0, 0), CronExpression.parse("0 0 1 * *").next(MON_0701));
  }

  @Test
  void aDateThatNeverComesHasNoNext() {
    assertNull(CronExpression.parse("0 0 30 2 *").next(MON_0701));
    assertEquals(
        LocalDateTime.of(2028, 2, 29, 0, 0), CronExpression.parse("0 0 29 2 *").next(MON_0701));
  }

  @Test
  void badExpressionsNameTheFieldAndTheProblem() {
    assertProblem("*/15 * * *", "expected 5 fields");
    assertProblem("60 * * * *", "the minute field '60': 60 is outside 0-59");
    assertProblem("* 24 * * *", "the hour field '24': 24 is outside 0-23");
    assertProblem("* * 0 * *", "the day of month field '0': 0 is outside 1-31");
    assertProblem("* * * FOO *", "the month field 'FOO': 'FOO' is not a number or a name");
    assertProblem("* * * * 1-x", "'x' is not a number or a name");
    assertProblem("5-1 * * * *", "the range 5-1 runs backwards");
    assertProblem("*/0 * * * *", "0 is outside 1-59");
    assertProblem(" ", "must not be blank");
  }

  private static void assertProblem(String cron, String expected) {
    RehoboamException e = assertThrows(RehoboamException.class, () -> CronExpression.parse(cron));
    assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
