package io.rehoboam.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rehoboam.http.testing.TestServer;
import io.rehoboam.http.testing.TestServer.Response;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Concurrent identical execute requests: one execution, never a second. */
class ExecuteIdempotencyIT {
  private static final int CONCURRENT = 16;

  private TestServer server;

  @BeforeEach
  void start() {
    server = TestServer.start();
    server.runEmitter("scout");
    server.publish("scout", "opp-1", 4000, "12.5");
    server.publish("scout", "opp-2", 3000, "9");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void sixteenConcurrentRequestsWithOneKeyGetTheSameExecution() {
    CompletableFuture<Void> gate = server.executor.hold();

    List<CompletableFuture<HttpResponse<String>>> responses = fire("opp-1", "key-1");
    // The execution is held while the other fifteen requests arrive.
    server.executor.firstCall().orTimeout(30, TimeUnit.SECONDS).join();
    gate.complete(null);

    Set<String> executionIds = new HashSet<>();
    for (CompletableFuture<HttpResponse<String>> f : responses) {
      Response r = TestServer.response(f.orTimeout(30, TimeUnit.SECONDS).join());
      assertEquals(200, r.status(), r.text());
      assertEquals("confirmed", r.json().get("status").asText());
      executionIds.add(r.json().get("id").asText());
    }
    assertEquals(1, executionIds.size(), executionIds.toString());
    assertEquals(1, server.executor.calls());

    Response later =
        server.post(
            "/api/arbitrage/execute",
            "{\"opportunity_id\": \"opp-1\"}",
            "Idempotency-Key",
            "key-1");
    assertEquals(200, later.status());
    assertEquals(executionIds.iterator().next(), later.json().get("id").asText());
    assertEquals(1, server.executor.calls());
  }

  @Test
  void aKeyReusedForAnotherOpportunityIs409() {
    server.post(
        "/api/arbitrage/execute", "{\"opportunity_id\": \"opp-1\"}", "Idempotency-Key", "key-1");

    Response r =
        server.post(
            "/api/arbitrage/execute",
            "{\"opportunity_id\": \"opp-2\"}",
            "Idempotency-Key",
            "key-1");

    assertEquals(409, r.status(), r.text());
    assertEquals("CONFLICT", r.errorCode());
    assertEquals(1, server.executor.calls());
  }

  @Test
  void withoutAKeyOneOfSixteenWinsAndTheOthersAre409() {
    CompletableFuture<Void> gate = server.executor.hold();

    List<CompletableFuture<HttpResponse<String>>> responses = fire("opp-2", null);
    server.executor.firstCall().orTimeout(30, TimeUnit.SECONDS).join();
    gate.complete(null);

    Map<Integer, Integer> byStatus = new TreeMap<>();
    for (CompletableFuture<HttpResponse<String>> f : responses) {
      Response r = TestServer.response(f.orTimeout(30, TimeUnit.SECONDS).join());
      byStatus.merge(r.status(), 1, Integer::sum);
      if (r.status() == 409) {
        assertEquals("ALREADY_EXECUTED", r.errorCode());
      }
    }
    assertEquals(Map.of(200, 1, 409, CONCURRENT - 1), byStatus);
    assertEquals(1, server.executor.calls());
  }

  private List<CompletableFuture<HttpResponse<String>>> fire(String opportunityId, String key) {
    List<CompletableFuture<HttpResponse<String>>> out = new ArrayList<>();
    for (int i = 0; i < CONCURRENT; i++) {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(server.uri("/api/arbitrage/execute"))
              .header("Content-Type", "application/json")
              .POST(
                  HttpRequest.BodyPublishers.ofString(
                      "{\"opportunity_id\": \"" + opportunityId + "\"}"));
      if (key != null) {
        request.header("Idempotency-Key", key);
      }
      out.add(server.client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString()));
    }
    return out;
  }
}
