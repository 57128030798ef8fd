package io.rehoboam.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rehoboam.core.testing.ManualScheduler;
import io.rehoboam.core.testing.MutableClock;
import io.rehoboam.testsupport.HttpStandIn;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Telegram sink against a local stand-in speaking the Bot API's sendMessage. */
class TelegramSinkTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-02T10:00:00Z"));
  private final ManualScheduler timer = new ManualScheduler(clock);
  private HttpStandIn telegram;
  private Notifier notifier;

  @BeforeEach
  void setUp() throws Exception {
    telegram = new HttpStandIn();
  }

  @AfterEach
  void tearDown() {
    if (notifier != null) {
      notifier.close();
    }
    telegram.close();
  }

  private Notifier start(Map<String, Object> sink) {
    notifier =
        Notifier.detached(Sinks.settings(telegram, List.of(sink)), clock, timer, q -> null, null);
    return notifier;
  }

  private Notice notice(NoticeKind kind, Severity severity, String text) {
    return new Notice(kind, severity, clock.instant(), "bot1", text);
  }

  @Test
  void sendMessageCarriesTheChatAndTextButNotTheTokenInTheBody() throws Exception {
    start(Sinks.telegram(telegram, "batch_window", "2s"));
    notifier.publish(notice(NoticeKind.KILL_SWITCH, Severity.CRITICAL, "tripped by ops"));
    assertTrue(telegram.requests.isEmpty(), "nothing before the batch window ends");
    timer.advance(Duration.ofSeconds(2));

    assertEquals(1, telegram.requests.size());
    HttpStandIn.Request r = telegram.requests.get(0);
    assertEquals("POST", r.method());
    assertEquals("/bot" + Sinks.TOKEN + "/sendMessage", r.path());
    assertTrue(r.header("Content-Type").startsWith("application/json"), r.header("Content-Type"));
    JsonNode body = JSON.readTree(r.body());
    assertEquals(Sinks.CHAT, body.path("chat_id").asText());
    assertEquals("Rehoboam [CRITICAL] kill_switch: tripped by ops", body.path("text").asText());
    assertFalse(r.body().contains(Sinks.TOKEN));
    assertEquals(1, notifier.channels().get(0).messagesDelivered());
  }

  @Test
  void aBurstOfAThousandBecomesAFewMessagesThatCountEveryNotice() throws Exception {
    start(
        Sinks.telegram(
            telegram,
            "batch_window",
            "2s",
            "max_lines",
            5,
            "rate_limit",
            Map.of("messages", 3, "per", "1m")));
    // 1,000 failed executions over 10 seconds, 10 every 100 ms.
    for (int i = 0; i < 1000; i++) {
      notifier.publish(notice(NoticeKind.EXECUTION_FAILED, Severity.WARNING, "execution x" + i));
      if (i % 10 == 9) {
        timer.advance(Duration.ofMillis(100));
      }
    }
    timer.advance(Duration.ofMinutes(3));

    int messages = telegram.requests.size();
    assertTrue(messages >= 1 && messages <= 4, "messages: " + messages);
    int counted = 0;
    Pattern header = Pattern.compile("^Rehoboam: (\\d+) notifications");
    for (HttpStandIn.Request r : telegram.requests) {
      String text = JSON.readTree(r.body()).path("text").asText();
      Matcher m = header.matcher(text);
      assertTrue(m.find(), text);
      counted += Integer.parseInt(m.group(1));
      assertTrue(text.lines().count() <= 1 + 5 + 1, text);
      assertTrue(text.length() <= TelegramTransport.MAX_TEXT, "length " + text.length());
    }
    assertEquals(1000, counted, "every notice is counted in some message");
    String first = JSON.readTree(telegram.requests.get(0).body()).path("text").asText();
    assertTrue(first.contains("more"), first);
  }

  @Test
  void retriesOn429AfterRetryAfterAndOn5xxWithBackoff() throws Exception {
    telegram.then(
        new HttpStandIn.Answer(
            429,
            Map.of("Retry-After", "7"),
            "{\"ok\":false,\"error_code\":429,\"parameters\":{\"retry_after\":7}}"),
        new HttpStandIn.Answer(502, Map.of(), "{\"ok\":false}"));
    start(Sinks.telegram(telegram, "batch_window", "0s", "retry_backoff", "1s", "retries", 3));
    notifier.publish(notice(NoticeKind.BOT_ERROR, Severity.CRITICAL, "bot1 failed"));
    timer.runDue();
    assertEquals(1, telegram.requests.size());
    assertEquals(List.of(Duration.ofSeconds(7)), timer.pendingDelays());

    timer.advance(Duration.ofMillis(6999));
    assertEquals(1, telegram.requests.size(), "Retry-After is honoured");
    timer.advance(Duration.ofMillis(1));
    assertEquals(2, telegram.requests.size());
    // The 502 had no Retry-After: the second retry waits the doubled backoff, 2 s.
    assertEquals(List.of(Duration.ofSeconds(2)), timer.pendingDelays());
    timer.advance(Duration.ofSeconds(2));
    assertEquals(3, telegram.requests.size());
    assertEquals(1, notifier.channels().get(0).messagesDelivered());
    assertEquals(
        telegram.requests.get(0).body(), telegram.requests.get(2).body(), "the same message");
  }

  @Test
  void the429WaitMayComeFromTheBodyAlone() throws Exception {
    telegram.then(
        new HttpStandIn.Answer(
            429,
            Map.of(),
            "{\"ok\":false,\"error_code\":429,\"parameters\":{\"retry_after\":30}}"));
    start(Sinks.telegram(telegram, "batch_window", "0s"));
    notifier.publish(notice(NoticeKind.BOT_ERROR, Severity.CRITICAL, "x"));
    timer.runDue();
    assertEquals(List.of(Duration.ofSeconds(30)), timer.pendingDelays());
  }

  @Test
  void aClientErrorIsNotRetriedAndNoSecretReachesTheLogOrHealth() throws Exception {
    telegram.then(
        new HttpStandIn.Answer(
            400, Map.of(), "{\"ok\":false,\"description\":\"Bad Request: chat not found\"}"));
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      start(Sinks.telegram(telegram, "batch_window", "0s"));
      notifier.publish(notice(NoticeKind.BOT_ERROR, Severity.CRITICAL, "x"));
      timer.runDue();
      // A second sink whose API cannot be reached at all: a network error, retried, then dropped.
      telegram.close();
      notifier.publish(notice(NoticeKind.BOT_ERROR, Severity.CRITICAL, "y"));
      timer.advance(Duration.ofMinutes(5));
    } finally {
      System.setErr(original);
    }
    String log = captured.toString(StandardCharsets.UTF_8);
    assertEquals(1, telegram.requests.size(), "a 400 is not retried");
    assertEquals(2, notifier.channels().get(0).messagesFailed());
    assertTrue(log.contains("HTTP 400"), log);
    assertTrue(log.contains("sink ops"), log);
    assertFalse(log.contains(Sinks.TOKEN), log);
    assertFalse(log.contains("AAH-secret"), log);
    String health = notifier.health().toString();
    assertTrue(health.contains("failed 2"), health);
    assertFalse(health.contains(Sinks.TOKEN), health);
    assertFalse(notifier.channels().get(0).sink().toString().contains(Sinks.TOKEN));
  }

  @Test
  void filtersByKindAndSeverity() throws Exception {
    start(
        Sinks.telegram(
            telegram,
            "batch_window",
            "0s",
            "events",
            List.of("kill_switch", "execution_failed"),
            "min_severity",
            "critical"));
    notifier.publish(notice(NoticeKind.EXECUTION_FAILED, Severity.WARNING, "below the severity"));
    notifier.publish(notice(NoticeKind.BOT_ERROR, Severity.CRITICAL, "not a listed kind"));
    timer.advance(Duration.ofSeconds(10));
    assertTrue(telegram.requests.isEmpty());
    notifier.publish(notice(NoticeKind.KILL_SWITCH, Severity.CRITICAL, "listed and critical"));
    timer.advance(Duration.ofSeconds(10));
    assertEquals(1, telegram.requests.size());
    assertTrue(telegram.requests.get(0).body().contains("listed and critical"));
  }
}
