package io.rehoboam.notify;

import io.rehoboam.spi.Settings;
import io.rehoboam.testsupport.HttpStandIn;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Test settings built the way the configuration reads them. */
final class Sinks {
  static final String TOKEN = "123456789:AAH-secret-token-do-not-leak";
  static final String CHAT = "-1001234567";
  static final String HOOK_SECRET = "hook-secret-abc123XYZ";

  private Sinks() {}

  static Map<String, String> env(HttpStandIn standIn) {
    return Map.of(
        "TELEGRAM_BOT_TOKEN",
        TOKEN,
        "TELEGRAM_CHAT_ID",
        CHAT,
        "DISCORD_WEBHOOK_URL",
        standIn.uri() + "/api/webhooks/42/" + HOOK_SECRET,
        "SLACK_WEBHOOK_URL",
        standIn.uri() + "/services/T0/B0/" + HOOK_SECRET);
  }

  static Map<String, Object> telegram(HttpStandIn standIn, Object... more) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", "ops");
    m.put("type", "telegram");
    m.put("api_url", standIn.uri().toString());
    m.put("token_env", "TELEGRAM_BOT_TOKEN");
    m.put("chat_id_env", "TELEGRAM_CHAT_ID");
    for (int i = 0; i < more.length; i += 2) {
      m.put((String) more[i], more[i + 1]);
    }
    return m;
  }

  static NotificationSettings settings(HttpStandIn standIn, List<Map<String, Object>> sinks) {
    return NotificationSettings.from(Settings.of(Map.of("sinks", sinks)), env(standIn));
  }
}
