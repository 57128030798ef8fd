package io.rehoboam.core.config;

import io.rehoboam.core.RestartPolicy;
import io.rehoboam.core.schedule.Schedule;
import io.rehoboam.spi.BotSpec;
import io.rehoboam.spi.Checks;
import io.rehoboam.spi.Settings;
import java.util.Map;

/**
 * One entry of the configuration's {@code bots} section, environment overrides already applied.
 * {@link #toString()} lists setting names only, never values.
 *
 * @param id unique bot id, the rules of {@link BotSpec#id()}
 * @param type provider type id, non-blank
 * @param name display name; null or blank means {@code id}
 * @param autostart whether the service starts the bot when it starts
 * @param restart supervision policy; null means {@link RestartPolicy#DEFAULT}
 * @param settings what the provider gets; null means empty
 * @param overriddenBy setting name -> the environment variable that set it; null means none. Every
 *     key is one of {@code settings}' names.
 * @param schedule when the bot runs, null for none (then it cannot be autostart)
 */
public record BotConfig(
    String id,
    String type,
    String name,
    boolean autostart,
    RestartPolicy restart,
    Settings settings,
    Map<String, String> overriddenBy,
    Schedule schedule) {

  public BotConfig {
    BotSpec spec = new BotSpec(id, type, name, settings);
    name = spec.name();
    settings = spec.settings();
    restart = restart == null ? RestartPolicy.DEFAULT : restart;
    overriddenBy = overriddenBy == null ? Map.of() : Map.copyOf(overriddenBy);
    for (String setting : overriddenBy.keySet()) {
      Checks.check(settings.has(setting), "overriddenBy", "names no setting '" + setting + "'");
    }
    Checks.check(
        schedule == null || !autostart,
        "autostart",
        "a bot with a schedule is started and stopped by it; drop autostart");
  }

  /** A bot without a schedule. */
  public BotConfig(
      String id,
      String type,
      String name,
      boolean autostart,
      RestartPolicy restart,
      Settings settings,
      Map<String, String> overriddenBy) {
    this(id, type, name, autostart, restart, settings, overriddenBy, null);
  }

  /** A bot without environment overrides. */
  public BotConfig(
      String id,
      String type,
      String name,
      boolean autostart,
      RestartPolicy restart,
      Settings settings) {
    this(id, type, name, autostart, restart, settings, Map.of(), null);
  }

  /** What the provider is asked to build. */
  public BotSpec spec() {
    return new BotSpec(id, type, name, settings);
  }
}
