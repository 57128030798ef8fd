package io.rehoboam.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.rehoboam.http.testing.TestServer;
import io.rehoboam.http.testing.WsTestClient;
import java.net.URI;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The WebSocket /ws/arbitrage against a real server with JDK WebSocket clients. */
class WebSocketIT {
  private TestServer server;
  private final List<WsTestClient> clients = new ArrayList<>();

  @AfterEach
  void stop() {
    clients.forEach(WsTestClient::close);
    if (server != null) {
      server.close();
    }
  }

  private void start() {
    start(s -> s);
  }

  private void start(UnaryOperator<ServerSettings.WebSocketSettings> ws) {
    server = TestServer.start(b -> {}, s -> s.withWebSocket(ws.apply(s.webSocket())));
  }

  private WsTestClient connect(String query) {
    return connect(query, true);
  }

  private WsTestClient connect(String query, boolean autoRead) {
    URI uri = URI.create(server.http.webSocketUri() + (query.isEmpty() ? "" : "?" + query));
    WsTestClient client = WsTestClient.connect(uri, autoRead);
    clients.add(client);
    return client;
  }

  @Test
  void everyEventArrivesWithSeqTypeAtAndBotId() {
    start();
    WsTestClient client = connect("");

    JsonNode hello = client.next();
    server.runEmitter("alpha");
    server.publish("alpha", "opp-1", 4000, "12.5");

    assertEquals("hello", hello.get("type").asText());
    assertTrue(hello.get("last_seq").isIntegralNumber());
    assertEquals(List.of("*"), texts(hello.get("topics")));
    JsonNode running =
        client.await(
            m ->
                m.path("type").asText().equals("bot.status")
                    && m.path("to").asText().equals("running"));
    assertEquals("alpha", running.get("bot_id").asText());
    assertEquals("starting", running.get("from").asText());
    assertTrue(running.get("seq").asLong() > hello.get("last_seq").asLong());
    assertTrue(running.get("at").asText().endsWith("Z"));
    JsonNode found = client.awaitType("opportunity.found");
    assertTrue(found.get("seq").asLong() > running.get("seq").asLong());
    assertEquals("alpha", found.get("bot_id").asText());
    assertEquals("opp-1", found.get("opportunity").get("id").asText());
    assertEquals("4000", found.get("opportunity").get("net_profit").asText());
  }

  @Test
  void subscribeAndUnsubscribeChooseTopics() {
    start();
    WsTestClient client = connect("");
    client.awaitType("hello");

    client.send("{\"type\": \"unsubscribe\", \"id\": \"u1\", \"topics\": [\"*\"]}");
    JsonNode none = client.awaitResult("u1");
    client.send(
        "{\"type\": \"subscribe\", \"id\": \"s1\", \"topics\": [\"opportunities\", \"bot:beta\"]}");
    JsonNode some = client.awaitResult("s1");
    server.runEmitter("alpha");
    server.publish("alpha", "opp-1", 4000, "12.5");
    server.runEmitter("beta");

    assertTrue(none.get("ok").asBoolean());
    assertEquals(List.of("*"), texts(none.get("result").get("removed")));
    assertEquals(0, none.get("result").get("count").asInt());
    assertEquals(List.of("bot:beta", "opportunities"), texts(some.get("result").get("added")));
    assertEquals(2, some.get("result").get("count").asInt());
    JsonNode first = client.next();
    assertEquals("opportunity.found", first.get("type").asText(), "alpha's status is filtered out");
    JsonNode next = client.next();
    assertEquals("beta", next.get("bot_id").asText(), next.toString());
  }

  @Test
  void topicsCanBeChosenWhenConnecting() {
    start();
    WsTestClient client = connect("topics=opportunities");
    client.awaitType("hello");

    server.runEmitter("alpha");
    server.publish("alpha", "opp-1", 4000, "12.5");

    assertEquals("opportunity.found", client.next().get("type").asText());
    Throwable refused =
        WsTestClient.connectFailure(URI.create(server.http.webSocketUri() + "?topics=weather"));
    assertInstanceOf(WebSocketHandshakeException.class, refused);
    assertEquals(
        400, ((WebSocketHandshakeException) refused).getResponse().statusCode(), "unknown topic");
  }

