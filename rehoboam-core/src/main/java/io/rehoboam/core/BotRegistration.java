package io.rehoboam.core;

import io.rehoboam.core.schedule.Schedule;
import io.rehoboam.spi.BotSpec;
import io.rehoboam.spi.Checks;
import io.rehoboam.spi.Settings;

/**
 * What it takes to register a bot: its id, the provider type that builds it, a display name,
 * whether it starts with the service, its restart policy, its settings and, optionally, the
 * schedule it runs on.
 *
 * @param schedule when the bot runs, null for none; a scheduled bot is started and stopped by its
 *     schedule, so it cannot also be {@code autostart}
 */
public record BotRegistration(
    String id,
    String type,
    String name,
    boolean autostart,
    RestartPolicy restart,
    Settings settings,
    Schedule schedule) {

  public BotRegistration {
    // BotSpec carries the id rules; building one validates id, type and name the same way
    // everywhere.
    BotSpec spec = new BotSpec(id, type, name, settings);
    name = spec.name();
    settings = spec.settings();
    restart = restart == null ? RestartPolicy.DEFAULT : restart;
    Checks.notNull(restart, "restart");
    Checks.check(
        schedule == null || !autostart,
        "autostart",
        "a bot with a schedule is started and stopped by it; drop autostart");
  }

  /** A registration without a schedule. */
  public BotRegistration(
      String id,
      String type,
      String name,
      boolean autostart,
      RestartPolicy restart,
      Settings settings) {
    this(id, type, name, autostart, restart, settings, null);
  }

  /** A registration with the default restart policy, no autostart. */
  public static BotRegistration of(String id, String type, Settings settings) {
    return new BotRegistration(id, type, id, false, RestartPolicy.DEFAULT, settings);
  }

  public BotRegistration withRestart(RestartPolicy policy) {
    return new BotRegistration(id, type, name, autostart, policy, settings, schedule);
  }

  public BotRegistration withSettings(Settings newSettings) {
    return new BotRegistration(id, type, name, autostart, restart, newSettings, schedule);
  }

  public BotRegistration withSchedule(Schedule newSchedule) {
    return new BotRegistration(id, type, name, autostart, restart, settings, newSchedule);
  }
}
