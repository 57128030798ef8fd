package io.rehoboam.core.schedule;

import io.rehoboam.spi.Checks;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.util.EnumSet;
import java.util.Set;

/**
 * A window that opens on each of {@code days} at {@code from} (local time) and closes at {@code
 * to}: the same day when {@code to} is after {@code from}, otherwise the next day (a window across
 * midnight; {@code from == to} is a whole day).
 */
public record WeeklyWindow(Set<DayOfWeek> days, LocalTime from, LocalTime to) {
  public WeeklyWindow {
    Checks.notNull(days, "days");
    Checks.check(!days.isEmpty(), "days", "must name at least one day");
    Checks.notNull(from, "from");
    Checks.notNull(to, "to");
    days = Set.copyOf(EnumSet.copyOf(days));
  }

  /** Whether the window closes on the day after it opens. */
  public boolean crossesMidnight() {
    return !to.isAfter(from);
  }
}
