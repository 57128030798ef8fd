package io.rehoboam.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.rehoboam.http.testing.TestServer;
import io.rehoboam.http.testing.TestServer.Response;
import io.rehoboam.http.testing.WsTestClient;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 23, defect 3: every size a client controls is bounded (subscribe lists and their topics,
 * ids, query strings, what waits in a client's queue), and a subscribe reply echoes what changed,
 * not the whole list.
 */
class BoundsIT {
  private static final String API = "/api/arbitrage";

  private TestServer server;
  private final List<WsTestClient> clients = new ArrayList<>();

  @AfterEach
  void stop() {
    clients.forEach(WsTestClient::close);
    if (server != null) {
      server.close();
    }
  }

  private void start(UnaryOperator<ServerSettings.WebSocketSettings> ws) {
    server = TestServer.start(b -> {}, s -> s.withWebSocket(ws.apply(s.webSocket())));
  }

  private WsTestClient connect(String query, boolean autoRead) {
    WsTestClient c =
        WsTestClient.connect(
            URI.create(server.http.webSocketUri() + (query.isEmpty() ? "" : "?" + query)),
            autoRead);
    clients.add(c);
    return c;
  }

  private static String topics(int from, int count) {
    return IntStream.range(from, from + count)
        .mapToObj(i -> "\"bot:b" + i + "\"")
        .collect(Collectors.joining(", ", "[", "]"));
  }

  private static JsonNode errorOf(JsonNode reply) {
    return reply.has("error") ? reply.get("error") : reply.path("result");
  }

  @Test
  void subscribeListsAreBoundedInCountLengthAndTotal() {
    start(ws -> ws);
    WsTestClient c = connect("topics=system", true);
    c.awaitType("hello");

    c.send("{\"type\": \"subscribe\", \"id\": \"many\", \"topics\": " + topics(0, 5_000) + "}");
    JsonNode many = c.awaitResult("many");
    assertFalse(many.get("ok").asBoolean(), many.toString());
    assertEquals("topics", errorOf(many).path("details").path("field").asText(), many.toString());

    c.send(
        "{\"type\": \"subscribe\", \"id\": \"long\", \"topics\": [\"bot:"
            + "x".repeat(5_000)
            + "\"]}");
    JsonNode longTopic = c.awaitResult("long");
    assertFalse(longTopic.get("ok").asBoolean(), longTopic.toString());
    assertTrue(longTopic.toString().length() < 1_000, "the error does not echo it whole");

    // A topic at a time, well within each message's limit: the client's total is bounded too.
    int accepted = 0;
    JsonNode last = null;
    for (int i = 0; i < 40; i++) {
      c.send(
          "{\"type\": \"subscribe\", \"id\": \"t"
              + i
              + "\", \"topics\": "
              + topics(i * 50, 50)
              + "}");
      last = c.awaitResult("t" + i);
      if (!last.get("ok").asBoolean()) {
        break;
      }
      accepted++;
    }
    assertTrue(accepted < 40, "a client cannot subscribe to 2000 topics");
    assertEquals("topics", errorOf(last).path("details").path("field").asText(), last.toString());

    String tooLong = "bot:" + "y".repeat(5_000);
    Throwable refused =
        WsTestClient.connectFailure(URI.create(server.http.webSocketUri() + "?topics=" + tooLong));
    assertTrue(refused instanceof java.net.http.WebSocketHandshakeException, refused.toString());
    assertEquals(
        400,
        ((java.net.http.WebSocketHandshakeException) refused).getResponse().statusCode(),
        "a topic too long");
  }

  @Test
  void aSubscribeReplyEchoesWhatChangedNotTheWholeList() {
    start(ws -> ws);
    WsTestClient c = connect("topics=system", true);
    c.awaitType("hello");
    c.send("{\"type\": \"subscribe\", \"id\": \"a\", \"topics\": " + topics(0, 50) + "}");
    JsonNode a = c.awaitResult("a");
    assertTrue(a.get("ok").asBoolean(), a.toString());
    assertEquals(50, a.get("result").get("added").size(), a.toString());
    assertEquals(51, a.get("result").get("count").asInt(), a.toString());

    c.send("{\"type\": \"subscribe\", \"id\": \"b\", \"topics\": [\"bot:b1\", \"bots\"]}");
    JsonNode b = c.awaitResult("b");
    assertEquals(List.of("bots"), texts(b.get("result").get("added")), b.toString());
    assertEquals(52, b.get("result").get("count").asInt());
    assertFalse(b.get("result").has("topics"), "not the whole list: " + b);

    c.send("{\"type\": \"unsubscribe\", \"id\": \"c\", \"topics\": [\"bot:b1\", \"risk\"]}");
    JsonNode u = c.awaitResult("c");
    assertEquals(List.of("bot:b1"), texts(u.get("result").get("removed")), u.toString());
    assertEquals(51, u.get("result").get("count").asInt());
  }

  @Test
  void messageIdsAndCommandFieldsAreBounded() {
    start(ws -> ws);
    WsTestClient c = connect("topics=system", true);
    c.awaitType("hello");
    c.send("{\"type\": \"ping\", \"id\": \"" + "i".repeat(10_000) + "\"}");
    JsonNode error = c.awaitType("error");
    assertEquals(
        "id", error.path("error").path("details").path("field").asText(), error.toString());
    assertTrue(error.toString().length() < 1_000, "the id is not echoed whole");

    c.send("{\"type\": \"ping\", \"id\": {\"nested\": [1, 2, 3]}}");
    JsonNode nested = c.awaitType("error");
    assertEquals("id", nested.path("error").path("details").path("field").asText());

    c.send(
        "{\"type\": \"execute\", \"id\": \"e\", \"opportunity_id\": \""
            + "o".repeat(5_000)
            + "\", \"idempotency_key\": \"k\"}");
    JsonNode execute = c.awaitResult("e");
    assertEquals(
        "opportunity_id",
        errorOf(execute).path("details").path("field").asText(),
        execute.toString());

    c.send("{\"type\": \"stop_bot\", \"id\": \"s\", \"bot_id\": \"" + "b".repeat(5_000) + "\"}");
    JsonNode stop = c.awaitResult("s");
    assertEquals("bot_id", errorOf(stop).path("details").path("field").asText(), stop.toString());
  }

  @Test
  void restIdsHeadersAndQueryParametersAreBounded() {
    start(ws -> ws);
    Response longBot = server.post(API + "/bots/" + "b".repeat(3_000) + "/stop", null);
    assertEquals(400, longBot.status(), longBot.text());
    assertEquals("bot_id", longBot.json().path("error").path("details").path("field").asText());
    assertTrue(longBot.text().length() < 1_000, "the id is not echoed whole");

    Response longKey =
        server.post(
            API + "/execute", "{\"opportunity_id\": \"x\"}", "Idempotency-Key", "k".repeat(3_000));
    assertEquals(400, longKey.status(), longKey.text());
    assertEquals(
        "idempotency_key", longKey.json().path("error").path("details").path("field").asText());

    Response longOpportunity =
        server.post(API + "/execute", "{\"opportunity_id\": \"" + "o".repeat(3_000) + "\"}");
    assertEquals(400, longOpportunity.status(), longOpportunity.text());

    Response longStrategy = server.get(API + "/opportunities?strategy=" + "s".repeat(3_000));
    assertEquals(400, longStrategy.status(), longStrategy.text());
    assertEquals(
        "strategy", longStrategy.json().path("error").path("details").path("field").asText());
    Response longToken = server.get(API + "/opportunities?token=" + "t".repeat(3_000));
    assertEquals(400, longToken.status(), longToken.text());
    Response badLimit = server.get(API + "/opportunities?limit=0");
    assertEquals(400, badLimit.status(), badLimit.text());
    Response repeated =
        server.get(
            API
                + "/opportunities?"
                + IntStream.range(0, 300)
                    .mapToObj(i -> "limit=1")
                    .collect(Collectors.joining("&")));
    assertEquals(400, repeated.status(), repeated.text());
  }

  @Test
  void whatWaitsForASlowClientIsBoundedInBytes() {
    start(ws -> ws.withMaxQueue(100_000).withMaxQueueBytes(1024 * 1024));
    server.runEmitter("chatty");
    WsTestClient slow = connect("topics=logs", false);
    // 80 lines of 256 KiB (20 MiB): far fewer messages than max_queue, far more bytes than allowed.
    for (int i = 0; i < 8; i++) {
      server.service.sendCommand("chatty", "log", Map.of("count", 10, "size", 256 * 1024));
    }
    slow.read();
    WsTestClient.Closed closed = slow.awaitClosed();
    assertEquals(1008, closed.code(), closed.toString());
    assertTrue(closed.reason().contains("too slow"), closed.reason());
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
