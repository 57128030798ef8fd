package io.rehoboam.notify;

import io.rehoboam.spi.Checks;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.Settings;
import java.time.DateTimeException;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The {@code server.notifications} section: where notifications go, when the daily PnL summary is
 * sent, and the optional Telegram commands. See the README's "Notifications" section for an
 * example.
 *
 * @param sinks the sinks, ids unique
 * @param summaryAt the local time of the daily PnL summary, or null for none
 * @param summaryZone the time zone of {@code summaryAt}
 * @param commands the Telegram commands, or null when off
 */
public record NotificationSettings(
    List<SinkSettings> sinks,
    LocalTime summaryAt,
    ZoneId summaryZone,
    TelegramCommandSettings commands) {

  /** The keys of the section. */
  public static final List<String> KEYS = List.of("sinks", "daily_summary", "telegram_commands");

  /** No sinks, no summary, no commands. */
  public static final NotificationSettings NONE =
      new NotificationSettings(List.of(), null, ZoneId.of("UTC"), null);

  public NotificationSettings {
    sinks = List.copyOf(Checks.notNull(sinks, "sinks"));
    Set<String> ids = new HashSet<>();
    for (SinkSettings s : sinks) {
      if (!ids.add(s.id())) {
        throw config("server.notifications.sinks: duplicate sink id '" + s.id() + "'");
      }
    }
    Checks.notNull(summaryZone, "daily_summary.zone");
    if (commands != null
        && sinks.stream()
            .noneMatch(
                s -> s.id().equals(commands.sink()) && s.type() == SinkSettings.Type.TELEGRAM)) {
      throw config(
          "server.notifications.telegram_commands.sink: no telegram sink '"
              + commands.sink()
              + "'");
    }
  }

  /** Whether anything is configured. */
  public boolean isEmpty() {
    return sinks.isEmpty();
  }

  /**
   * Reads the section ({@code server.notifications} of the configuration).
   *
   * @param section the section, possibly empty
   * @param env where {@code *_env} keys are looked up
   * @throws RehoboamException INVALID_CONFIG naming the field
   */
  public static NotificationSettings from(Settings section, Map<String, String> env) {
    String where = "server.notifications";
    if (section.names().isEmpty()) {
      return NONE;
    }
    rejectUnknown(section, KEYS, where);
    List<SinkSettings> sinks = new ArrayList<>();
    Object raw = section.raw("sinks").orElse(null);
    if (raw != null) {
      if (!(raw instanceof List<?> list)) {
        throw config(where + ".sinks: expected a list of sinks ({id, type, ...})");
      }
      for (int i = 0; i < list.size(); i++) {
        String at = where + ".sinks[" + i + "]";
        sinks.add(SinkSettings.from(map(list.get(i), at), at, env));
      }
    }
    LocalTime summaryAt = null;
    ZoneId zone = ZoneId.of("UTC");
    Settings summary = at(where, () -> section.section("daily_summary"));
    if (!summary.names().isEmpty()) {
      String at = where + ".daily_summary";
      rejectUnknown(summary, List.of("at", "zone"), at);
      String time = summary.string("at", null);
      if (time == null) {
        throw config(at + ".at: is required (a local time such as 18:00)");
      }
      try {
        summaryAt = LocalTime.parse(time.trim());
      } catch (DateTimeParseException e) {
        throw config(at + ".at: expected a time such as 18:00 but was '" + time + "'");
      }
      String zoneName = summary.string("zone", "UTC");
      try {
        zone = ZoneId.of(zoneName.trim());
      } catch (DateTimeException e) {
        throw config(at + ".zone: unknown time zone '" + zoneName + "'");
      }
    }
    Settings commandSection = at(where, () -> section.section("telegram_commands"));
    TelegramCommandSettings commands =
        commandSection.names().isEmpty()
            ? null
            : TelegramCommandSettings.from(commandSection, where + ".telegram_commands", env);
    return new NotificationSettings(sinks, summaryAt, zone, commands);
  }

  static Settings map(Object value, String where) {
    if (!(value instanceof Map<?, ?> map)) {
      throw config(where + ": expected a map");
    }
    Map<String, Object> entry = new LinkedHashMap<>();
    map.forEach((k, v) -> entry.put(String.valueOf(k), v));
    return Settings.of(entry);
  }

  static void rejectUnknown(Settings section, List<String> known, String where) {
    for (String key : section.names()) {
      if (!known.contains(key)) {
        throw config(
            where + ": unknown key '" + key + "' (known: " + String.join(", ", known) + ")");
      }
    }
  }

  static RehoboamException config(String message) {
    return new RehoboamException(ErrorCode.INVALID_CONFIG, message);
  }

  static <T> T at(String where, Supplier<T> read) {
    try {
      return read.get();
    } catch (RehoboamException e) {
      if (e.code() == ErrorCode.INVALID_CONFIG && e.getMessage().startsWith(where)) {
        throw e;
      }
      throw new RehoboamException(ErrorCode.INVALID_CONFIG, where + "." + e.getMessage(), e);
    }
  }
}
