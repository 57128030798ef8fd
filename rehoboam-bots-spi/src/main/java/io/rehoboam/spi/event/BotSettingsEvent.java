package io.rehoboam.spi.event;

import io.rehoboam.spi.Checks;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An operator changed a bot's settings ({@code bot.settings}).
 *
 * @param changed the names of the settings changed, sorted
 * @param applied {@code restarted} (the bot was running and was restarted with them) or {@code
 *     stored} (it was not running: its next start uses them)
 * @param by who changed them (an API key id, {@code anonymous}, an operator's name)
 * @param settings the bot's settings after the change, sensitive ones masked ({@code ***})
 */
public record BotSettingsEvent(
    long seq,
    Instant at,
    String botId,
    List<String> changed,
    String applied,
    String by,
    Map<String, Object> settings)
    implements Event {
  public static final String TYPE = "bot.settings";

  public BotSettingsEvent {
    Checks.notNull(at, "at");
    Checks.notBlank(botId, "bot_id");
    Checks.notBlank(applied, "applied");
    changed = changed == null ? List.of() : List.copyOf(changed);
    by = by == null ? "" : by;
    // Settings may hold null values (a setting switched off): no Map.copyOf.
    settings =
        settings == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(settings));
  }

  @Override
  public String type() {
    return TYPE;
  }
}
