package io.rehoboam.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.core.ArbitrageService;
import io.rehoboam.core.BotRegistration;
import io.rehoboam.core.ExecuteRequest;
import io.rehoboam.core.risk.RiskLimits;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.Settings;
import io.rehoboam.spi.event.BotState;
import io.rehoboam.spi.trade.Execution;
import io.rehoboam.spi.trade.ExecutionStatus;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A service on a journal, closed and started again on the same storage: {@link H2RecoveryTest} (a
 * data directory) and {@link PostgresRecoveryTest} (a PostgreSQL database) run these tests.
 */
abstract class RecoveryTest {
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  private final Clock clock = Clock.fixed(T0, ZoneOffset.UTC);

  /** Opens (again) the journal under test: the same storage at every call of one test. */
  abstract JdbcJournal openJournal(Clock clock);

  /** Everything the storage holds, as text, to look for what must never be stored. */
  abstract String everythingStored() throws Exception;

  private final TestWorld.Publisher publisher = new TestWorld.Publisher();
  private TestWorld.Scripted executor;
  private ArbitrageService service;
  private RecoveryEvents recovery;

  private ArbitrageService start(RiskLimits limits) {
    executor = new TestWorld.Scripted();
    recovery = new RecoveryEvents();
    service =
        ArbitrageService.builder()
            .discoverProviders(false)
            .env(Map.of())
            .clock(clock)
            .provider(publisher)
            .executor(executor)
            .riskLimits(limits)
            .journal(openJournal(clock))
            .build();
    service.subscribe(recovery);
    service.initialize();
    return service;
  }

  private void restart(RiskLimits limits) {
    service.close();
    start(limits);
  }

  @AfterEach
  void close() {
    if (service != null) {
      service.close();
    }
  }

  private void publish(String... ids) {
    publisher.toPublish.clear();
    for (String id : ids) {
      publisher.toPublish.add(TestWorld.opportunity(id, T0));
    }
    if (service.bots().stream().noneMatch(b -> b.botId().equals("pub"))) {
      service.register(BotRegistration.of("pub", "publisher", Settings.empty()));
    }
    service.stop("pub");
    assertEquals(BotState.RUNNING, service.start("pub").status());
  }

  private static ExecuteRequest keyed(String key) {
    return new ExecuteRequest(null, false, key, null);
  }

  @Test
  void theSameOpportunityAndTheSameKeyAreRefusedAfterARestart() {
    start(RiskLimits.NONE);
    publish("op-1", "op-2");
    Execution first = service.execute("op-1", keyed("k-1"));
    assertEquals(ExecutionStatus.SIMULATED, first.status());

    restart(RiskLimits.NONE);
    publish("op-1", "op-2");
    RehoboamException again =
        assertThrows(
            RehoboamException.class, () -> service.execute("op-1", ExecuteRequest.defaults()));
    assertEquals(ErrorCode.ALREADY_EXECUTED, again.code());
    assertTrue(again.getMessage().contains(first.id()), again.getMessage());
    Execution sameKey = service.execute("op-1", keyed("k-1"));
    assertEquals(first, sameKey, "the same key returns the recorded execution");
    RehoboamException otherOpportunity =
        assertThrows(RehoboamException.class, () -> service.execute("op-2", keyed("k-1")));
    assertEquals(ErrorCode.CONFLICT, otherOpportunity.code());
    assertEquals(List.of(), executor.calls, "nothing reached the executor after the restart");
    assertEquals(
        ExecutionStatus.SIMULATED, service.execute("op-2", ExecuteRequest.defaults()).status());
  }

  @Test
  void theKillSwitchAndChangedLimitsAreKeptAcrossARestart() throws Exception {
    start(RiskLimits.DEFAULT);
    service.changeRiskLimits(Map.of("max_trades_per_minute", 7, "min_net_profit", "0.5"), "ops");
    service.tripKillSwitch("exchange incident", "ops");

    restart(RiskLimits.DEFAULT);

    io.rehoboam.core.risk.RiskState state = service.riskState();
    assertTrue(state.killSwitch().tripped(), "still tripped after the restart");
    assertEquals("ops", state.killSwitch().by());
    assertEquals("exchange incident", state.killSwitch().reason());
    assertEquals(T0, state.killSwitch().at());
    assertEquals(7, state.limits().maxTradesPerMinute());
    assertEquals(0, new BigDecimal("0.5").compareTo(state.limits().minNetProfit()));
    assertEquals("ops", state.limitsChangedBy());
    recovery.await(m -> m.contains("risk controls: kill switch tripped by ops"));
    publish("op-k");
    RehoboamException refused =
        assertThrows(
            RehoboamException.class, () -> service.execute("op-k", ExecuteRequest.defaults()));
    assertEquals(ErrorCode.RISK_REJECTED, refused.code());

    service.resetKillSwitch("incident over", "ops");
    restart(RiskLimits.DEFAULT);
    assertFalse(service.riskState().killSwitch().tripped(), "the reset is kept too");
    assertEquals("ops", service.riskState().killSwitch().resetBy());
  }

