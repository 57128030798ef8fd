package io.rehoboam.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.rehoboam.core.risk.RiskLimits;
import io.rehoboam.http.ServerSettings.AlertSettings;
import io.rehoboam.http.ServerSettings.Webhook;
import io.rehoboam.http.testing.FailingBotProvider;
import io.rehoboam.http.testing.FakeSource;
import io.rehoboam.http.testing.TestServer;
import io.rehoboam.http.testing.TestServer.Response;
import io.rehoboam.spi.market.SourceHealth;
import io.rehoboam.spi.trade.Execution;
import io.rehoboam.spi.trade.ExecutionMode;
import io.rehoboam.spi.trade.ExecutionRequest;
import io.rehoboam.spi.trade.ExecutionStatus;
import io.rehoboam.spi.trade.TradeExecutor;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Alerts reach a local webhook receiver; one that is down or failing never stops the service. */
class AlertsIT {
  private HttpServer receiver;
  private final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
  private final AtomicInteger attempts = new AtomicInteger();

  /** Requests the receiver answers 500 before it starts taking alerts. */
  private final AtomicInteger failFirst = new AtomicInteger();

  private final FakeSource market = new FakeSource("market");
  private TestServer server;

  @BeforeEach
  void startReceiver() throws IOException {
    receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    receiver.createContext(
        "/alerts",
        exchange -> {
          byte[] body = exchange.getRequestBody().readAllBytes();
          attempts.incrementAndGet();
          int status = failFirst.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? 500 : 204;
          if (status == 204) {
            received.add(TestServer.JSON.readTree(new String(body, StandardCharsets.UTF_8)));
          }
          exchange.sendResponseHeaders(status, -1);
          exchange.close();
        });
    receiver.start();
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    receiver.stop(0);
  }

  private URI receiverUri() {
    return URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/alerts");
  }