  @Test
  void pingIsAnsweredWithPong() {
    start();
    WsTestClient client = connect("");

    client.send("{\"type\": \"ping\", \"id\": 7}");

    JsonNode pong = client.awaitType("pong");
    assertEquals(7, pong.get("id").asInt());
    assertTrue(pong.get("id").isIntegralNumber(), "the id comes back as sent");
  }

  @Test
  void controlCommandsAreAnsweredWithTheClientsId() {
    start();
    server.service.register(
        io.rehoboam.core.BotRegistration.of("b", "emitter", io.rehoboam.spi.Settings.empty()));
    WsTestClient client = connect("topics=system");

    client.send("{\"type\": \"start_bot\", \"id\": \"c1\", \"bot_id\": \"b\"}");
    JsonNode started = client.awaitResult("c1");
    server.publish("b", "opp-1", 4000, "12.5");
    client.send("{\"type\": \"execute\", \"id\": \"c2\", \"opportunity_id\": \"opp-1\"}");
    JsonNode executed = client.awaitResult("c2");
    client.send("{\"type\": \"execute\", \"id\": \"c3\", \"opportunity_id\": \"opp-1\"}");
    JsonNode again = client.awaitResult("c3");
    client.send("{\"type\": \"stop_bot\", \"id\": \"c4\", \"bot_id\": \"b\"}");
    JsonNode stopped = client.awaitResult("c4");
    client.send("{\"type\": \"start_bot\", \"id\": \"c5\", \"bot_id\": \"ghost\"}");
    JsonNode ghost = client.awaitResult("c5");
    client.send("{\"type\": \"start_monitoring\", \"id\": \"c6\"}");
    JsonNode monitoringOn = client.awaitResult("c6");
    client.send("{\"type\": \"stop_monitoring\", \"id\": \"c7\"}");
    JsonNode monitoringOff = client.awaitResult("c7");

    assertTrue(started.get("ok").asBoolean(), started.toString());
    assertEquals("start_bot", started.get("command").asText());
    assertEquals("running", started.get("result").get("status").asText());
    assertTrue(executed.get("ok").asBoolean(), executed.toString());
    assertEquals("confirmed", executed.get("result").get("status").asText());
    assertFalse(again.get("ok").asBoolean());
    assertEquals("ALREADY_EXECUTED", again.get("error").get("code").asText());
    assertEquals("stopped", stopped.get("result").get("status").asText());
    assertFalse(ghost.get("ok").asBoolean());
    assertEquals("NOT_FOUND", ghost.get("error").get("code").asText());
    assertTrue(ghost.get("error").get("message").asText().contains("ghost"));
    assertTrue(monitoringOn.get("result").get("monitoring").asBoolean());
    assertFalse(monitoringOff.get("result").get("monitoring").asBoolean());
    assertEquals(1, server.executor.calls());
  }

  @Test
  void startBotTakesSettingsOverrides() {
    start();
    server.service.register(
        io.rehoboam.core.BotRegistration.of("b", "emitter", io.rehoboam.spi.Settings.empty()));
    WsTestClient client = connect("topics=logs");

    client.send(
        "{\"type\": \"start_bot\", \"id\": \"c1\", \"bot_id\": \"b\", \"settings\": {\"mode\": \"eager\"}}");

    // The start's log line and the command's result travel on different threads: either may be
    // first.
    JsonNode result = null;
    JsonNode log = null;
    while (result == null || log == null) {
      JsonNode m = client.next();
      if (m.path("type").asText().equals("result")) {
        result = m;
      } else if (m.path("type").asText().equals("bot.log")) {
        log = m;
      }
    }
    assertTrue(result.get("ok").asBoolean(), result.toString());
    assertEquals("c1", result.get("id").asText());
    assertTrue(log.get("message").asText().contains("mode=eager"), log.toString());
    assertEquals("info", log.get("level").asText());
  }

