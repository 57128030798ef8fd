package io.rehoboam.core.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.spi.RehoboamException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScheduleTest {
  private static final ZoneId LONDON = ZoneId.of("Europe/London");

  private static Instant london(int y, int m, int d, int h, int min) {
    return ZonedDateTime.of(LocalDateTime.of(y, m, d, h, min), LONDON).toInstant();
  }

  private static Schedule parse(Map<String, Object> form) {
    return Schedule.parse(form, "schedule");
  }

  private static final Schedule WEEKDAYS =
      parse(
          Map.of(
              "time_zone",
              "Europe/London",
              "windows",
              List.of(Map.of("days", "MON-FRI", "from", "07:00", "to", "22:00"))));

  @Test
  void weekdayWindowsOpenAndCloseInLocalTime() {
    // Monday 7 December 2026 (GMT = UTC).
    assertFalse(WEEKDAYS.isOpen(london(2026, 12, 7, 6, 59)));
    assertTrue(WEEKDAYS.isOpen(london(2026, 12, 7, 7, 0)));
    assertTrue(WEEKDAYS.isOpen(london(2026, 12, 7, 21, 59)));
    assertFalse(WEEKDAYS.isOpen(london(2026, 12, 7, 22, 0)));
    assertEquals(london(2026, 12, 7, 7, 0), WEEKDAYS.nextStart(london(2026, 12, 7, 3, 0)));
    assertEquals(london(2026, 12, 7, 22, 0), WEEKDAYS.nextStop(london(2026, 12, 7, 3, 0)));
    assertEquals(london(2026, 12, 8, 7, 0), WEEKDAYS.nextStart(london(2026, 12, 7, 12, 0)));
    // Friday evening -> Monday morning.
    assertEquals(london(2026, 12, 14, 7, 0), WEEKDAYS.nextStart(london(2026, 12, 11, 22, 0)));
    assertFalse(WEEKDAYS.isOpen(london(2026, 12, 12, 12, 0)), "Saturday");
  }

  @Test
  void aWindowAcrossMidnightClosesTheNextDay() {
    Schedule night =
        parse(
            Map.of(
                "time_zone",
                "Europe/London",
                "windows",
                List.of(Map.of("days", List.of("FRI"), "from", "22:00", "to", "02:00"))));
    assertTrue(night.isOpen(london(2026, 12, 11, 23, 30)));
    assertTrue(night.isOpen(london(2026, 12, 12, 1, 59)), "Saturday 01:59 belongs to Friday's");
    assertFalse(night.isOpen(london(2026, 12, 12, 2, 0)));
    assertFalse(night.isOpen(london(2026, 12, 11, 1, 0)), "Friday 01:00 belongs to Thursday");
    assertEquals(london(2026, 12, 12, 2, 0), night.nextStop(london(2026, 12, 11, 23, 0)));
    assertEquals(london(2026, 12, 18, 22, 0), night.nextStart(london(2026, 12, 11, 23, 0)));
  }

  @Test
  void windowsThatTouchAreOneWindow() {
    Schedule always =
        parse(
            Map.of("windows", List.of(Map.of("days", "MON-SUN", "from", "00:00", "to", "00:00"))));
    Instant t = Instant.parse("2026-12-07T12:00:00Z");
    assertTrue(always.isOpen(t));
    assertNull(always.nextStop(t), "never closes");
    assertNull(always.nextStart(t), "never opens again");
    assertNull(always.nextTransition(t));

    Schedule split =
        parse(
            Map.of(
                "windows",
                List.of(
                    Map.of("days", "MON", "from", "08:00", "to", "12:00"),
                    Map.of("days", "MON", "from", "12:00", "to", "16:00"))));
    assertEquals(
        Instant.parse("2026-12-07T16:00:00Z"),
        split.nextStop(Instant.parse("2026-12-07T09:00:00Z")));
  }

  @Test
  void springForwardWindowOpeningInTheSkippedHourOpensWhenTheClocksHaveGoneForward() {
    // 29 March 2026: 01:00 GMT becomes 02:00 BST; 01:30 does not exist in London.
    Schedule s =
        parse(
            Map.of(
                "time_zone",
                "Europe/London",
                "windows",
                List.of(Map.of("days", "SUN", "from", "01:30", "to", "03:00"))));
    Instant opens = s.nextStart(Instant.parse("2026-03-29T00:00:00Z"));
    assertEquals(Instant.parse("2026-03-29T01:30:00Z"), opens, "02:30 BST = 01:30 UTC");
    assertEquals(Instant.parse("2026-03-29T02:00:00Z"), s.nextStop(opens), "03:00 BST");
    // A weekday window keeps its local hours across the change: 07:00 BST = 06:00 UTC.
    assertEquals(
        Instant.parse("2026-03-30T06:00:00Z"),
        WEEKDAYS.nextStart(Instant.parse("2026-03-29T12:00:00Z")));
    assertEquals(
        Instant.parse("2026-03-27T07:00:00Z"),
        WEEKDAYS.nextStart(Instant.parse("2026-03-26T22:00:00Z")),
        "before the change 07:00 GMT = 07:00 UTC");
  }

  @Test
  void fallBackWindowInTheRepeatedHourRunsOnce() {
    // 25 October 2026: 02:00 BST becomes 01:00 GMT; 01:00-02:00 happens twice.
    Schedule s =
        parse(
            Map.of(
                "time_zone",
                "Europe/London",
                "windows",
                List.of(Map.of("days", "SUN", "from", "01:15", "to", "01:45"))));
    Instant first = s.nextStart(Instant.parse("2026-10-24T12:00:00Z"));
    assertEquals(Instant.parse("2026-10-25T00:15:00Z"), first, "the first 01:15 (BST)");
    assertEquals(Instant.parse("2026-10-25T00:45:00Z"), s.nextStop(first));
    assertEquals(
        Instant.parse("2026-11-01T01:15:00Z"),
        s.nextStart(Instant.parse("2026-10-25T00:50:00Z")),
        "no second run in the repeated hour");
  }

  @Test
  void cronEveryFifteenMinutesForTwoMinutes() {
    Schedule s = parse(Map.of("cron", "*/15 * * * *", "run_for", "2m"));
    assertTrue(s.isOpen(Instant.parse("2026-12-07T10:15:00Z")));
    assertTrue(s.isOpen(Instant.parse("2026-12-07T10:16:59Z")));
    assertFalse(s.isOpen(Instant.parse("2026-12-07T10:17:00Z")));
    assertEquals(
        Instant.parse("2026-12-07T10:17:00Z"), s.nextStop(Instant.parse("2026-12-07T10:15:30Z")));
    assertEquals(
        Instant.parse("2026-12-07T10:30:00Z"), s.nextStart(Instant.parse("2026-12-07T10:15:30Z")));
    assertEquals(
        Instant.parse("2026-12-07T10:30:00Z"),
        s.nextTransition(Instant.parse("2026-12-07T10:20:00Z")));
  }

  @Test
  void aLeapDayScheduleStillHasItsNextStartYearsAhead() {
    Schedule s = parse(Map.of("cron", "0 3 29 2 *", "run_for", "1h"));
    Instant t = Instant.parse("2026-12-07T10:00:00Z");
    assertEquals(Instant.parse("2028-02-29T03:00:00Z"), s.nextStart(t));
    assertEquals(Instant.parse("2028-02-29T04:00:00Z"), s.nextStop(t));
    assertEquals(Instant.parse("2028-02-29T03:00:00Z"), s.nextTransition(t));
  }

  @Test
  void cronRunsThatOverlapMergeIntoOne() {
    Schedule s = parse(Map.of("cron", "*/15 * * * *", "run_for", "20m"));
    assertNull(s.nextStop(Instant.parse("2026-12-07T10:15:30Z")), "it never closes");
    Schedule hourly = parse(Map.of("cron", "0,10 * * * *", "run_for", "15m"));
    assertEquals(
        Instant.parse("2026-12-07T10:25:00Z"),
        hourly.nextStop(Instant.parse("2026-12-07T10:01:00Z")));
  }

  @Test
  void cronAcrossDaylightSavingChanges() {
    // Daily at 01:30 London time for 10 minutes: on 29 March 01:30 does not exist -> 02:30 BST.
    Schedule s =
        parse(Map.of("time_zone", "Europe/London", "cron", "30 1 * * *", "run_for", "10m"));
    assertEquals(
        Instant.parse("2026-03-29T01:30:00Z"), s.nextStart(Instant.parse("2026-03-28T12:00:00Z")));
    assertEquals(
        Instant.parse("2026-03-30T00:30:00Z"), s.nextStart(Instant.parse("2026-03-29T12:00:00Z")));
    // On 25 October 01:30 happens twice: it runs at the first.
    assertEquals(
        Instant.parse("2026-10-25T00:30:00Z"), s.nextStart(Instant.parse("2026-10-24T12:00:00Z")));
    assertEquals(
        Instant.parse("2026-10-26T01:30:00Z"), s.nextStart(Instant.parse("2026-10-25T00:45:00Z")));
  }

  @Test
  void theConfigurationFormRoundTrips() {
    Schedule cron =
        parse(Map.of("time_zone", "Europe/London", "cron", "*/15 * * * *", "run_for", "2m"));
    assertEquals(cron, Schedule.parse(cron.toMap(), "x"));
    assertEquals(WEEKDAYS, Schedule.parse(WEEKDAYS.toMap(), "x"));
    assertEquals(
        Map.of(
            "time_zone",
            "Europe/London",
            "windows",
            List.of(
                Map.of(
                    "days",
                    List.of("MON", "TUE", "WED", "THU", "FRI"),
                    "from",
                    "07:00",
                    "to",
                    "22:00"))),
        WEEKDAYS.toMap());
  }

  @Test
  void badSchedulesNameTheFieldAndTheProblem() {
    assertProblem("x", "schedule: expected a map with windows or cron but was 'x'");
    assertProblem(Map.of(), "give either windows or cron (with run_for), not neither");
    assertProblem(Map.of("cron", "* * * * *", "run_for", "1m", "windows", List.of()), "not both");
    assertProblem(Map.of("cron", "* * * * *"), "a cron schedule needs run_for");
    assertProblem(
        Map.of("cron", "* * * * *", "run_for", "8d"), "schedule.run_for: expected a duration");
    assertProblem(Map.of("cron", "61 * * * *", "run_for", "1m"), "schedule.cron: the minute field");
    assertProblem(
        Map.of("time_zone", "Mars/Olympus", "cron", "* * * * *", "run_for", "1m"),
        "schedule.time_zone: unknown time zone 'Mars/Olympus'");
    assertProblem(
        Map.of("windows", List.of(Map.of("days", "MON", "from", 420, "to", "22:00"))),
        "schedule.windows[0].from: expected a local time in quotes such as \"07:00\" but was 420");
    assertProblem(
        Map.of("windows", List.of(Map.of("days", "MON", "from", "25:00", "to", "22:00"))),
        "schedule.windows[0].from: expected a local time such as \"07:00\" but was '25:00'");
    assertProblem(
        Map.of("windows", List.of(Map.of("days", "MOON", "from", "07:00", "to", "22:00"))),
        "schedule.windows[0].days: 'MOON' is not a day");
    assertProblem(
        Map.of("windows", List.of(Map.of("day", "MON", "from", "07:00", "to", "22:00"))),
        "schedule.windows[0]: unknown key 'day'");
    assertProblem(Map.of("windows", List.of()), "schedule.windows: expected a list of windows");
    assertProblem(
        Map.of("windows", List.of(Map.of("from", "07:00", "to", "22:00")), "run_for", "1m"),
        "schedule.run_for: only a cron schedule has run_for");
    assertProblem(
        Map.of("cron", "* * * * *", "run_for", "1m", "zone", "UTC"),
        "schedule: unknown key 'zone'");
  }

  private static void assertProblem(Object form, String expected) {
    RehoboamException e =
        assertThrows(RehoboamException.class, () -> Schedule.parse(form, "schedule"));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