  @Test
  void settingsChangedByAnOperatorAreKeptAcrossARestart() throws Exception {
    start(RiskLimits.NONE);
    publish("op-s");
    io.rehoboam.core.SettingsChange change =
        service.changeSettings("pub", Map.of("greeting", "hello"), "ops");
    assertEquals(io.rehoboam.core.SettingsChange.RESTARTED, change.applied());
    assertEquals("hello", change.settings().get("greeting"));

    restart(RiskLimits.NONE);

    assertEquals("hello", service.botSettings("pub").get("greeting"));
    recovery.await(m -> m.contains("bot pub runs with the settings an operator changed"));
  }

  @Test
  void theTradeHistoryAndItsPnlSurviveARestart() {
    start(RiskLimits.NONE);
    publish("op-a", "op-b");
    executor.profitUsd.put("op-a", new BigDecimal("2.5"));
    executor.profitUsd.put("op-b", new BigDecimal("-1"));
    Execution a = service.execute("op-a", ExecuteRequest.defaults());
    service.execute("op-b", ExecuteRequest.defaults());

    restart(RiskLimits.NONE);

    var page = service.executions(io.rehoboam.core.history.ExecutionQuery.newest());
    assertEquals(2, page.executions().size());
    var first = service.execution(a.id());
    assertEquals("op-a", first.opportunityId());
    assertEquals("cross_venue", first.strategy());
    assertEquals(2, first.legs().size(), "the legs come back from the journalled opportunity");
    assertEquals(0, new BigDecimal("2.5").compareTo(first.realizedProfitUsd()));
    var pnl = service.pnl(io.rehoboam.core.history.PnlQuery.all());
    assertEquals(2, pnl.totals().executions());
    assertEquals("1.500000", pnl.totals().realizedProfitUsd().toPlainString());
    assertEquals(1, pnl.totals().wins());
  }

  @Test
  void aPaperExecutionLeftInFlightIsMarkedFailedWithAReason() throws Exception {
    start(RiskLimits.NONE);
    publish("op-hang");
    executor.hang.add("op-hang");
    service.executeAsync("op-hang", keyed("k-h"));

    restart(RiskLimits.NONE);
    recovery.await(m -> m.contains("1 left in flight"));
    recovery.await(m -> m.contains("recovered as failed") && m.contains("nothing was sent"));
    Execution recovered =
        service
            .executeAsync("op-hang", keyed("k-h"))
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    assertEquals(ExecutionStatus.FAILED, recovered.status());
    assertTrue(recovered.reason().contains("paper execution: nothing was sent"));
  }

  @Test
  void botsReturnToTheirDesiredStateAndKeepTheirProfitAndTheDailyLossCounts() {
    start(new RiskLimits(null, null, new BigDecimal("5"), null, false));
    publish("op-a", "op-b", "op-c");
    service.register(BotRegistration.of("stopped-one", "publisher", Settings.empty()));
    executor.profitUsd.put("op-a", new BigDecimal("2.5"));
    executor.profitUsd.put("op-b", new BigDecimal("-3"));
    service.execute("op-a", ExecuteRequest.defaults());
    service.execute("op-b", ExecuteRequest.defaults());
    assertEquals(new BigDecimal("3"), service.risk().lossToday());

    restart(new RiskLimits(null, null, new BigDecimal("5"), null, false));
    assertEquals(
        List.of("pub", "stopped-one"), service.bots().stream().map(b -> b.botId()).toList());
    assertEquals(BotState.RUNNING, service.bot("pub").desiredState());
    assertEquals(BotState.STOPPED, service.bot("stopped-one").desiredState());
    assertEquals(new BigDecimal("3"), service.risk().lossToday(), "today's losses survive");
    publish("op-c");
    executor.profitUsd.put("op-c", new BigDecimal("-2"));
    service.execute("op-c", ExecuteRequest.defaults());
    assertTrue(service.risk().isTripped(), "3 + 2 reach the daily loss limit of 5");

    service.unregister("stopped-one");
    restart(new RiskLimits(null, null, new BigDecimal("5"), null, false));
    assertEquals(List.of("pub"), service.bots().stream().map(b -> b.botId()).toList());
    assertTrue(service.risk().isTripped(), "the day's losses still trip the switch");
  }

