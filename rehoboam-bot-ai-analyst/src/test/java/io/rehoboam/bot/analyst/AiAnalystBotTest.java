package io.rehoboam.bot.analyst;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rehoboam.bot.analyst.AiAnalystProvider.Outcome;
import io.rehoboam.core.ArbitrageService;
import io.rehoboam.core.BotRegistration;
import io.rehoboam.core.TestOpportunities;
import io.rehoboam.core.testing.MutableClock;
import io.rehoboam.core.testing.ScriptedProvider;
import io.rehoboam.spi.Bot;
import io.rehoboam.spi.BotHealth;
import io.rehoboam.spi.BotProvider;
import io.rehoboam.spi.BotSpec;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.Settings;
import io.rehoboam.spi.event.AnalysisEvent;
import io.rehoboam.spi.event.Event;
import io.rehoboam.spi.event.SystemEvent;
import io.rehoboam.testsupport.HttpStandIn;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The ai_analyst bot against a local stand-in speaking the chat-completions protocol. */
class AiAnalystBotTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String WALLET = "0x" + "5a".repeat(20);

  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-02T10:00:00Z"));
  private final List<Outcome> outcomes = new CopyOnWriteArrayList<>();
  private HttpStandIn api;
  private Bot bot;
  private TestContext context;

  @BeforeEach
  void setUp() throws Exception {
    api = new HttpStandIn();
  }

  @AfterEach
  void tearDown() throws Exception {
    if (bot != null) {
      bot.stop(Duration.ofSeconds(1));
    }
    api.close();
  }

  private Map<String, Object> settings(Object... more) {
    Map<String, Object> m = new HashMap<>();
    m.put("base_url", api.uri().toString());
    m.put("model", "deepseek-chat");
    m.put("interval", "1h");
    m.put("retry_backoff", "1s");
    for (int i = 0; i < more.length; i += 2) {
      m.put((String) more[i], more[i + 1]);
    }
    return m;
  }

  private AiAnalystProvider provider() {
    return new AiAnalystProvider(Map.of("DEEPSEEK_API_KEY", Completions.KEY))
        .onOutcome(outcomes::add);
  }

  private Bot start(AiAnalystProvider provider, Map<String, Object> settings) throws Exception {
    context = new TestContext(clock, Settings.of(settings));
    bot =
        provider.create(new BotSpec("analyst", "ai_analyst", null, Settings.of(settings)), context);
    bot.start();
    return bot;
  }

  @Test
  void theRequestCarriesTheKeyOnlyInItsHeaderAndASummaryWithoutSecretsOrAddresses()
      throws Exception {
    // A bot type that declares the kinds of settings a summary must leave out.
    ScriptedProvider scripted = new ScriptedProvider("scripted", java.util.Set.of("wallet_key"));
    for (String name : List.of("max_hops", "wallet", "api_token", "rpc_url")) {
      scripted.declared.add(
          io.rehoboam.spi.SettingSpec.of(name, io.rehoboam.spi.SettingType.STRING, name));
    }
    try (ArbitrageService service =
        ArbitrageService.builder()
            .discoverProviders(false)
            .env(Map.of())
            .provider(scripted)
            .closeTimeout(Duration.ofSeconds(5))
            .build()) {
      service.initialize();
      service.register(
          BotRegistration.of(
              "trader",
              "scripted",
              Settings.of(
                  Map.of(
                      "min_profit",
                      5,
                      "max_hops",
                      "3",
                      "wallet",
                      WALLET,
                      "wallet_key",
                      "do-not-send-this-key",
                      "api_token",
                      "tok-secret-xyz",
                      "rpc_url",
                      "https://node.example/" + Completions.KEY))));
      List<Event> system = new CopyOnWriteArrayList<>();
      CountDownLatch published = new CountDownLatch(1);
      service.subscribe(
          e -> {
            system.add(e);
            published.countDown();
          },
          e ->
              e instanceof AnalysisEvent
                  || e instanceof SystemEvent s && s.kind().equals("analysis"));
      AiAnalystProvider provider = provider().bind(service);
      api.then(Completions.answer(Completions.VALID, 900));
      start(provider, settings());
      context.listeners.get(0).accept(TestOpportunities.sample("opp-1"));
      context.scheduler.runDue();

      assertEquals(1, api.requests.size());
      HttpStandIn.Request r = api.requests.get(0);
      assertEquals("POST", r.method());
      assertEquals("/chat/completions", r.path());
      assertEquals("Bearer " + Completions.KEY, r.header("Authorization"));
      assertTrue(r.header("Content-Type").startsWith("application/json"));
      assertFalse(r.body().contains(Completions.KEY), "no key in the body");
      assertFalse(r.body().contains("do-not-send-this-key"));
      assertFalse(r.body().contains("tok-secret-xyz"));
      assertFalse(r.body().toLowerCase().contains(WALLET.toLowerCase()), "no account address");
      assertFalse(r.body().contains("node.example"), "no URL settings");
      assertFalse(r.body().contains("0x" + "c".repeat(40)), "no address at all");
      JsonNode body = JSON.readTree(r.body());
      assertEquals("deepseek-chat", body.path("model").asText());
      assertEquals("json_object", body.path("response_format").path("type").asText());
      assertEquals("system", body.path("messages").path(0).path("role").asText());
      assertTrue(body.path("messages").path(0).path("content").asText().contains("market_regime"));
      JsonNode summary = JSON.readTree(body.path("messages").path(1).path("content").asText());
      assertEquals(
          1,
          summary.path("market").path("opportunities_since_last_analysis").path("count").asInt());
      assertEquals(
          "cross_venue",
          summary.path("market").path("recent_opportunities").path(0).path("strategy").asText());
      assertEquals(0, summary.path("pnl_24h").path("executions").asInt());
      assertFalse(summary.path("risk").path("kill_switch_tripped").asBoolean());
      JsonNode trader = summary.path("bots").path(0);
      assertEquals("trader", trader.path("id").asText());
      assertEquals(5, trader.path("settings").path("min_profit").asInt());
      assertEquals("3", trader.path("settings").path("max_hops").asText());
      assertEquals(
          List.of("max_hops", "min_profit"),
          iterable(trader.path("settings")),
          "numeric settings only, nothing named like a secret");

      assertTrue(published.await(10, TimeUnit.SECONDS), "an analysis event was published");
      assertEquals(1, system.size(), "an analysis event, no system event: " + system);
      AnalysisEvent analysis = (AnalysisEvent) system.get(0);
      assertEquals("analysis", analysis.type());
      assertEquals("analyst", analysis.botId());
      assertEquals("deepseek-chat", analysis.model());
      assertEquals("volatile", analysis.marketRegime());
      assertEquals("Spreads widened on two venues.", analysis.summary());
      assertEquals(
          List.of(new AnalysisEvent.Anomaly("cross_venue profits doubled", "medium")),
          analysis.anomalies());
      assertEquals(
          List.of(
              new AnalysisEvent.SuggestedChange(
                  "trader",
                  "min_profit",
                  new java.math.BigDecimal("8"),
                  "fewer marginal trades in volatile markets")),
          analysis.suggestedChanges());
      assertEquals(
          List.of(
              new AnalysisEvent.RiskFlag(
                  "loss_streak", "medium", "three failed executions", false)),
          analysis.riskFlags());
      assertEquals(900, analysis.tokensUsed());
      assertEquals(900, analysis.tokensUsedToday());
      assertTrue(analysis.seq() > 0, "analysis with the service's seq");
      JsonNode event = JSON.readTree(provider.latestAnalyses("analyst").get(0));
      assertEquals("analyst", event.path("bot_id").asText());
      assertEquals("volatile", event.path("analysis").path("market_regime").asText());
      assertEquals(900, event.path("tokens_used_today").asLong());
      assertEquals(List.of(event.toString()), provider.latestAnalyses("analyst"));
      assertEquals(Outcome.Kind.PUBLISHED, outcomes.get(0).kind());
      assertEquals(BotHealth.Status.UP, bot.health().status());
      assertEquals(
          8, event.path("analysis").path("suggested_changes").path(0).path("value").asInt());
      assertEquals(5, service.botSettings("trader").get("min_profit"), "advice is never applied");
    }
  }

  @Test
  void malformedAndOffSchemaAnswersAreRejectedReportedAndNeverActedOn() throws Exception {
    try (ArbitrageService service =
        ArbitrageService.builder()
            .discoverProviders(false)
            .env(Map.of())
            .closeTimeout(Duration.ofSeconds(5))
            .build()) {
      service.initialize();
      AiAnalystProvider provider = provider().bind(service);
      String critical = Completions.CRITICAL;
      List<String> bad =
          List.of(
              "this is not JSON",
              "[1,2,3]",
              critical.replace("\"stressed\"", "\"bullish\""),
              critical.replace("\"anomalies\":[]", "\"anomalies\":[],\"execute_now\":true"),
              critical.replace("\"severity\":\"critical\"", "\"severity\":\"apocalyptic\""),
              critical.replace("\"trip_kill_switch\":true", "\"trip_kill_switch\":\"yes\""),
              critical.replace(",\"suggested_changes\":[]", ""));
      for (String content : bad) {
        api.then(Completions.answer(content, 10));
      }
      start(provider, settings("allow_kill_switch", true));
      context.scheduler.runDue();
      for (int i = 1; i < bad.size(); i++) {
        bot.command("analyze", Map.of());
      }
      assertEquals(bad.size(), api.requests.size());
      assertEquals(bad.size(), outcomes.size());
      List<String> reasons = outcomes.stream().map(Outcome::detail).toList();
      for (Outcome o : outcomes) {
        assertEquals(Outcome.Kind.REJECTED, o.kind(), o.toString());
      }
      assertEquals("the answer is not JSON", reasons.get(0));
      assertEquals("the answer is not a JSON object", reasons.get(1));
      assertTrue(reasons.get(2).startsWith("market_regime: expected one of"), reasons.get(2));
      assertEquals("execute_now: not part of the schema", reasons.get(3));
      assertTrue(reasons.get(4).startsWith("risk_flags[].severity"), reasons.get(4));
      assertEquals("risk_flags[].trip_kill_switch: expected a boolean", reasons.get(5));
      assertEquals("suggested_changes: expected a list", reasons.get(6));
      assertFalse(
          service.riskState().killSwitch().tripped(), "a rejected answer is never acted on");
      assertTrue(provider.latestAnalyses("analyst").isEmpty());
      assertEquals(BotHealth.Status.DEGRADED, bot.health().status());
      assertTrue(bot.health().message().startsWith("last answer rejected: "));
      assertTrue(
          context.logs.stream()
              .anyMatch(l -> l.startsWith("WARN analysis rejected and not acted on")));
    }
  }

  @Test
  void aCriticalFlagTripsTheKillSwitchOnlyWhenAllowed() throws Exception {
    for (boolean allowed : new boolean[] {false, true}) {
      try (ArbitrageService service =
          ArbitrageService.builder()
              .discoverProviders(false)
              .env(Map.of())
              .closeTimeout(Duration.ofSeconds(5))
              .build()) {
        service.initialize();
        api.then(Completions.answer(Completions.CRITICAL, 10));
        start(provider().bind(service), settings("allow_kill_switch", allowed));
        context.scheduler.runDue();
        assertEquals(allowed, service.riskState().killSwitch().tripped(), "allowed " + allowed);
        if (allowed) {
          assertEquals("ai_analyst:analyst", service.riskState().killSwitch().by());
        } else {
          assertTrue(
              context.logs.stream().anyMatch(l -> l.contains("allow_kill_switch is false")),
              context.logs.toString());
        }
        bot.stop(Duration.ofSeconds(1));
      }
    }
  }

  @Test
  void retries429And5xxWithBackoffHonouringRetryAfter() throws Exception {
    api.then(
        new HttpStandIn.Answer(
            429, Map.of("Retry-After", "9"), "{\"error\":{\"message\":\"slow down\"}}"),
        new HttpStandIn.Answer(503, Map.of(), "{}"),
        Completions.answer(Completions.VALID, 50));
    start(provider(), settings("retries", 3));
    context.scheduler.runDue();
    assertEquals(1, api.requests.size());
    assertEquals(List.of(Duration.ofSeconds(9)), context.scheduler.pendingDelays());
    assertEquals(BotHealth.Status.DEGRADED, bot.health().status());
    assertTrue(bot.health().message().contains("HTTP 429"), bot.health().message());
    context.scheduler.advance(Duration.ofMillis(8999));
    assertEquals(1, api.requests.size(), "Retry-After is honoured");
    context.scheduler.advance(Duration.ofMillis(1));
    assertEquals(2, api.requests.size());
    assertEquals(
        List.of(Duration.ofSeconds(2)), context.scheduler.pendingDelays(), "backoff 1s, 2s");
    context.scheduler.advance(Duration.ofSeconds(2));
    assertEquals(3, api.requests.size());
    assertEquals(Outcome.Kind.PUBLISHED, outcomes.get(0).kind());
    assertEquals(BotHealth.Status.UP, bot.health().status());
  }

  @Test
  void aUsedUpDailyBudgetSendsNoRequestUntilTheNextDay() throws Exception {
    api.then(
        Completions.answer(Completions.VALID, 1500), Completions.answer(Completions.VALID, 10));
    start(provider(), settings("max_tokens_per_day", 1000));
    context.scheduler.runDue();
    assertEquals(1, api.requests.size());
    bot.command("analyze", Map.of());
    assertEquals(1, api.requests.size(), "budget used up: no call");
    assertEquals(Outcome.Kind.SKIPPED_BUDGET, outcomes.get(1).kind());
    assertEquals(BotHealth.Status.DEGRADED, bot.health().status());
    assertTrue(bot.health().message().contains("1500 of 1000 tokens"), bot.health().message());
    // The interval's next round, the same UTC day: still nothing.
    context.scheduler.advance(Duration.ofHours(1));
    assertEquals(1, api.requests.size());
    // Next UTC day (the 15:00 round after midnight passed): requests again.
    context.scheduler.advance(Duration.ofHours(13));
    assertEquals(2, api.requests.size());
  }

  @Test
  void aTimeoutIsAFailureReportedInTheHealth() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    api.hold = release;
    start(provider(), settings("timeout", "1s", "retries", 0));
    try {
      context.scheduler.runDue();
    } finally {
      release.countDown();
    }
    assertEquals(Outcome.Kind.FAILED, outcomes.get(0).kind());
    assertEquals("chat completions failing: SocketTimeoutException", bot.health().message());
  }

  @Test
  void settingsAreCheckedAndTheProviderIsDiscovered() {
    RehoboamException missing =
        assertThrows(
            RehoboamException.class,
            () ->
                new AiAnalystProvider(Map.of())
                    .create(new BotSpec("a", "ai_analyst", null, Settings.empty()), context()));
    assertEquals(ErrorCode.INVALID_CONFIG, missing.code());
    assertEquals(
        "api_key_env: the environment variable 'DEEPSEEK_API_KEY' is not set",
        missing.getMessage());
    RehoboamException unknown =
        assertThrows(
            RehoboamException.class,
            () ->
                provider()
                    .create(
                        new BotSpec("a", "ai_analyst", null, Settings.of(Map.of("apikey", "x"))),
                        context()));
    assertTrue(unknown.getMessage().startsWith("unknown setting 'apikey'"), unknown.getMessage());
    RehoboamException interval =
        assertThrows(
            RehoboamException.class,
            () ->
                provider()
                    .create(
                        new BotSpec("a", "ai_analyst", null, Settings.of(Map.of("interval", "1s"))),
                        context()));
    assertEquals(ErrorCode.INVALID_CONFIG, interval.code());
    assertTrue(
        interval.getMessage().startsWith("interval: must be at least 10s"), interval.getMessage());
    boolean found = false;
    for (BotProvider p : ServiceLoader.load(BotProvider.class)) {
      found |= p.type().equals("ai_analyst");
    }
    assertTrue(found, "ai_analyst is found by ServiceLoader");
  }

  private TestContext context() {
    return new TestContext(clock, Settings.empty());
  }

  private static List<String> iterable(JsonNode n) {
    List<String> out = new java.util.ArrayList<>();
    n.fieldNames().forEachRemaining(out::add);
    return out;
  }
}
