package io.rehoboam.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rehoboam.core.ArbitrageService;
import io.rehoboam.core.BotRegistration;
import io.rehoboam.core.testing.ManualScheduler;
import io.rehoboam.core.testing.MutableClock;
import io.rehoboam.core.testing.ScriptedProvider;
import io.rehoboam.spi.Settings;
import io.rehoboam.spi.event.BotState;
import io.rehoboam.testsupport.HttpStandIn;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Telegram commands by getUpdates against a local Bot API stand-in, acting on a real service. */
class TelegramCommandsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String OPS_CHAT = Sinks.CHAT;
  private static final String READER_CHAT = "777";
  private static final String STRANGER_CHAT = "999";

  private HttpStandIn telegram;
  private ArbitrageService service;
  private ScheduledExecutorService timer;
  private TelegramCommands commands;
  private NotificationSettings settings;

  @BeforeEach
  void setUp() throws Exception {
    telegram = new HttpStandIn();
    service =
        ArbitrageService.builder()
            .discoverProviders(false)
            .env(Map.of())
            .provider(new ScriptedProvider())
            .closeTimeout(Duration.ofSeconds(5))
            .build();
    service.initialize();
    service.register(BotRegistration.of("bot1", "scripted", Settings.empty()));
    service.start("bot1");
    timer = Executors.newSingleThreadScheduledExecutor();
    Map<String, String> env = new java.util.HashMap<>(Sinks.env(telegram));
    env.put("READER_CHAT", READER_CHAT);
    settings =
        NotificationSettings.from(
            Settings.of(
                Map.of(
                    "sinks",
                    List.of(Sinks.telegram(telegram)),
                    "telegram_commands",
                    Map.of(
                        "sink",
                        "ops",
                        "poll_timeout",
                        "5s",
                        "chats",
                        List.of(
                            Map.of(
                                "chat_id_env",
                                "TELEGRAM_CHAT_ID",
                                "scopes",
                                List.of("read", "control")),
                            Map.of("chat_id_env", "READER_CHAT", "scopes", List.of("read")))))),
            env);
    commands =
        new TelegramCommands(
            settings.commands(),
            settings.sinks().get(0),
            new ServiceCommandTarget(service, Clock.systemUTC()),
            timer,
            new Redactor(List.of(Sinks.TOKEN)));
  }

  @AfterEach
  void tearDown() {
    commands.close();
    timer.shutdownNow();
    service.close();
    telegram.close();
  }

  private static String update(long id, String chat, String text) {
    return "{\"update_id\":"
        + id
        + ",\"message\":{\"message_id\":"
        + id
        + ",\"chat\":{\"id\":"
        + chat
        + ",\"type\":\"private\"},\"text\":\""
        + text
        + "\"}}";
  }

  private void updates(String... updates) {
    telegram.then(
        HttpStandIn.Answer.ok("{\"ok\":true,\"result\":[" + String.join(",", updates) + "]}"));
  }

  private Map<String, String> repliesByChat(int from) throws Exception {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    for (HttpStandIn.Request r : telegram.requests.subList(from, telegram.requests.size())) {
      if (r.path().endsWith("/sendMessage")) {
        JsonNode b = JSON.readTree(r.body());
        out.merge(b.path("chat_id").asText(), b.path("text").asText(), (a, c) -> a + "\n" + c);
      }
    }
    return out;
  }

  @Test
  void answersListedChatsWithinTheirScopesAndNobodyElse() throws Exception {
    updates(
        update(10, OPS_CHAT, "/status"),
        update(11, STRANGER_CHAT, "/killswitch"),
        update(12, READER_CHAT, "/stop bot1"),
        update(13, READER_CHAT, "/pnl"));
    assertTrue(commands.pollOnce());

    HttpStandIn.Request poll = telegram.requests.get(0);
    assertEquals("/bot" + Sinks.TOKEN + "/getUpdates", poll.path());
    JsonNode pollBody = JSON.readTree(poll.body());
    assertEquals(0, pollBody.path("offset").asLong());
    assertEquals(5, pollBody.path("timeout").asLong());

    Map<String, String> replies = repliesByChat(1);
    assertEquals(java.util.Set.of(OPS_CHAT, READER_CHAT), replies.keySet(), "no answer to 999");
    assertTrue(replies.get(OPS_CHAT).contains("bot1: running"), replies.get(OPS_CHAT));
    assertTrue(replies.get(OPS_CHAT).contains("Kill switch: off"), replies.get(OPS_CHAT));
    assertTrue(
        replies.get(READER_CHAT).contains("not allowed: this chat lacks scope control"),
        replies.get(READER_CHAT));
    assertTrue(replies.get(READER_CHAT).contains("daily PnL (24 h): 0 executions"));
    assertFalse(
        service.riskState().killSwitch().tripped(), "the stranger's /killswitch is ignored");
    assertEquals(BotState.RUNNING, service.bot("bot1").status());

    // The next poll confirms the updates seen; the ops chat stops the bot and trips the switch.
    int before = telegram.requests.size();
    updates(update(14, OPS_CHAT, "/stop bot1"), update(15, OPS_CHAT, "/killswitch"));
    assertTrue(commands.pollOnce());
    assertEquals(14, JSON.readTree(telegram.requests.get(before).body()).path("offset").asLong());
    Map<String, String> second = repliesByChat(before + 1);
    assertTrue(second.get(OPS_CHAT).contains("bot bot1 is stopped"), second.get(OPS_CHAT));
    assertTrue(second.get(OPS_CHAT).contains("kill switch tripped"), second.get(OPS_CHAT));
    assertEquals(BotState.STOPPED, service.bot("bot1").status());
    assertTrue(service.riskState().killSwitch().tripped());
    assertEquals("telegram:" + OPS_CHAT, service.riskState().killSwitch().by());
  }

  /**
   * After a failed poll the next one waits 1 s, then 2, 4, ... up to 60 s, scheduled on the timer
   * (driven here by the test clock, nothing sleeps); a successful poll resets the backoff.
   */
  @Test
  void failedPollsBackOffOnTheTimerAndASuccessResetsIt() throws Exception {
    MutableClock clock = MutableClock.atEpoch();
    ManualScheduler manual = new ManualScheduler(clock);
    java.util.concurrent.BlockingQueue<Runnable> polls =
        new java.util.concurrent.LinkedBlockingQueue<>();
    TelegramCommands backingOff =
        new TelegramCommands(
            settings.commands(),
            settings.sinks().get(0),
            new ServiceCommandTarget(service, clock),
            manual,
            polls::add,
            new Redactor(List.of(Sinks.TOKEN)));
    try {
      backingOff.start();
      List<Duration> waits = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        telegram.then(new HttpStandIn.Answer(502, Map.of(), "{}"));
        Runnable poll = polls.poll();
        assertNotNull(poll, "a poll is due after " + waits);
        poll.run();
        assertEquals(i + 1, pollsSeen(), "one request per poll");
        assertTrue(polls.isEmpty(), "no poll before the backoff");
        List<Duration> pending = manual.pendingDelays();
        assertEquals(1, pending.size(), pending.toString());
        waits.add(pending.get(0));
        manual.advance(pending.get(0).minusMillis(1));
        assertTrue(polls.isEmpty(), "not a millisecond early");
        manual.advance(Duration.ofMillis(1));
      }
      assertEquals(
          List.of(1, 2, 4, 8, 16, 32, 60, 60),
          waits.stream().map(d -> (int) d.toSeconds()).toList(),
          "doubling from 1 s, at most 60 s");

      // A success: the next poll follows at once, and a later failure waits 1 s again.
      updates(update(1, OPS_CHAT, "/status"));
      polls.take().run();
      assertEquals(List.of(), manual.pendingDelays(), "no backoff after a success");
      telegram.then(new HttpStandIn.Answer(502, Map.of(), "{}"));
      Runnable again = polls.poll();
      assertNotNull(again, "the next poll right after a success");
      again.run();
      assertEquals(List.of(Duration.ofSeconds(1)), manual.pendingDelays());

      backingOff.close();
      assertEquals(List.of(), manual.pendingDelays(), "closing cancels the backoff");
      manual.advance(Duration.ofMinutes(5));
      assertTrue(polls.isEmpty(), "no poll after close");
    } finally {
      backingOff.close();
    }
  }

  private long pollsSeen() {
    return telegram.requests.stream().filter(r -> r.path().endsWith("/getUpdates")).count();
  }

  @Test
  void aFailedPollIsReportedWithoutTheToken() throws Exception {
    telegram.then(new HttpStandIn.Answer(502, Map.of(), "{}"));
    assertFalse(commands.pollOnce());
    updates(update(1, OPS_CHAT, "/frobnicate"));
    assertTrue(commands.pollOnce());
    assertTrue(repliesByChat(0).get(OPS_CHAT).startsWith("unknown command /frobnicate"));
  }
}