  @Test
  void malformedMessagesGetAnErrorAndTheConnectionStaysOpen() {
    start();
    WsTestClient client = connect("topics=system");
    client.awaitType("hello");

    client.send("not json at all");
    JsonNode notJson = client.awaitType("error");
    client.send("{\"id\": \"m1\"}");
    JsonNode noType = client.awaitType("error");
    client.send("{\"type\": \"fly\", \"id\": \"m2\"}");
    JsonNode unknownType = client.awaitType("error");
    client.send("{\"type\": \"subscribe\", \"id\": \"m3\", \"topics\": [\"weather\"]}");
    JsonNode badTopic = client.awaitResult("m3");
    client.send("{\"type\": \"execute\", \"id\": \"m4\", \"opportunity_id\": 5}");
    JsonNode badField = client.awaitResult("m4");
    client.sendBinary(new byte[] {1, 2, 3});
    JsonNode binary = client.awaitType("error");
    client.send("{\"type\": \"ping\", \"id\": \"still-there\"}");
    JsonNode pong = client.awaitType("pong");

    assertTrue(notJson.get("id").isNull());
    assertEquals("INVALID_ARGUMENT", notJson.get("error").get("code").asText());
    assertTrue(notJson.get("error").get("message").asText().startsWith("message:"));
    assertEquals("m1", noType.get("id").asText());
    assertEquals("type", noType.get("error").get("details").get("field").asText());
    assertEquals("m2", unknownType.get("id").asText());
    assertTrue(unknownType.get("error").get("message").asText().contains("fly"));
    assertFalse(badTopic.get("ok").asBoolean());
    assertTrue(badTopic.get("error").get("message").asText().contains("weather"));
    assertEquals("opportunity_id", badField.get("error").get("details").get("field").asText());
    assertTrue(binary.get("error").get("message").asText().contains("binary"));
    assertEquals("still-there", pong.get("id").asText());
  }

  @Test
  void reconnectingWithResumeFromReplaysWhatWasMissed() {
    start();
    server.runEmitter("alpha");
    WsTestClient first = connect("");
    // The stream starts after hello's last_seq: wait for it before making events.
    first.awaitType("hello");
    server.publish("alpha", "opp-1", 1000, "1");
    long seen = first.awaitType("opportunity.found").get("seq").asLong();
    first.close();

    server.publish("alpha", "opp-2", 2000, "2");
    server.publish("alpha", "opp-3", 3000, "3");
    WsTestClient second = connect("resume_from=" + seen);

    assertEquals("hello", second.next().get("type").asText());
    JsonNode replayed2 = second.next();
    JsonNode replayed3 = second.next();
    assertEquals(seen + 1, replayed2.get("seq").asLong(), replayed2.toString());
    assertEquals("opp-2", replayed2.get("opportunity").get("id").asText());
    assertEquals("opp-3", replayed3.get("opportunity").get("id").asText());
    server.publish("alpha", "opp-4", 4000, "4");
    JsonNode live = second.awaitType("opportunity.found");
    assertEquals("opp-4", live.get("opportunity").get("id").asText());
    assertEquals(replayed3.get("seq").asLong() + 1, live.get("seq").asLong());
  }

  @Test
  void resumingBeyondTheReplayBufferSendsAGap() {
    start(ws -> ws.withReplayBuffer(4));
    server.runEmitter("alpha");
    for (int i = 1; i <= 10; i++) {
      server.publish("alpha", "opp-" + i, 1000 + i, "1");
    }
    WsTestClient watcher = connect("topics=opportunities&resume_from=0");
    long last =
        watcher
            .await(m -> m.path("opportunity").path("id").asText().equals("opp-10"))
            .get("seq")
            .asLong();

    WsTestClient late = connect("resume_from=1");
    late.awaitType("hello");
    JsonNode gap = late.next();
    List<JsonNode> replayed = List.of(late.next(), late.next(), late.next(), late.next());

    assertEquals("gap", gap.get("type").asText(), gap.toString());
    assertEquals(1, gap.get("resume_from").asLong());
    assertEquals(2, gap.get("from_seq").asLong());
    assertEquals(last - 4, gap.get("to_seq").asLong());
    assertTrue(gap.get("message").asText().contains("replay_buffer"));
    for (int i = 0; i < 4; i++) {
      assertEquals(last - 3 + i, replayed.get(i).get("seq").asLong());
    }
    assertEquals("opp-10", replayed.get(3).get("opportunity").get("id").asText());

    WsTestClient future = connect("resume_from=" + (last + 1000));
    future.awaitType("hello");
    JsonNode unknown = future.next();
    assertEquals("gap", unknown.get("type").asText());
    assertTrue(unknown.get("from_seq").isNull());
    assertTrue(unknown.get("message").asText().contains("restart"));
  }

