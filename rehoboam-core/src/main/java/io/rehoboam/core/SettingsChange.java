package io.rehoboam.core;

import java.util.Map;

/**
 * What changing a bot's settings did.
 *
 * @param applied {@code restarted} (it was running: restarted with them now) or {@code stored} (not
 *     running: its next start uses them); either way they are kept across restarts
 * @param settings the bot's settings now, sensitive ones masked
 * @param status its status after the change
 */
public record SettingsChange(
    String botId, String applied, Map<String, Object> settings, BotStatus status) {
  public static final String RESTARTED = "restarted";
  public static final String STORED = "stored";
}
