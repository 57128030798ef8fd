package io.rehoboam.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.rehoboam.core.BotRegistration;
import io.rehoboam.core.risk.RiskLimits;
import io.rehoboam.http.testing.TestServer;
import io.rehoboam.http.testing.WsTestClient;
import io.rehoboam.spi.Settings;
import io.rehoboam.spi.event.BotSettingsEvent;
import io.rehoboam.spi.event.Event;
import io.rehoboam.spi.event.SystemEvent;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The operator commands of the WebSocket (kill switch, risk limits, bot settings, bot commands)
 * against a real server with keys, with JDK WebSocket clients: good input, bad input (an error
 * naming the field), a key without scope control refused, and the events each change publishes.
 */
class WebSocketControlIT {
  private static final String API = "/api/arbitrage";
  private static final String OPS = "ops-key-0123456789abcdef";
  private static final String READER = "reader-key-0123456789abcdef";

  private TestServer server;
  private final List<WsTestClient> clients = new ArrayList<>();
  private final List<Event> events = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    server =
        TestServer.start(
            b ->
                b.riskLimits(
                    new RiskLimits(
                        new BigDecimal("10000"), 120, new BigDecimal("1000"), null, false)),
            s ->
                s.withAllowUnauthenticatedExecute(false)
                    .withKeys(
                        List.of(
                            ApiKey.ofKey(
                                "ops", OPS, Set.of(Scope.READ, Scope.CONTROL, Scope.EXECUTE)),
                            ApiKey.ofKey("reader", READER, Set.of(Scope.READ)))));
    server.service.subscribe(events::add);
  }

  @AfterEach
  void stop() {
    clients.forEach(WsTestClient::close);
    server.close();
  }

  private WsTestClient connect(String key, String topics) {
    WsTestClient client =
        WsTestClient.connect(
            java.net.URI.create(server.http.webSocketUri() + "?topics=" + topics),
            true,
            Map.of("Authorization", "Bearer " + key));
    clients.add(client);
    client.awaitType("hello");
    return client;
  }

  /** Sends a command and returns its result message. */
  private static JsonNode ask(WsTestClient client, String id, String json) {
    client.send(json);
    return client.awaitResult(id);
  }

  /** A command's result and the event it caused: they travel on different threads, either first. */
  private record Answer(JsonNode result, JsonNode event) {}

  private static Answer askAndAwaitEvent(
      WsTestClient client, String id, String json, Predicate<JsonNode> event) {
    client.send(json);
    JsonNode result = null;
    JsonNode seen = null;
    while (result == null || seen == null) {
      JsonNode m =
          client.await(
              x ->
                  "result".equals(x.path("type").asText()) && id.equals(x.path("id").asText())
                      || event.test(x));
      if ("result".equals(m.path("type").asText())) {
        result = m;
        if (!m.path("ok").asBoolean()) {
          throw new AssertionError("the command failed: " + m);
        }
      } else {
        seen = m;
      }
    }
    return new Answer(result, seen);
  }

  private static void assertInvalid(JsonNode result, String field) {
    assertFalse(result.get("ok").asBoolean(), result.toString());
    assertEquals("INVALID_ARGUMENT", result.path("error").path("code").asText(), result.toString());
    assertEquals(
        field, result.path("error").path("details").path("field").asText(), result.toString());
    assertTrue(
        result.path("error").path("message").asText().contains(field),
        "the message names " + field + ": " + result);
  }

  private static void assertForbidden(JsonNode result) {
    assertFalse(result.get("ok").asBoolean(), result.toString());
    assertEquals("FORBIDDEN", result.path("error").path("code").asText(), result.toString());
    assertEquals("control", result.path("error").path("details").path("scope").asText());
  }

  @Test
  void theKillSwitchIsTrippedAndResetOverTheWebSocketAndEachIsARiskEvent() {
    WsTestClient ops = connect(OPS, "risk");
    server.runEmitter("scout");
    server.publish("scout", "o1", 4000, "5");

    Answer trip =
        askAndAwaitEvent(
            ops,
            "t1",
            "{\"type\": \"trip_kill_switch\", \"id\": \"t1\", \"reason\": \"exchange incident\"}",
            m -> "trip".equals(m.path("decision").asText()));
    JsonNode tripped = trip.result();
    JsonNode tripEvent = trip.event();
    JsonNode refused =
        ask(ops, "x1", "{\"type\": \"execute\", \"id\": \"x1\", \"opportunity_id\": \"o1\"}");
    Answer resetAnswer =
        askAndAwaitEvent(
            ops,
            "r1",
            "{\"type\": \"reset_kill_switch\", \"id\": \"r1\", \"reason\": \"over\"}",
            m -> "reset".equals(m.path("decision").asText()));
    JsonNode reset = resetAnswer.result();
    JsonNode resetEvent = resetAnswer.event();

    assertTrue(tripped.get("ok").asBoolean(), tripped.toString());
    assertEquals("trip_kill_switch", tripped.get("command").asText());
    JsonNode ks = tripped.path("result").path("kill_switch");
    assertTrue(ks.get("tripped").asBoolean());
    assertEquals("ops", ks.get("by").asText(), "the key id, from the connection");
    assertEquals("exchange incident", ks.get("reason").asText());
    assertEquals("risk", tripEvent.get("type").asText());
    assertEquals("kill_switch", tripEvent.get("limit").asText());
    assertEquals("exchange incident (by ops)", tripEvent.get("message").asText());
    assertFalse(refused.get("ok").asBoolean());
    assertEquals("kill_switch", refused.path("error").path("details").path("limit").asText());
    assertEquals(0, server.executor.calls());
    assertTrue(reset.get("ok").asBoolean(), reset.toString());
    assertFalse(reset.path("result").path("kill_switch").path("tripped").asBoolean());
    assertEquals("ops", reset.path("result").path("kill_switch").path("reset_by").asText());
    assertEquals("risk", resetEvent.get("type").asText());
    assertEquals("over (by ops)", resetEvent.get("message").asText());
    assertFalse(server.service.risk().isTripped());
    assertTrue(
        events.stream().noneMatch(e -> e instanceof SystemEvent s && s.kind().contains("kill")),
        "no system event for a kill switch change: " + events);
  }

  @Test
  void aBadKillSwitchCommandNamesTheFieldAndAReaderMayNotTripIt() {
    WsTestClient ops = connect(OPS, "risk");
    WsTestClient reader = connect(READER, "risk");

    assertInvalid(
        ask(ops, "b1", "{\"type\": \"trip_kill_switch\", \"id\": \"b1\", \"why\": \"x\"}"), "why");
    assertInvalid(
        ask(ops, "b2", "{\"type\": \"trip_kill_switch\", \"id\": \"b2\", \"reason\": 5}"),
        "reason");
    assertInvalid(
        ask(ops, "b3", "{\"type\": \"reset_kill_switch\", \"id\": \"b3\", \"reason\": [\"a\"]}"),
        "reason");
    assertForbidden(ask(reader, "f1", "{\"type\": \"trip_kill_switch\", \"id\": \"f1\"}"));
    assertFalse(server.service.risk().isTripped(), "nothing was tripped");
    ask(ops, "t", "{\"type\": \"trip_kill_switch\", \"id\": \"t\"}");
    assertForbidden(ask(reader, "f2", "{\"type\": \"reset_kill_switch\", \"id\": \"f2\"}"));
    assertTrue(server.service.risk().isTripped(), "the reader did not reset it");
  }

  @Test
  void limitsChangeOverTheWebSocketValidatedAndPublishedAsARiskEvent() {
    WsTestClient ops = connect(OPS, "risk");
    WsTestClient reader = connect(READER, "risk");

    Answer answer =
        askAndAwaitEvent(
            ops,
            "l1",
            "{\"type\": \"change_risk_limits\", \"id\": \"l1\", \"limits\":"
                + " {\"max_trades_per_minute\": 30, \"min_net_profit\": 2.5,"
                + " \"daily_loss_limit\": null}}",
            m -> "limits_changed".equals(m.path("decision").asText()));
    JsonNode changed = answer.result();
    JsonNode event = answer.event();

    assertTrue(changed.get("ok").asBoolean(), changed.toString());
    JsonNode limits = changed.path("result").path("limits");
    assertEquals(30, limits.get("max_trades_per_minute").asInt());
    assertEquals(0, new BigDecimal("2.5").compareTo(limits.get("min_net_profit").decimalValue()));
    assertTrue(limits.get("daily_loss_limit").isNull());
    assertEquals("ops", changed.path("result").path("limits_changed_by").asText());
    assertEquals("risk", event.get("type").asText());
    assertTrue(event.get("message").asText().startsWith("limits changed by ops"), event.toString());
    assertTrue(event.get("message").asText().contains("max_trades_per_minute=30"));

    String bad = "{\"type\": \"change_risk_limits\", \"id\": \"%s\", \"limits\": %s}";
    assertInvalid(
        ask(ops, "b1", bad.formatted("b1", "{\"max_trades_per_minute\": -1}")),
        "max_trades_per_minute");
    assertInvalid(
        ask(ops, "b2", bad.formatted("b2", "{\"max_trades_per_minute\": 1.5}")),
        "max_trades_per_minute");
    assertInvalid(
        ask(ops, "b3", bad.formatted("b3", "{\"max_trade_input\": \"lots\"}")), "max_trade_input");
    assertInvalid(ask(ops, "b4", bad.formatted("b4", "{\"kill_switch\": true}")), "kill_switch");
    assertInvalid(ask(ops, "b5", bad.formatted("b5", "{}")), "limits");
    assertInvalid(ask(ops, "b6", bad.formatted("b6", "5")), "limits");
    assertInvalid(ask(ops, "b7", "{\"type\": \"change_risk_limits\", \"id\": \"b7\"}"), "limits");
    assertForbidden(ask(reader, "f1", bad.formatted("f1", "{\"max_trades_per_minute\": 1}")));
    assertEquals(30, server.service.risk().limits().maxTradesPerMinute(), "nothing changed");
  }

  @Test
  void settingsChangeOverTheWebSocketRestartsTheBotAndIsABotSettingsEvent() {
    server.runEmitter("scout");
    WsTestClient ops = connect(OPS, "bots");

    Answer answer =
        askAndAwaitEvent(
            ops,
            "s1",
            "{\"type\": \"change_bot_settings\", \"id\": \"s1\", \"bot_id\": \"scout\","
                + " \"settings\": {\"batch\": 3, \"api_key\": \"s3cret-value\"}}",
            m -> "bot.settings".equals(m.path("type").asText()));
    JsonNode changed = answer.result();
    JsonNode event = answer.event();

    assertTrue(changed.get("ok").asBoolean(), changed.toString());
    assertEquals("change_bot_settings", changed.get("command").asText());
    assertEquals("restarted", changed.path("result").path("applied").asText());
    assertEquals(3, changed.path("result").path("settings").path("batch").asInt());
    assertEquals("***", changed.path("result").path("settings").path("api_key").asText());
    assertEquals("running", changed.path("result").path("status").path("status").asText());
    assertEquals("scout", event.get("bot_id").asText());
    assertEquals(List.of("api_key", "batch"), texts(event.get("changed")));
    assertEquals("restarted", event.get("applied").asText());
    assertEquals("ops", event.get("by").asText());
    assertEquals("***", event.path("settings").path("api_key").asText());
    assertFalse(event.toString().contains("s3cret-value"), event.toString());
    assertEquals(3, ((Number) server.service.botSettings("scout").get("batch")).intValue());
    assertTrue(
        events.stream().noneMatch(e -> e instanceof SystemEvent s && s.kind().contains("settings")),
        "a settings change is not a system event: " + events);

    // A stopped bot keeps them for its next start; the REST route publishes the same event.
    server.service.stop("scout");
    TestServer.Response rest =
        server.call(
            "POST",
            API + "/bots/scout/settings",
            "{\"settings\": {\"batch\": 4}}",
            "Authorization",
            "Bearer " + OPS);
    assertEquals(200, rest.status(), rest.text());
    JsonNode stored = ops.await(m -> "stored".equals(m.path("applied").asText()));
    assertEquals("bot.settings", stored.get("type").asText());
    assertEquals(List.of("batch"), texts(stored.get("changed")));
    assertTrue(
        events.stream().anyMatch(e -> e instanceof BotSettingsEvent s && s.by().equals("ops")));
  }

  @Test
  void aBadSettingsChangeNamesTheProblemAndChangesNothing() {
    server.service.register(
        BotRegistration.of("scout", "emitter", Settings.of(Map.of("batch", 2))));
    WsTestClient ops = connect(OPS, "bots");
    WsTestClient reader = connect(READER, "bots");
    String change = "{\"type\": \"change_bot_settings\", \"id\": \"%s\", \"bot_id\": %s%s}";

    JsonNode invalidValue =
        ask(ops, "b1", change.formatted("b1", "\"scout\"", ", \"settings\": {\"batch\": 0}"));
    assertInvalid(ask(ops, "b2", change.formatted("b2", "\"scout\"", "")), "settings");
    assertInvalid(
        ask(ops, "b3", change.formatted("b3", "\"scout\"", ", \"settings\": 7")), "settings");
    assertInvalid(
        ask(ops, "b4", change.formatted("b4", "\"scout\"", ", \"settings\": {}")), "settings");
    assertInvalid(
        ask(ops, "b5", change.formatted("b5", "5", ", \"settings\": {\"batch\": 3}")), "bot_id");
    assertInvalid(
        ask(
            ops,
            "b6",
            change.formatted("b6", "\"scout\"", ", \"settings\": {\"batch\": 3}, \"x\": 1")),
        "x");
    JsonNode ghost =
        ask(ops, "b7", change.formatted("b7", "\"ghost\"", ", \"settings\": {\"batch\": 3}"));
    JsonNode forbidden =
        ask(reader, "f1", change.formatted("f1", "\"scout\"", ", \"settings\": {\"batch\": 3}"));

    assertFalse(invalidValue.get("ok").asBoolean(), invalidValue.toString());
    // the provider's settings schema refuses it, with the code REST answers too (400 there)
    assertEquals("INVALID_CONFIG", invalidValue.path("error").path("code").asText());
    assertTrue(
        invalidValue.path("error").path("message").asText().contains("batch"),
        invalidValue.toString());
    assertEquals("NOT_FOUND", ghost.path("error").path("code").asText(), ghost.toString());
    assertTrue(ghost.path("error").path("message").asText().contains("ghost"));
    assertForbidden(forbidden);
    assertEquals(2, ((Number) server.service.botSettings("scout").get("batch")).intValue());
    assertTrue(events.stream().noneMatch(e -> e instanceof BotSettingsEvent), events.toString());
  }

  @Test
  void aBotCommandOverTheWebSocketAnswersWithTheBotsReply() {
    server.runEmitter("scout");
    WsTestClient ops = connect(OPS, "bots");
    WsTestClient reader = connect(READER, "bots");
    String command = "{\"type\": \"bot_command\", \"id\": \"%s\", \"bot_id\": \"scout\"%s}";

    JsonNode replied =
        ask(
            ops,
            "c1",
            command.formatted(
                "c1", ", \"command\": \"echo\", \"payload\": {\"n\": 1}, \"wait_ms\": 5000"));

    assertTrue(replied.get("ok").asBoolean(), replied.toString());
    assertEquals("bot_command", replied.get("command").asText());
    assertTrue(replied.path("result").path("replied").asBoolean(), replied.toString());
    assertEquals(List.of("echo {n=1}"), texts(replied.path("result").path("reply")));

    assertInvalid(ask(ops, "b1", command.formatted("b1", "")), "command");
    assertInvalid(
        ask(ops, "b2", command.formatted("b2", ", \"command\": \"echo\", \"wait_ms\": \"soon\"")),
        "wait_ms");
    assertInvalid(
        ask(ops, "b3", command.formatted("b3", ", \"command\": \"echo\", \"wait_ms\": 1.5")),
        "wait_ms");
    assertInvalid(
        ask(ops, "b4", command.formatted("b4", ", \"command\": \"echo\", \"wait_ms\": 40000")),
        "wait_ms");
    assertInvalid(
        ask(ops, "b5", command.formatted("b5", ", \"command\": \"echo\", \"payload\": [1]")),
        "payload");
    assertInvalid(ask(ops, "b6", command.formatted("b6", ", \"command\": \"fly\"")), "command");
    assertForbidden(ask(reader, "f1", command.formatted("f1", ", \"command\": \"echo\"")));
    server.service.stop("scout");
    JsonNode notRunning = ask(ops, "n1", command.formatted("n1", ", \"command\": \"echo\""));
    assertFalse(notRunning.get("ok").asBoolean());
    assertEquals("CONFLICT", notRunning.path("error").path("code").asText(), notRunning.toString());
    JsonNode ghost =
        ask(
            ops,
            "n2",
            "{\"type\": \"bot_command\", \"id\": \"n2\", \"bot_id\": \"ghost\", \"command\": \"echo\"}");
    assertEquals("NOT_FOUND", ghost.path("error").path("code").asText(), ghost.toString());
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
