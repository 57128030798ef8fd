package io.rehoboam.core.schedule;

import com.fasterxml.jackson.annotation.JsonValue;
import io.rehoboam.spi.Checks;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.Settings;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * When a bot should run: weekly windows in a time zone (for example Mon-Fri 07:00-22:00
 * Europe/London), or a cron expression with a run length (every 15 minutes for 2 minutes).
 *
 * <p>Times are local to {@link #zone()}. Across a daylight-saving change a window or cron time that
 * falls in the skipped hour starts when the clocks have gone forward (02:30 on the spring day
 * becomes 03:30 summer time), and one that falls in the repeated hour starts at its first
 * occurrence, so it runs once. A window's end follows the same rule; a cron run lasts {@link
 * #runFor()} of real time. Windows that touch or overlap are one window.
 *
 * <p>Written in the configuration and the REST API as:
 *
 * <pre>
 * schedule:
 *   time_zone: Europe/London
 *   windows:
 *     - days: MON-FRI          # or [MON, WED, FRI], or MON,WED
 *       from: "07:00"
 *       to: "22:00"            # not after from: closes the next day
 * schedule:
 *   time_zone: UTC
 *   cron: "*&#47;15 * * * *"
 *   run_for: 2m
 * </pre>
 */
public final class Schedule {
  /** The longest cron run: longer runs are windows. */
  public static final Duration MAX_RUN_FOR = Duration.ofDays(7);

  /** How long a window may stay open (windows merged) before it counts as never closing. */
  private static final Duration HORIZON = Duration.ofDays(400);

  /**
   * How far ahead the next window is looked for: as far as a cron expression is followed, so that a
   * yearly or leap-day schedule still opens.
   */
  private static final Duration SEARCH = Duration.ofDays(5 * 366 + 2);

  private static final List<String> KEYS = List.of("time_zone", "windows", "cron", "run_for");
  private static final List<String> WINDOW_KEYS = List.of("days", "from", "to");

  private final ZoneId zone;
  private final List<WeeklyWindow> windows;
  private final CronExpression cron;
  private final Duration runFor;

  private Schedule(ZoneId zone, List<WeeklyWindow> windows, CronExpression cron, Duration runFor) {
    this.zone = zone;
    this.windows = windows;
    this.cron = cron;
    this.runFor = runFor;
  }

  /** A schedule of weekly windows. */
  public static Schedule weekly(ZoneId zone, List<WeeklyWindow> windows) {
    Checks.notNull(zone, "time_zone");
    Checks.notNull(windows, "windows");
    Checks.check(!windows.isEmpty(), "windows", "must list at least one window");
    return new Schedule(zone, List.copyOf(windows), null, null);
  }

  /** A schedule that opens at every match of {@code cron} and stays open for {@code runFor}. */
  public static Schedule cron(ZoneId zone, CronExpression cron, Duration runFor) {
    Checks.notNull(zone, "time_zone");
    Checks.notNull(cron, "cron");
    Checks.notNull(runFor, "run_for");
    Checks.check(
        !runFor.isNegative() && !runFor.isZero() && runFor.compareTo(MAX_RUN_FOR) <= 0,
        "run_for",
        "must be more than 0 and at most 7 days but was " + runFor);
    return new Schedule(zone, List.of(), cron, runFor);
  }

  public ZoneId zone() {
    return zone;
  }

  /** The weekly windows; empty for a cron schedule. */
  public List<WeeklyWindow> windows() {
    return windows;
  }

  /** The cron expression, null for a weekly schedule. */
  public CronExpression cronExpression() {
    return cron;
  }

  /** How long each cron run lasts, null for a weekly schedule. */
  public Duration runFor() {
    return runFor;
  }

  // ---------------------------------------------------------------- when

  /** Whether the bot should run at {@code t}. */
  public boolean isOpen(Instant t) {
    Interval i = firstEndingAfter(t);
    return i != null && !i.start.isAfter(t);
  }

  /**
   * The first instant after {@code t} at which the schedule opens, or null if it never does (or
   * never closes first).
   */
  public Instant nextStart(Instant t) {
    Interval i = firstEndingAfter(t);
    if (i == null) {
      return null;
    }
    if (i.start.isAfter(t)) {
      return i.start;
    }
    if (i.end == null) {
      return null;
    }
    Interval next = firstEndingAfter(i.end);
    return next == null ? null : next.start;
  }

  /**
   * The first instant after {@code t} at which the schedule closes (the end of the window open at
   * {@code t}, or of the next one), or null if it never closes.
   */
  public Instant nextStop(Instant t) {
    Interval i = firstEndingAfter(t);
    return i == null ? null : i.end;
  }

  /** The first instant after {@code t} at which the schedule opens or closes, or null for none. */
  public Instant nextTransition(Instant t) {
    Interval i = firstEndingAfter(t);
    if (i == null) {
      return null;
    }
    return i.start.isAfter(t) ? i.start : i.end;
  }

  /** A merged open interval; {@code end} null means it does not close within the horizon. */
  private record Interval(Instant start, Instant end) {}

  /**
   * The first merged open interval that ends after {@code t}; null if none starts within {@link
   * #SEARCH}; its end null if it stays open for {@link #HORIZON}.
   */
  private Interval firstEndingAfter(Instant t) {
    Instant limit = t.plus(SEARCH);
    Cursor raw = cron != null ? new CronCursor(t.minus(runFor)) : new WindowCursor(t);
    Interval current = null;
    while (true) {
      Interval next = raw.next(limit);
      if (next == null) {
        if (current != null) {
          return current;
        }
        return null;
      }
      if (current == null) {
        if (next.end.isAfter(t)) {
          current = next;
          limit = current.start.plus(HORIZON);
        }
        continue;
      }
      if (next.start.isAfter(current.end)) {
        return current;
      }
      if (next.end.isAfter(current.end)) {
        current = new Interval(current.start, next.end);
      }
      if (current.end.isAfter(limit)) {
        return new Interval(current.start, null);
      }
    }
  }

  /** Raw (unmerged) open intervals in order of start. */
  private interface Cursor {
    /** The next interval starting no later than {@code limit}, or null. */
    Interval next(Instant limit);
  }

  private final class CronCursor implements Cursor {
    /** Runs that end by then are of no interest. */
    private final Instant from;

    private LocalDateTime local;
    private Instant previousStart;

    CronCursor(Instant from) {
      this.from = from;
      // A day early in local time: a daylight-saving change never hides a match near `from`.
      this.local = LocalDateTime.ofInstant(from, zone).minusDays(1);
    }

    @Override
    public Interval next(Instant limit) {
      while (true) {
        local = cron.next(local);
        if (local == null) {
          return null;
        }
        Instant start = ZonedDateTime.ofLocal(local, zone, null).toInstant();
        if (start.isAfter(limit)) {
          return null;
        }
        if (!start.plus(runFor).isAfter(from)
            || (previousStart != null && !start.isAfter(previousStart))) {
          // over before `from`, or a skipped-hour time moved onto a real one: it starts once
          continue;
        }
        previousStart = start;
        return new Interval(start, start.plus(runFor));
      }
    }
  }

  private final class WindowCursor implements Cursor {
    private LocalDate day;
    private final List<Interval> pending = new ArrayList<>();

    WindowCursor(Instant t) {
      // A window lasts at most a day, so one that holds t opened at most two local days earlier.
      this.day = LocalDate.ofInstant(t, zone).minusDays(2);
    }

    @Override
    public Interval next(Instant limit) {
      while (pending.isEmpty()) {
        if (ZonedDateTime.of(day, LocalTime.MIN, zone).toInstant().isAfter(limit)) {
          return null;
        }
        for (WeeklyWindow w : windows) {
          if (w.days().contains(day.getDayOfWeek())) {
            Instant start = ZonedDateTime.ofLocal(day.atTime(w.from()), zone, null).toInstant();
            LocalDate endDay = w.crossesMidnight() ? day.plusDays(1) : day;
            Instant end = ZonedDateTime.ofLocal(endDay.atTime(w.to()), zone, null).toInstant();
            if (end.isAfter(start)) {
              pending.add(new Interval(start, end));
            }
          }
        }
        pending.sort((a, b) -> a.start.compareTo(b.start));
        day = day.plusDays(1);
      }
      return pending.remove(0);
    }
  }

  // ---------------------------------------------------------------- text form

  /**
   * Reads a schedule from its configuration form (a map, as YAML or JSON gives it).
   *
   * @param at where it was found, for error messages (for example {@code bots[a].schedule})
   * @throws RehoboamException INVALID_ARGUMENT naming the field and the problem
   */
  public static Schedule parse(Object value, String at) {
    if (!(value instanceof Map<?, ?> fields)) {
      throw invalid(at, "expected a map with windows or cron but was " + describe(value));
    }
    for (Object key : fields.keySet()) {
      if (!KEYS.contains(String.valueOf(key))) {
        throw invalid(at, "unknown key '" + key + "' (known: " + String.join(", ", KEYS) + ")");
      }
    }
    ZoneId zone = zone(fields.get("time_zone"), at + ".time_zone");
    Object windows = fields.get("windows");
    Object cron = fields.get("cron");
    if ((windows == null) == (cron == null)) {
      throw invalid(
          at,
          "give either windows or cron (with run_for), not " + (cron == null ? "neither" : "both"));
    }
    if (cron != null) {
      if (!(cron instanceof String text)) {
        throw invalid(
            at + ".cron", "expected a cron expression in quotes but was " + describe(cron));
      }
      CronExpression expression;
      try {
        expression = CronExpression.parse(text);
      } catch (RehoboamException e) {
        throw invalid(at + ".cron", e.getMessage().replaceFirst("^cron: ", ""));
      }
      Object runFor = fields.get("run_for");
      if (runFor == null) {
        throw invalid(at, "a cron schedule needs run_for (how long each run lasts, e.g. 2m)");
      }
      Duration d = Settings.parseDuration(String.valueOf(runFor).trim());
      if (d == null || d.isZero() || d.isNegative() || d.compareTo(MAX_RUN_FOR) > 0) {
        throw invalid(
            at + ".run_for",
            "expected a duration above 0 and at most 7d (such as 2m, 1h) but was "
                + describe(runFor));
      }
      return cron(zone, expression, d);
    }
    if (fields.get("run_for") != null) {
      throw invalid(at + ".run_for", "only a cron schedule has run_for");
    }
    if (!(windows instanceof List<?> list) || list.isEmpty()) {
      throw invalid(
          at + ".windows",
          "expected a list of windows (days, from, to) but was " + describe(windows));
    }
    List<WeeklyWindow> parsed = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      parsed.add(window(list.get(i), at + ".windows[" + i + "]"));
    }
    return weekly(zone, parsed);
  }

  private static WeeklyWindow window(Object value, String at) {
    if (!(value instanceof Map<?, ?> fields)) {
      throw invalid(at, "expected a map with days, from and to but was " + describe(value));
    }
    for (Object key : fields.keySet()) {
      if (!WINDOW_KEYS.contains(String.valueOf(key))) {
        throw invalid(
            at, "unknown key '" + key + "' (known: " + String.join(", ", WINDOW_KEYS) + ")");
      }
    }
    return new WeeklyWindow(
        days(fields.get("days"), at + ".days"),
        time(fields.get("from"), at + ".from"),
        time(fields.get("to"), at + ".to"));
  }

  private static ZoneId zone(Object value, String at) {
    if (value == null) {
      return ZoneId.of("UTC");
    }
    try {
      return ZoneId.of(String.valueOf(value).trim());
    } catch (DateTimeException e) {
      throw invalid(
          at, "unknown time zone '" + value + "' (use a region such as Europe/London, or UTC)");
    }
  }

  private static LocalTime time(Object value, String at) {
    if (value == null) {
      throw invalid(at, "missing (a local time such as \"07:00\")");
    }
    if (!(value instanceof String s)) {
      throw invalid(
          at, "expected a local time in quotes such as \"07:00\" but was " + describe(value));
    }
    try {
      return LocalTime.parse(s.trim());
    } catch (DateTimeParseException e) {
      throw invalid(at, "expected a local time such as \"07:00\" but was '" + s + "'");
    }
  }

  private static Set<DayOfWeek> days(Object value, String at) {
    if (value == null) {
      return EnumSet.allOf(DayOfWeek.class);
    }
    List<String> parts = new ArrayList<>();
    if (value instanceof List<?> list) {
      list.forEach(v -> parts.add(String.valueOf(v)));
    } else if (value instanceof String s) {
      parts.addAll(List.of(s.split(",")));
    } else {
      throw invalid(at, "expected days such as MON-FRI or [MON, WED] but was " + describe(value));
    }
    EnumSet<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
    for (String part : parts) {
      String p = part.trim();
      int dash = p.indexOf('-');
      if (dash > 0) {
        DayOfWeek from = day(p.substring(0, dash), at);
        DayOfWeek to = day(p.substring(dash + 1), at);
        for (DayOfWeek d = from; ; d = d.plus(1)) {
          days.add(d);
          if (d == to) {
            break;
          }
        }
      } else {
        days.add(day(p, at));
      }
    }
    if (days.isEmpty()) {
      throw invalid(at, "must name at least one day");
    }
    return days;
  }

  private static DayOfWeek day(String text, String at) {
    String t = text.trim().toUpperCase(Locale.ROOT);
    for (DayOfWeek d : DayOfWeek.values()) {
      if (t.length() >= 3 && d.name().startsWith(t)) {
        return d;
      }
    }
    throw invalid(at, "'" + text.trim() + "' is not a day (MON, TUE, WED, THU, FRI, SAT, SUN)");
  }

  private static RehoboamException invalid(String at, String problem) {
    return RehoboamException.invalid(at, problem);
  }

  private static String describe(Object value) {
    if (value == null) {
      return "nothing";
    }
    if (value instanceof Map<?, ?>) {
      return "a map";
    }
    if (value instanceof List<?>) {
      return "a list";
    }
    return (value instanceof String ? "'" + value + "'" : value.toString());
  }

  /** The configuration form, as {@link #parse} reads it; also the JSON form. */
  @JsonValue
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("time_zone", zone.getId());
    if (cron != null) {
      m.put("cron", cron.toString());
      m.put("run_for", runFor.toString());
    } else {
      List<Map<String, Object>> ws = new ArrayList<>();
      for (WeeklyWindow w : windows) {
        Map<String, Object> wm = new LinkedHashMap<>();
        List<String> names = new ArrayList<>();
        for (DayOfWeek d : DayOfWeek.values()) {
          if (w.days().contains(d)) {
            names.add(d.name().substring(0, 3));
          }
        }
        wm.put("days", names);
        wm.put("from", w.from().toString());
        wm.put("to", w.to().toString());
        ws.add(wm);
      }
      m.put("windows", ws);
    }
    return m;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Schedule s && s.toMap().equals(toMap());
  }

  @Override
  public int hashCode() {
    return toMap().hashCode();
  }

  @Override
  public String toString() {
    return toMap().toString();
  }
}
