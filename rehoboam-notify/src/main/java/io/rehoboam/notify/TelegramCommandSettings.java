package io.rehoboam.notify;

import io.rehoboam.spi.Checks;
import io.rehoboam.spi.Settings;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Telegram commands ({@code server.notifications.telegram_commands}): the bot of sink {@code sink}
 * answers {@code /status}, {@code /pnl}, {@code /stop BOT} and {@code /killswitch}, polled with
 * {@code getUpdates}, in the listed chats only, each with its scopes.
 *
 * @param sink the telegram sink whose bot token and API URL are used
 * @param pollTimeout the long-polling timeout of one {@code getUpdates}
 * @param chats the chats answered, by chat id, with their scopes
 */
public record TelegramCommandSettings(
    String sink, Duration pollTimeout, Map<String, Set<CommandScope>> chats) {

  /** What a chat may do: the API keys' scopes {@code read} and {@code control}. */
  public enum CommandScope {
    READ,
    CONTROL;

    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    static CommandScope parse(String name, String field) {
      for (CommandScope s : values()) {
        if (s.wireName().equals(name)) {
          return s;
        }
      }
      throw NotificationSettings.config(
          field + ": unknown scope '" + name + "' (commands use read and control)");
    }
  }

  public TelegramCommandSettings {
    Checks.notBlank(sink, "sink");
    Checks.notNull(pollTimeout, "poll_timeout");
    Checks.check(
        pollTimeout.toSeconds() >= 1 && pollTimeout.toSeconds() <= 50,
        "poll_timeout",
        "must be 1s..50s");
    chats = Map.copyOf(chats);
    Checks.check(!chats.isEmpty(), "chats", "must list at least one chat");
  }

  static TelegramCommandSettings from(Settings s, String where, Map<String, String> env) {
    NotificationSettings.rejectUnknown(s, List.of("sink", "poll_timeout", "chats"), where);
    Object raw = s.raw("chats").orElse(null);
    if (!(raw instanceof List<?> list) || list.isEmpty()) {
      throw NotificationSettings.config(
          where + ".chats: expected a list of chats ({chat_id_env, scopes})");
    }
    Map<String, Set<CommandScope>> chats = new LinkedHashMap<>();
    for (int i = 0; i < list.size(); i++) {
      String at = where + ".chats[" + i + "]";
      Settings chat = NotificationSettings.map(list.get(i), at);
      NotificationSettings.rejectUnknown(chat, List.of("chat_id_env", "scopes"), at);
      String variable = chat.string("chat_id_env", null);
      if (variable == null || variable.isBlank()) {
        throw NotificationSettings.config(at + ".chat_id_env: is required");
      }
      String id = env.get(variable);
      if (id == null || id.isBlank()) {
        throw NotificationSettings.config(
            at + ".chat_id_env: the environment variable '" + variable + "' is not set");
      }
      Set<CommandScope> scopes = EnumSet.noneOf(CommandScope.class);
      for (String name : NotificationSettings.at(at, () -> chat.stringList("scopes"))) {
        scopes.add(CommandScope.parse(name, at + ".scopes"));
      }
      if (scopes.isEmpty()) {
        scopes.add(CommandScope.READ);
      }
      chats.put(id.trim(), scopes);
    }
    String sink = s.string("sink", null);
    if (sink == null || sink.isBlank()) {
      throw NotificationSettings.config(where + ".sink: is required (a telegram sink's id)");
    }
    return NotificationSettings.at(
        where,
        () ->
            new TelegramCommandSettings(
                sink, s.duration("poll_timeout", Duration.ofSeconds(30)), chats));
  }
}
