package io.rehoboam.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rehoboam.core.testing.ManualScheduler;
import io.rehoboam.core.testing.MutableClock;
import io.rehoboam.testsupport.HttpStandIn;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Discord- and Slack-style webhooks against a local stand-in. */
class WebhookSinkTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-02T10:00:00Z"));
  private final ManualScheduler timer = new ManualScheduler(clock);
  private HttpStandIn hooks;
  private Notifier notifier;

  @BeforeEach
  void setUp() throws Exception {
    hooks = new HttpStandIn();
    hooks.defaultAnswer = new HttpStandIn.Answer(204, Map.of(), "");
  }

  @AfterEach
  void tearDown() {
    if (notifier != null) {
      notifier.close();
    }
    hooks.close();
  }

  private static Map<String, Object> hook(String id, String type, String env, Object... more) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", id);
    m.put("type", type);
    m.put("url_env", env);
    m.put("batch_window", "1s");
    for (int i = 0; i < more.length; i += 2) {
      m.put((String) more[i], more[i + 1]);
    }
    return m;
  }

  @Test
  void discordGetsContentAndSlackGetsTextAtTheirOwnUrls() throws Exception {
    notifier =
        Notifier.detached(
            Sinks.settings(
                hooks,
                List.of(
                    hook("discord", "discord", "DISCORD_WEBHOOK_URL"),
                    hook("slack", "slack", "SLACK_WEBHOOK_URL", "events", List.of("crash_loop")))),
            clock,
            timer,
            q -> null,
            null);
    notifier.publish(
        new Notice(NoticeKind.CRASH_LOOP, Severity.CRITICAL, clock.instant(), "b", "b loops"));
    notifier.publish(
        new Notice(
            NoticeKind.EXECUTION_CONFIRMED, Severity.INFO, clock.instant(), "b", "x simulated"));
    timer.advance(Duration.ofSeconds(1));

    assertEquals(2, hooks.requests.size());
    HttpStandIn.Request discord =
        hooks.requests.stream()
            .filter(r -> r.path().startsWith("/api/webhooks/"))
            .findFirst()
            .get();
    HttpStandIn.Request slack =
        hooks.requests.stream().filter(r -> r.path().startsWith("/services/")).findFirst().get();
    assertEquals("/api/webhooks/42/" + Sinks.HOOK_SECRET, discord.path());
    assertEquals("POST", discord.method());
    assertTrue(discord.header("Content-Type").startsWith("application/json"));
    JsonNode d = JSON.readTree(discord.body());
    assertEquals(List.of("content"), iterable(d));
    assertTrue(d.path("content").asText().startsWith("Rehoboam: 2 notifications"));
    assertTrue(d.path("content").asText().contains("[CRITICAL] crash_loop: b loops"));

    JsonNode s = JSON.readTree(slack.body());
    assertEquals(List.of("text"), iterable(s));
    assertEquals("Rehoboam [CRITICAL] crash_loop: b loops", s.path("text").asText());
    for (HttpStandIn.Request r : hooks.requests) {
      assertFalse(r.body().contains(Sinks.HOOK_SECRET), "the URL's secret is not in the body");
    }
    assertFalse(notifier.channels().get(0).sink().toString().contains(Sinks.HOOK_SECRET));
  }

  @Test
  void aWebhookRetriesA503AndHonoursRetryAfter() throws Exception {
    hooks.then(new HttpStandIn.Answer(503, Map.of("Retry-After", "4"), "{}"));
    notifier =
        Notifier.detached(
            Sinks.settings(hooks, List.of(hook("discord", "discord", "DISCORD_WEBHOOK_URL"))),
            clock,
            timer,
            q -> null,
            null);
    notifier.publish(
        new Notice(NoticeKind.KILL_SWITCH, Severity.CRITICAL, clock.instant(), null, "tripped"));
    timer.advance(Duration.ofSeconds(1));
    assertEquals(1, hooks.requests.size());
    assertEquals(List.of(Duration.ofSeconds(4)), timer.pendingDelays());
    timer.advance(Duration.ofSeconds(4));
    assertEquals(2, hooks.requests.size());
    assertEquals(1, notifier.channels().get(0).messagesDelivered());
  }

  private static List<String> iterable(JsonNode n) {
    List<String> out = new java.util.ArrayList<>();
    n.fieldNames().forEachRemaining(out::add);
    return out;
  }
}