  @Test
  void aReplayLargerThanTheQueueIsNotTooSlow() {
    start(ws -> ws.withMaxQueue(2).withReplayBuffer(16));
    server.runEmitter("alpha");
    for (int i = 1; i <= 10; i++) {
      server.publish("alpha", "opp-" + i, 1000 + i, "1");
    }
    WsTestClient watcher = connect("topics=opportunities&resume_from=0");
    watcher.await(m -> m.path("opportunity").path("id").asText().equals("opp-10"));

    WsTestClient late = connect("topics=opportunities&resume_from=0");

    for (int i = 1; i <= 10; i++) {
      JsonNode found = late.awaitType("opportunity.found");
      assertEquals("opp-" + i, found.get("opportunity").get("id").asText());
    }
    late.send("{\"type\": \"ping\", \"id\": \"still-open\"}");
    assertEquals("still-open", late.awaitType("pong").get("id").asText());
  }

  @Test
  void aBadResumeFromIsRefusedAtTheHandshake() {
    start();

    Throwable refused =
        WsTestClient.connectFailure(URI.create(server.http.webSocketUri() + "?resume_from=soon"));

    assertInstanceOf(WebSocketHandshakeException.class, refused);
    assertEquals(400, ((WebSocketHandshakeException) refused).getResponse().statusCode());
  }

  @Test
  void aSlowClientIsDisconnectedAndOthersKeepUp() {
    start(
        ws ->
            new ServerSettings.WebSocketSettings(
                8,
                ws.replayBuffer(),
                ws.heartbeatInterval(),
                ws.idleTimeout(),
                ws.maxMessageBytes(),
                Duration.ofSeconds(60),
                ws.maxQueueBytes()));
    server.runEmitter("flood");
    WsTestClient slow = connect("topics=logs", false);
    WsTestClient fast = connect("topics=logs");
    fast.awaitType("hello");
    int batches = 50;
    int perBatch = 4;

    // 200 lines of 64 KiB (12.8 MB): more than the slow client's socket buffers and its
    // 8-message queue hold. The fast client reads each batch before the next is sent, so it is
    // never more than 4 messages behind.
    for (int batch = 0; batch < batches; batch++) {
      server.service.sendCommand(
          "flood",
          "log",
          Map.of("count", perBatch, "size", 64 * 1024, "message", "batch-" + batch));
      for (int i = 0; i < perBatch; i++) {
        JsonNode line =
            fast.await(
                m ->
                    m.path("type").asText().equals("bot.log")
                        && m.path("message").asText().contains(" batch-"));
        assertTrue(line.get("message").asText().startsWith(i + " batch-" + batch + "x"));
      }
    }
    slow.read();
    WsTestClient.Closed closed = slow.awaitClosed();

    assertEquals(1008, closed.code());
    assertTrue(closed.reason().contains("too slow"), closed.reason());
    assertTrue(
        slow.drainReceived().size() < batches * perBatch, "the slow client did not get everything");
    fast.send("{\"type\": \"ping\", \"id\": \"after\"}");
    assertEquals("after", fast.awaitType("pong").get("id").asText());
  }

  @Test
  void everyClientGetsHeartbeats() {
    start(ws -> ws.withHeartbeatInterval(Duration.ofMillis(100)));
    WsTestClient client = connect("topics=system");
    long helloSeq = client.awaitType("hello").get("last_seq").asLong();

    JsonNode beat = client.awaitType("heartbeat");

    assertTrue(beat.get("last_seq").asLong() >= helloSeq);
    assertTrue(beat.get("at").asText().endsWith("Z"));
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
