package io.rehoboam.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.rehoboam.http.testing.TestServer;
import io.rehoboam.http.testing.WsTestClient;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Graceful shutdown with connected clients. */
class ShutdownIT {

  @Test
  void shutdownRefusesRequestsStopsBotsAndClosesClientsWithAReason() throws Exception {
    Set<Thread> before = new HashSet<>(Thread.getAllStackTraces().keySet());
    TestServer server = TestServer.start();
    server.runEmitter("a");
    server.runEmitter("b");
    WsTestClient client = WsTestClient.connect(server.http.webSocketUri());
    WsTestClient control = WsTestClient.connect(server.http.webSocketUri());
    client.awaitType("hello");
    control.awaitType("hello");

    java.net.URI botsUri = server.uri("/api/arbitrage/bots");
    Map<Thread, StackTraceElement[]> snapshot = Thread.getAllStackTraces();
    List<String> unnamed =
        snapshot.entrySet().stream()
            .filter(e -> !before.contains(e.getKey()))
            .filter(e -> !e.getKey().getName().startsWith("rehoboam-"))
            .filter(e -> !isTestClientThread(e.getKey(), e.getValue()))
            .map(e -> e.getKey().getName() + " " + Arrays.toString(e.getValue()))
            .sorted()
            .collect(Collectors.toList());
    assertEquals(List.of(), unnamed, "every thread of the server is named rehoboam-...");

    server.http.beginShutdown();

    TestServer.Response refused = server.get("/api/arbitrage/bots");
    assertEquals(503, refused.status());
    assertEquals("SHUTTING_DOWN", refused.errorCode());
    control.send("{\"type\": \"stop_bot\", \"id\": \"late\", \"bot_id\": \"a\"}");
    JsonNode lateCommand = control.awaitResult("late");
    assertFalse(lateCommand.get("ok").asBoolean());
    assertEquals("SHUTTING_DOWN", lateCommand.get("error").get("code").asText());

    server.service.close();

    JsonNode stopping =
        client.await(
            m ->
                m.path("type").asText().equals("system")
                    && m.path("kind").asText().equals("stopping"));
    assertTrue(stopping.get("seq").asLong() > 0);
    Set<String> stopped = new HashSet<>();
    while (stopped.size() < 2) {
      JsonNode status =
          client.await(
              m ->
                  m.path("type").asText().equals("bot.status")
                      && m.path("to").asText().equals("stopped"));
      stopped.add(status.get("bot_id").asText());
    }
    assertEquals(Set.of("a", "b"), stopped);

    server.http.close();

    // Queued events still reach the client before the close frame.
    client.await(
        m -> m.path("type").asText().equals("system") && m.path("kind").asText().equals("stopped"));

    WsTestClient.Closed closed = client.awaitClosed();
    assertEquals(1001, closed.code());
    assertEquals("server shutting down", closed.reason());
    assertEquals(1001, control.awaitClosed().code());
    assertThrows(
        IOException.class,
        () ->
            server.client.send(
                HttpRequest.newBuilder(botsUri).build(), HttpResponse.BodyHandlers.ofString()));
    List<String> leftOver =
        Thread.getAllStackTraces().entrySet().stream()
            .filter(e -> !before.contains(e.getKey()) && e.getKey().isAlive())
            .filter(e -> !isTestClientThread(e.getKey(), e.getValue()))
            .map(e -> e.getKey().getName())
            .sorted()
            .collect(Collectors.toList());
    assertEquals(List.of(), leftOver, "threads the server started and did not stop");
    server.close();
  }

  /**
   * Threads of the test's own HTTP and WebSocket clients. On a two-core machine the JDK runs
   * CompletableFuture's default async tasks on fresh unnamed threads ("Thread-N"); those that run
   * no server code are the clients'.
   */
  private static boolean isTestClientThread(Thread thread, StackTraceElement[] stack) {
    String name = thread.getName();
    if (name.startsWith("HttpClient-") || name.equals("CompletableFutureDelayScheduler")) {
      return true;
    }
    return name.startsWith("Thread-")
        && Arrays.stream(stack)
            .map(StackTraceElement::getClassName)
            .noneMatch(
                c ->
                    c.startsWith("io.javalin")
                        || c.startsWith("org.eclipse.jetty")
                        || c.startsWith("io.rehoboam.core")
                        || (c.startsWith("io.rehoboam.http") && !c.contains(".testing.")));
  }
}
