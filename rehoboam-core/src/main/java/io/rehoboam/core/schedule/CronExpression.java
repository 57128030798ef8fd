package io.rehoboam.core.schedule;

import io.rehoboam.spi.RehoboamException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.BitSet;
import java.util.Locale;
import java.util.Objects;

/**
 * A five-field Unix cron expression ({@code minute hour day-of-month month day-of-week}), matched
 * against local date-times.
 *
 * <p>Each field takes {@code *}, a value, a range {@code a-b}, a step {@code * /n} or {@code a-b/n}
 * or {@code a/n}, and comma-separated lists of those. Months also take {@code JAN}..{@code DEC};
 * days of the week {@code 0}..{@code 7} (0 and 7 are Sunday) or {@code SUN}..{@code SAT}. As in
 * Vixie cron, when both day-of-month and day-of-week are restricted (neither starts with {@code
 * *}), a day matches if either matches.
 */
public final class CronExpression {
  private static final String[] MONTHS = {
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"
  };
  private static final String[] DAYS = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};

  /** How far ahead {@link #next} looks before it says there is no next time. */
  private static final int MAX_YEARS_AHEAD = 5;

  private final String text;
  private final BitSet minutes;
  private final BitSet hours;
  private final BitSet daysOfMonth;
  private final BitSet months;
  private final BitSet daysOfWeek;
  private final boolean dayOfMonthAny;
  private final boolean dayOfWeekAny;

  private CronExpression(String text, String[] f) {
    this.text = text;
    minutes = field(f[0], 0, 59, null, "minute");
    hours = field(f[1], 0, 23, null, "hour");
    daysOfMonth = field(f[2], 1, 31, null, "day of month");
    months = field(f[3], 1, 12, MONTHS, "month");
    BitSet dow = field(f[4], 0, 7, DAYS, "day of week");
    if (dow.get(7)) {
      dow.set(0);
      dow.clear(7);
    }
    daysOfWeek = dow;
    dayOfMonthAny = f[2].startsWith("*");
    dayOfWeekAny = f[4].startsWith("*");
  }

  /**
   * Parses a five-field expression.
   *
   * @throws RehoboamException INVALID_ARGUMENT naming the field and the problem
   */
  public static CronExpression parse(String text) {
    if (text == null || text.isBlank()) {
      throw RehoboamException.invalid("cron", "must not be blank");
    }
    String[] f = text.trim().split("\\s+");
    if (f.length != 5) {
      throw RehoboamException.invalid(
          "cron",
          "expected 5 fields (minute hour day-of-month month day-of-week) but was "
              + f.length
              + " in '"
              + text.trim()
              + "'");
    }
    return new CronExpression(text.trim(), f);
  }

  /** Whether the minute {@code t} (seconds ignored) matches. */
  public boolean matches(LocalDateTime t) {
    return minutes.get(t.getMinute())
        && hours.get(t.getHour())
        && months.get(t.getMonthValue())
        && dayMatches(t.toLocalDate());
  }

  /**
   * The first matching minute strictly after {@code after}, or null if none in the next {@value
   * #MAX_YEARS_AHEAD} years (for example {@code 0 0 30 2 *}).
   */
  public LocalDateTime next(LocalDateTime after) {
    LocalDateTime t = after.withSecond(0).withNano(0).plusMinutes(1);
    LocalDate limit = after.toLocalDate().plusYears(MAX_YEARS_AHEAD);
    while (!t.toLocalDate().isAfter(limit)) {
      if (!months.get(t.getMonthValue())) {
        t = t.toLocalDate().withDayOfMonth(1).plusMonths(1).atStartOfDay();
        continue;
      }
      if (!dayMatches(t.toLocalDate())) {
        t = t.toLocalDate().plusDays(1).atStartOfDay();
        continue;
      }
      int hour = hours.nextSetBit(t.getHour());
      if (hour < 0) {
        t = t.toLocalDate().plusDays(1).atStartOfDay();
        continue;
      }
      if (hour != t.getHour()) {
        t = t.toLocalDate().atTime(hour, 0);
      }
      int minute = minutes.nextSetBit(t.getMinute());
      if (minute < 0) {
        t = t.toLocalDate().atTime(t.getHour(), 0).plusHours(1);
        continue;
      }
      return t.toLocalDate().atTime(LocalTime.of(t.getHour(), minute));
    }
    return null;
  }

  private boolean dayMatches(LocalDate d) {
    boolean dom = daysOfMonth.get(d.getDayOfMonth());
    boolean dow =
        daysOfWeek.get(d.getDayOfWeek() == DayOfWeek.SUNDAY ? 0 : d.getDayOfWeek().getValue());
    if (dayOfMonthAny || dayOfWeekAny) {
      return dom && dow;
    }
    return dom || dow;
  }

  private static BitSet field(String spec, int min, int max, String[] names, String name) {
    BitSet bits = new BitSet(max + 1);
    for (String part : spec.split(",", -1)) {
      String range = part;
      int step = 1;
      int slash = part.indexOf('/');
      if (slash >= 0) {
        range = part.substring(0, slash);
        step = number(part.substring(slash + 1), 1, max, null, name, spec);
      }
      int from;
      int to;
      if (range.equals("*")) {
        from = min;
        to = max;
      } else if (range.indexOf('-') > 0) {
        int dash = range.indexOf('-');
        from = number(range.substring(0, dash), min, max, names, name, spec);
        to = number(range.substring(dash + 1), min, max, names, name, spec);
        if (to < from) {
          throw bad(name, spec, "the range " + range + " runs backwards");
        }
      } else {
        from = number(range, min, max, names, name, spec);
        to = slash >= 0 ? max : from;
      }
      for (int v = from; v <= to; v += step) {
        bits.set(v);
      }
    }
    return bits;
  }

  private static int number(String s, int min, int max, String[] names, String name, String spec) {
    if (names != null) {
      String upper = s.toUpperCase(Locale.ROOT);
      for (int i = 0; i < names.length; i++) {
        if (names[i].equals(upper)) {
          return names == MONTHS ? i + 1 : i;
        }
      }
    }
    int v;
    try {
      v = Integer.parseInt(s);
    } catch (NumberFormatException e) {
      throw bad(name, spec, "'" + s + "' is not a number" + (names == null ? "" : " or a name"));
    }
    if (v < min || v > max) {
      throw bad(name, spec, v + " is outside " + min + "-" + max);
    }
    return v;
  }

  private static RehoboamException bad(String name, String spec, String problem) {
    return RehoboamException.invalid("cron", "the " + name + " field '" + spec + "': " + problem);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CronExpression c && c.text.equals(text);
  }

  @Override
  public int hashCode() {
    return Objects.hash(text);
  }

  /** The expression as written (trimmed). */
  @Override
  public String toString() {
    return text;
  }
}