  @Test
  void aRunTimeRegistrationIsJournalledWithoutItsSecrets() {
    io.rehoboam.spi.BotProvider keyed =
        new io.rehoboam.spi.BotProvider() {
          @Override
          public String type() {
            return "keyed";
          }

          @Override
          public int spiVersion() {
            return io.rehoboam.spi.Spi.VERSION;
          }

          @Override
          public io.rehoboam.spi.SettingsSchema settingsSchema() {
            return io.rehoboam.spi.SettingsSchema.of(
                io.rehoboam.spi.SettingSpec.of(
                        "api_key", io.rehoboam.spi.SettingType.STRING, "the venue's key")
                    .secret(),
                io.rehoboam.spi.SettingSpec.of(
                    "venue", io.rehoboam.spi.SettingType.STRING, "the venue"));
          }

          @Override
          public io.rehoboam.spi.Bot create(
              io.rehoboam.spi.BotSpec spec, io.rehoboam.spi.BotContext context) {
            return new io.rehoboam.spi.Bot() {
              @Override
              public void start() {}

              @Override
              public void stop(java.time.Duration timeout) {}
            };
          }
        };
    start(RiskLimits.NONE);
    service.registerProvider(keyed);
    service.register(
        BotRegistration.of(
            "k", "keyed", Settings.of(Map.of("api_key", "sk-live-0a1b2c3d", "venue", "uni"))));
    service.close();
    service = null;
    try (JdbcJournal journal = openJournal(clock)) {
      BotRegistration stored = journal.load().registrations().get(0);
      assertEquals("k", stored.id());
      assertEquals(
          java.util.Set.of("venue"), stored.settings().names(), "the secret is not on disk");
    }
  }

  @Test
  void settingsNamedLikeSecretsNeverReachTheJournalFileWhateverTheTypeDeclares() throws Exception {
    start(RiskLimits.NONE);
    Map<String, Object> settings = new java.util.LinkedHashMap<>();
    settings.put("private_key", "0xfeedfacefeedface01");
    settings.put("api_key", "ak-live-0011223344");
    settings.put("wallet", Map.of("auth_token", "tok-9988776655", "address", "0xpublic"));
    settings.put("env", Map.of("PRIVATE_KEY", "0xenvprivate0202", "LOG_LEVEL", "debug"));
    settings.put("private_key_env", "SIGNER_KEY");
    settings.put("start_tokens", List.of(TestWorld.WETH));
    settings.put("venue", "uni");
    // "publisher" declares none of these sensitive: the names alone must keep the values off disk.
    service.register(BotRegistration.of("plain", "publisher", Settings.of(settings)));
    service.unregister("plain");
    service.register(BotRegistration.of("plain2", "publisher", Settings.of(settings)));
    service.close();
    service = null;
    try (JdbcJournal journal = openJournal(clock)) {
      BotRegistration stored = journal.load().registrations().get(0);
      assertEquals("plain2", stored.id());
      assertEquals(
          Map.of(
              "wallet", Map.of("address", "0xpublic"),
              "env", Map.of("LOG_LEVEL", "debug"),
              "private_key_env", "SIGNER_KEY",
              "start_tokens", List.of(TestWorld.WETH),
              "venue", "uni"),
          stored.settings().asMap(),
          "secrets dropped, references to variables and ordinary settings kept");
    }
    String raw = everythingStored();
    assertTrue(raw.contains("SIGNER_KEY"), "the registration is in the file");
    for (String secret :
        List.of(
            "0xfeedfacefeedface01", "ak-live-0011223344", "tok-9988776655", "0xenvprivate0202")) {
      assertTrue(!raw.contains(secret), "found on disk: " + secret);
    }
  }
}
