package io.rehoboam.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.rehoboam.http.testing.LogCapture;
import io.rehoboam.http.testing.TestServer;
import io.rehoboam.http.testing.TestServer.Response;
import io.rehoboam.http.testing.WsTestClient;
import io.rehoboam.spi.event.SystemEvent;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 23, defect 4: text a client chooses (an opportunity id, a URL-encoded bot id, a setting)
 * must not be able to write a line of its own into the log.
 */
class LogForgingIT {
  private static final String API = "/api/arbitrage";

  /** What a forged line would start with: it looks like an ERROR of the service. */
  private static final String FORGED =
      "12:00:00.000 [main] ERROR io.rehoboam.core.ArbitrageService";

  @Test
  void clientTextCannotStartALogLine() throws Exception {
    try (LogCapture log = new LogCapture();
        TestServer server = TestServer.start()) {
      CountDownLatch audited = new CountDownLatch(1);
      server.service.subscribe(
          e -> {
            if (e instanceof SystemEvent s && s.message().contains("ws-forged")) {
              audited.countDown();
            }
          });

      Response execute =
          server.post(
              API + "/execute", "{\"opportunity_id\": \"nope\\n" + FORGED + " - execute forged\"}");
      assertEquals(404, execute.status(), execute.text());

      // A URL-encoded newline in the path is refused before any handler (Jetty's URI rules)...
      String newline = "nobody\n" + FORGED + " - newline forged";
      Response refused = server.post(API + "/bots/" + encode(newline) + "/stop", null);
      assertTrue(refused.status() == 400 || refused.status() == 404, refused.text());
      // ... a URL-encoded line separator reaches the handler and the audit record, escaped.
      String botId = "nobody\u2028" + FORGED + " - path forged";
      Response stop = server.post(API + "/bots/" + encode(botId) + "/stop", null);
      assertTrue(stop.status() == 400 || stop.status() == 404, stop.text()); // too long, or unknown

      Response register =
          server.post(
              API + "/bots",
              "{\"id\": \"noted\", \"type\": \"emitter\", \"settings\": {\"note\": \"a\\r\\n"
                  + FORGED
                  + " - setting forged\\u2028"
                  + FORGED
                  + " - separator forged\"}}");
      assertEquals(201, register.status(), register.text());

      try (WsTestClient ws = WsTestClient.connect(server.http.webSocketUri())) {
        ws.awaitType("hello");
        ws.send(
            "{\"type\": \"execute\", \"id\": \"x\", \"opportunity_id\": \"ws-forged\\u0085"
                + FORGED
                + " - ws forged\"}");
        JsonNode result = ws.awaitResult("x");
        assertFalse(result.get("ok").asBoolean(), result.toString());
      }
      assertTrue(audited.await(20, TimeUnit.SECONDS), "the WebSocket execute was audited");

      String text = log.text();
      assertTrue(text.contains("execute forged"), "the log was captured: " + text);
      assertTrue(text.contains("path forged"), text);
      assertTrue(text.contains("setting forged"), text);
      assertTrue(text.contains("ws forged"), text);
      List<String> lines = log.lines();
      for (String line : lines) {
        assertFalse(line.startsWith(FORGED), "a forged log line: " + line);
      }
    }
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