  /** A loopback port nobody listens on: a receiver that is down. */
  private static URI downUri() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/alerts");
    }
  }

  private void start(RiskLimits limits, TradeExecutor executor, URI... hooks) {
    List<Webhook> webhooks =
        java.util.Arrays.stream(hooks)
            .map(u -> new Webhook(u, Duration.ofSeconds(2), 2, Duration.ofMillis(50)))
            .toList();
    server =
        TestServer.start(
            b -> {
              b.marketSource(market).provider(new FailingBotProvider()).riskLimits(limits);
              if (executor != null) {
                b.executor(executor).defaultExecutor(executor.id());
              }
            },
            s -> s.withAlerts(new AlertSettings(true, webhooks, Duration.ofMillis(100))));
  }

  private JsonNode next() throws InterruptedException {
    JsonNode alert = received.poll(20, TimeUnit.SECONDS);
    assertTrue(alert != null, "no alert within 20 s");
    return alert;
  }

  @Test
  void aBotInErrorAndATrippedKillSwitchAreSentWhileADownReceiverIsRetriedAndGivenUp()
      throws Exception {
    start(RiskLimits.NONE, null, downUri(), receiverUri());

    server.service.register(FailingBotProvider.never("broken"));
    server.service.start("broken");
    JsonNode botError = next();
    server.service.risk().trip("operator pressed the button");
    JsonNode tripped = next();

    assertEquals("bot_error", botError.get("alert").asText());
    assertEquals("critical", botError.get("severity").asText());
    assertEquals("broken", botError.get("bot_id").asText());
    assertTrue(botError.get("message").asText().contains("entered error"), botError.toString());
    assertTrue(botError.get("seq").asLong() > 0);
    assertEquals("kill_switch_tripped", tripped.get("alert").asText());
    assertTrue(tripped.get("message").asText().contains("operator pressed the button"));
    // The service goes on although one receiver is down.
    assertEquals(200, server.get("/api/arbitrage/bots").status());
    server.runEmitter("scout");
    assertEquals("running", server.service.bot("scout").status().wireName());
  }

  @Test
  void theServerKeepsTheAlertsItRaisedNewestFirstForTheApi() throws Exception {
    start(RiskLimits.NONE, null, receiverUri());
    assertEquals(0, server.get("/api/arbitrage/alerts").json().get("count").asInt());

    server.service.register(FailingBotProvider.never("broken"));
    server.service.start("broken");
    JsonNode sentFirst = next();
    server.service.risk().trip("operator pressed the button");
    JsonNode sentSecond = next();

    Response listed = server.get("/api/arbitrage/alerts");
    assertEquals(200, listed.status(), listed.text());
    assertEquals(2, listed.json().get("count").asInt());
    JsonNode alerts = listed.json().get("alerts");
    assertEquals(sentSecond, alerts.get(0), "newest first, as the webhook got it");
    assertEquals(sentFirst, alerts.get(1));
    assertEquals("bot_error", alerts.get(1).get("alert").asText());
    JsonNode one = server.get("/api/arbitrage/alerts?limit=1").json();
    assertEquals(1, one.get("count").asInt());
    assertEquals("kill_switch_tripped", one.get("alerts").get(0).get("alert").asText());
    for (String bad : List.of("limit=0", "limit=201", "limit=many", "since=1")) {
      Response r = server.get("/api/arbitrage/alerts?" + bad);
      assertEquals(400, r.status(), bad + ": " + r.text());
      assertEquals(
          bad.substring(0, bad.indexOf('=')), r.json().at("/error/details/field").asText());
    }
  }

  @Test
  void aFailingReceiverGetsTheAlertOnARetry() throws Exception {
    failFirst.set(2);
    start(RiskLimits.NONE, null, receiverUri());

    server.service.risk().trip("test");
    JsonNode alert = next();

    assertEquals("kill_switch_tripped", alert.get("alert").asText());
    assertEquals(3, attempts.get(), "two failures, then delivered");
  }

  @Test
  void aSourceTurningUnhealthyIsRaisedOnceUntilItRecovers() throws Exception {
    start(RiskLimits.NONE, null, receiverUri());
    server.runEmitter("watcher"); // a bot uses the source

    market.health(SourceHealth.down("rpc unreachable"));
    JsonNode down = next();

    assertEquals("source_unhealthy", down.get("alert").asText());
    assertEquals("market", down.get("source_id").asText());
    assertTrue(down.get("message").asText().contains("rpc unreachable"));
    server.service.risk().trip("marker");
    assertEquals("kill_switch_tripped", next().get("alert").asText(), "no repeat while down");
    market.health(SourceHealth.up(Instant.now()));
    JsonNode recovered = next();
    assertEquals("source_recovered", recovered.get("alert").asText());
    assertEquals("info", recovered.get("severity").asText());
    market.health(SourceHealth.down("again"));
    JsonNode again = next();
    assertEquals("source_unhealthy", again.get("alert").asText());
    assertTrue(again.get("message").asText().contains("again"));
  }

  @Test
  void aSourceNoBotUsesRaisesNoAlertWhenItIsDown() throws Exception {
    FakeSource spare = new FakeSource("spare");
    List<Webhook> webhooks =
        List.of(new Webhook(receiverUri(), Duration.ofSeconds(2), 2, Duration.ofMillis(50)));
    server =
        TestServer.start(
            b -> b.marketSource(market).marketSource(spare).riskLimits(RiskLimits.NONE),
            s -> s.withAlerts(new AlertSettings(true, webhooks, Duration.ofMillis(100))));
    server.service.register(
        io.rehoboam.core.BotRegistration.of(
            "watcher",
            "emitter",
            io.rehoboam.spi.Settings.of(java.util.Map.of("sources", List.of("market")))));
    server.service.start("watcher"); // uses market only

    spare.health(SourceHealth.down("nobody subscribed"));
    market.health(SourceHealth.down("rpc unreachable"));
    JsonNode down = next();
    // One check looks at every source: had it raised the spare one, that alert came before this.
    server.service.risk().trip("marker");
    JsonNode marker = next();

    assertEquals("source_unhealthy", down.get("alert").asText());
    assertEquals("market", down.get("source_id").asText(), down.toString());
    assertEquals("kill_switch_tripped", marker.get("alert").asText(), marker.toString());
  }

  @Test
  void theDailyLossLimitIsItsOwnAlert() throws Exception {
    start(
        new RiskLimits(null, null, new BigDecimal("10"), null, false), new Losing(), receiverUri());
    server.runEmitter("scout");
    server.publish("scout", "opp-1", 4000, "12.5");

    assertEquals(
        200, server.post("/api/arbitrage/execute", "{\"opportunity_id\": \"opp-1\"}").status());
    JsonNode alert = next();

    assertEquals("daily_loss_limit", alert.get("alert").asText());
    assertTrue(alert.get("message").asText().contains("daily loss limit"), alert.toString());
    assertTrue(server.service.risk().isTripped());
  }

  /** Executes at a loss of 50 USD. */
  private static final class Losing implements TradeExecutor {
    @Override
    public String id() {
      return "losing";
    }

    @Override
    public ExecutionMode mode() {
      return ExecutionMode.PAPER;
    }

    @Override
    public CompletionStage<Execution> execute(ExecutionRequest request) {
      Instant now = Instant.now();
      return CompletableFuture.completedFuture(
          Execution.submitted(
                  request.executionId(),
                  request.opportunity().id(),
                  ExecutionMode.PAPER,
                  request.opportunity().netProfit(),
                  now)
              .withGasUsed(BigInteger.valueOf(21_000))
              .withRealized(BigInteger.valueOf(-50), new BigDecimal("-50"))
              .withStatus(ExecutionStatus.CONFIRMED, null, now));
    }

    @Override
    public void close() {}
  }
}
