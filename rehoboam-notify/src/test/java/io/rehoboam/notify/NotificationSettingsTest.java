package io.rehoboam.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.core.config.ConfigLoader;
import io.rehoboam.core.config.RehoboamConfig;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NotificationSettingsTest {
  private static final Map<String, String> ENV =
      Map.of(
          "TELEGRAM_BOT_TOKEN", "123:abc-secret",
          "TELEGRAM_CHAT_ID", "-100200",
          "TELEGRAM_READER_CHAT_ID", "777",
          "DISCORD_WEBHOOK_URL", "https://discord.com/api/webhooks/1/secret",
          "SLACK_WEBHOOK_URL", "https://hooks.slack.com/services/T/B/secret");

  /** The README's example, between its markers. */
  static String readmeExample() throws Exception {
    String readme = Files.readString(Path.of(System.getProperty("rehoboam.readme")));
    int start = readme.indexOf("<!-- notifications-example -->");
    assertTrue(start >= 0, "the README has the notifications example");
    int open = readme.indexOf("```yaml\n", start) + "```yaml\n".length();
    int close = readme.indexOf("```", open);
    return readme.substring(open, close);
  }

  @Test
  void theReadmeExampleLoads() throws Exception {
    RehoboamConfig config = ConfigLoader.parse(readmeExample(), "README.md", ENV);
    NotificationSettings s =
        NotificationSettings.from(config.server().section("notifications"), ENV);
    assertEquals(3, s.sinks().size());
    SinkSettings telegram = s.sinks().get(0);
    assertEquals(SinkSettings.Type.TELEGRAM, telegram.type());
    assertEquals("123:abc-secret", telegram.token());
    assertEquals("-100200", telegram.chatId());
    assertEquals(20, telegram.maxMessages());
    assertEquals(Duration.ofMinutes(1), telegram.per());
    assertEquals(SinkSettings.Type.DISCORD, s.sinks().get(1).type());
    assertEquals(
        EnumSet.of(NoticeKind.KILL_SWITCH, NoticeKind.CRASH_LOOP, NoticeKind.BOT_ERROR),
        s.sinks().get(1).events());
    assertEquals(Severity.CRITICAL, s.sinks().get(2).minSeverity());
    assertEquals(LocalTime.of(18, 0), s.summaryAt());
    assertEquals(ZoneId.of("Europe/London"), s.summaryZone());
    assertNotNull(s.commands());
    assertEquals(2, s.commands().chats().size());
    assertFalse(s.toString().contains("abc-secret"), s.toString());
    assertFalse(s.toString().contains("webhooks/1/secret"), s.toString());
  }

  @Test
  void badInputNamesTheField() {
    assertField(
        "server.notifications.sinks[0].type",
        Map.of("sinks", List.of(Map.of("id", "a", "type", "pager"))));
    assertField(
        "server.notifications.sinks[0].token_env",
        Map.of(
            "sinks",
            List.of(
                Map.of("id", "a", "type", "telegram", "token_env", "NOPE", "chat_id_env", "X"))));
    assertField(
        "server.notifications.sinks[0].events",
        Map.of(
            "sinks",
            List.of(
                Map.of(
                    "id",
                    "a",
                    "type",
                    "discord",
                    "url_env",
                    "DISCORD_WEBHOOK_URL",
                    "events",
                    List.of("everything")))));
    assertField(
        "server.notifications.sinks[0]: unknown key 'url'",
        Map.of("sinks", List.of(Map.of("id", "a", "type", "discord", "url", "https://x"))));
    assertField(
        "server.notifications.daily_summary.at", Map.of("daily_summary", Map.of("at", "6pm")));
    assertField(
        "server.notifications.daily_summary.zone",
        Map.of("daily_summary", Map.of("at", "18:00", "zone", "Mars/Olympus")));
    assertField(
        "server.notifications.sinks[0].rate_limit.messages",
        Map.of(
            "sinks",
            List.of(
                Map.of(
                    "id",
                    "a",
                    "type",
                    "slack",
                    "url_env",
                    "SLACK_WEBHOOK_URL",
                    "rate_limit",
                    Map.of("messages", 0)))));
    assertField(
        "server.notifications.telegram_commands.sink",
        Map.of(
            "sinks",
            List.of(Map.of("id", "a", "type", "slack", "url_env", "SLACK_WEBHOOK_URL")),
            "telegram_commands",
            Map.of("sink", "a", "chats", List.of(Map.of("chat_id_env", "TELEGRAM_CHAT_ID")))));
  }

  @Test
  void aMalformedWebhookUrlIsNotRepeatedInTheError() {
    RehoboamException e =
        assertThrows(
            RehoboamException.class,
            () ->
                NotificationSettings.from(
                    Settings.of(
                        Map.of(
                            "sinks",
                            List.of(Map.of("id", "a", "type", "slack", "url_env", "BAD")))),
                    Map.of("BAD", "ht tp://hooks/secret-part")));
    assertFalse(e.getMessage().contains("secret-part"), e.getMessage());
  }

  private static void assertField(String expected, Map<String, Object> section) {
    RehoboamException e =
        assertThrows(
            RehoboamException.class, () -> NotificationSettings.from(Settings.of(section), ENV));
    assertEquals(ErrorCode.INVALID_CONFIG, e.code());
    assertTrue(e.getMessage().startsWith(expected), e.getMessage());
  }
}
