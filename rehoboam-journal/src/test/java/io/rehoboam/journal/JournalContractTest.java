package io.rehoboam.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.core.BotRegistration;
import io.rehoboam.core.RestartPolicy;
import io.rehoboam.core.journal.ExecutionAttempt;
import io.rehoboam.core.journal.JournalState;
import io.rehoboam.core.journal.JournalledExecution;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.Settings;
import io.rehoboam.spi.event.BotState;
import io.rehoboam.spi.trade.Execution;
import io.rehoboam.spi.trade.ExecutionMode;
import io.rehoboam.spi.trade.ExecutionStatus;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The journal's semantics, the same on every database it runs on: {@link H2JournalTest} (the
 * default embedded file) and {@link PostgresJournalTest} (a real PostgreSQL) run these tests.
 */
abstract class JournalContractTest {
  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  final Clock clock = Clock.fixed(T0, ZoneOffset.UTC);

  /** Opens (again) the journal under test: the same storage at every call of one test. */
  abstract JdbcJournal openJournal();

  static ExecutionAttempt attempt(String id, String opportunityId, String key, String bot) {
    return new ExecutionAttempt(
        id,
        opportunityId,
        key,
        bot,
        "paper",
        ExecutionMode.PAPER,
        "0xtoken",
        BigInteger.valueOf(1000),
        BigInteger.valueOf(7),
        "{\"id\":\"" + opportunityId + "\"}",
        T0);
  }

  static Execution finished(String id, String opportunityId, ExecutionStatus status, String usd) {
    return Execution.submitted(id, opportunityId, ExecutionMode.PAPER, BigInteger.valueOf(7), T0)
        .withRealized(
            status == ExecutionStatus.FAILED ? null : BigInteger.valueOf(6),
            usd == null ? null : new BigDecimal(usd))
        .withStatus(status, status == ExecutionStatus.FAILED ? "boom" : null, T0.plusSeconds(1));
  }

  @Test
  void whatIsWrittenIsReadBackAfterReopening() {
    try (JdbcJournal j = openJournal()) {
      j.begin(attempt("ex-1", "op-1", "key-1", "bot-a"));
      j.update(finished("ex-1", "op-1", ExecutionStatus.SIMULATED, "1.25"));
      j.begin(attempt("ex-2", "op-2", null, "bot-a"));
      j.update(finished("ex-2", "op-2", ExecutionStatus.SIMULATED, "-3.5"));
      j.begin(attempt("ex-3", "op-3", null, null));
      j.transactionSigned("ex-3", BigInteger.valueOf(42), "0xabc");
      j.desiredState("bot-a", BotState.RUNNING);
      j.desiredState("bot-b", BotState.STOPPED, java.time.Instant.parse("2026-03-01T09:30:00Z"));
      j.registered(
          new BotRegistration(
              "bot-b",
              "sim",
              "Bot B",
              true,
              RestartPolicy.DEFAULT.withMode(RestartPolicy.Mode.ALWAYS),
              Settings.of(Map.of("pairs", List.of("a", "b"), "threshold", 0.5))));
    }
    try (JdbcJournal j = openJournal()) {
      JournalState s = j.load();
      assertEquals(3, s.executions().size());
      JournalledExecution first = s.executions().get(0);
      assertEquals("key-1", first.attempt().idempotencyKey());
      assertEquals(ExecutionStatus.SIMULATED, first.latest().status());
      assertEquals(new BigDecimal("1.25"), first.latest().realizedProfitUsd());
      JournalledExecution third = s.executions().get(2);
      assertTrue(third.inFlight(), "written ahead and never finished: in flight");
      assertEquals(BigInteger.valueOf(42), third.nonce());
      assertEquals("0xabc", third.txHash());
      assertEquals(List.of("0xabc"), third.latest().txHashes());
      assertEquals(Map.of("bot-a", new BigDecimal("-2.25")), s.profitByBot());
      assertEquals(new BigDecimal("3.5"), s.lossOn(LocalDate.of(2026, 3, 1)));
      assertEquals(BigDecimal.ZERO, s.lossOn(LocalDate.of(2026, 3, 2)));
      assertEquals(Map.of("bot-a", BotState.RUNNING, "bot-b", BotState.STOPPED), s.desiredStates());
      assertEquals(
          java.time.Instant.parse("2026-03-01T09:30:00Z"),
          s.desiredSince().get("bot-b"),
          "when a desired state was set is kept (a schedule needs it after a restart)");
      assertTrue(
          s.desiredSince().containsKey("bot-a"), "the journal's clock stamps the plain call");
      BotRegistration b = s.registrations().get(0);
      assertEquals("Bot B", b.name());
      assertEquals(RestartPolicy.Mode.ALWAYS, b.restart().mode());
      assertEquals(Duration.ofSeconds(60), b.restart().maxBackoff());
      assertEquals(List.of("a", "b"), b.settings().stringList("pairs"));
    }
  }

  @Test
  void theSameOpportunityOrKeyIsRefusedAfterReopening() {
    try (JdbcJournal j = openJournal()) {
      j.begin(attempt("ex-1", "op-1", "key-1", null));
    }
    try (JdbcJournal j = openJournal()) {
      RehoboamException sameOpportunity =
          assertThrows(RehoboamException.class, () -> j.begin(attempt("ex-2", "op-1", null, null)));
      assertEquals(ErrorCode.ALREADY_EXECUTED, sameOpportunity.code());
      assertTrue(sameOpportunity.getMessage().contains("opportunity op-1"));
      RehoboamException sameKey =
          assertThrows(
              RehoboamException.class, () -> j.begin(attempt("ex-3", "op-9", "key-1", null)));
      assertEquals(ErrorCode.ALREADY_EXECUTED, sameKey.code());
      assertTrue(sameKey.getMessage().contains("idempotency_key key-1"));
      assertEquals(1, j.load().executions().size(), "refused attempts leave nothing behind");
    }
  }

  @Test
  void unregisteringForgetsTheBot() {
    try (JdbcJournal j = openJournal()) {
      j.registered(BotRegistration.of("bot-x", "sim", Settings.empty()));
      j.desiredState("bot-x", BotState.RUNNING);
      j.unregistered("bot-x");
      JournalState s = j.load();
      assertTrue(s.registrations().isEmpty());
      assertTrue(s.desiredStates().isEmpty());
    }
  }

  @Test
  void updatingAnUnknownExecutionFails() {
    try (JdbcJournal j = openJournal()) {
      RehoboamException e =
          assertThrows(
              RehoboamException.class,
              () -> j.update(finished("ex-404", "op", ExecutionStatus.SIMULATED, null)));
      assertEquals(ErrorCode.NOT_FOUND, e.code());
      assertTrue(e.getMessage().contains("ex-404"));
    }
  }

  @Test
  void operatorControlsAndBotSettingsAreReadBackAfterReopening() {
    try (JdbcJournal j = openJournal()) {
      j.botSettings("bot-a", Settings.of(Map.of("min_profit", "2", "pairs", List.of("x", "y"))));
      j.botSettings("bot-a", Settings.of(Map.of("min_profit", "3")));
      j.riskControl(
          new io.rehoboam.core.risk.RiskControl(
              null,
              null,
              null,
              new io.rehoboam.core.risk.KillSwitch(
                  true, "manual", "incident", "ops", T0, null, null)));
    }
    try (JdbcJournal j = openJournal()) {
      assertEquals(
          Map.of("min_profit", "3"), j.loadBotSettings().get("bot-a").asMap(), "the last one");
      assertTrue(j.loadRiskControl().killSwitch().tripped());
      assertEquals("incident", j.loadRiskControl().killSwitch().reason());
    }
  }

  @Test
  void theLastStatusWinsAndTheHistoryKeepsItsOrder() {
    try (JdbcJournal j = openJournal()) {
      j.begin(attempt("ex-1", "op-1", null, "bot-a"));
      j.transactionSigned("ex-1", BigInteger.ONE, "0x01");
      j.update(finished("ex-1", "op-1", ExecutionStatus.CONFIRMED, "2"));
      j.begin(attempt("ex-2", "op-2", null, "bot-a"));
    }
    try (JdbcJournal j = openJournal()) {
      List<JournalledExecution> all = j.load().executions();
      assertEquals(
          List.of("ex-1", "ex-2"), all.stream().map(e -> e.attempt().executionId()).toList());
      assertEquals(ExecutionStatus.CONFIRMED, all.get(0).latest().status());
      assertEquals(BigInteger.valueOf(6), all.get(0).latest().realizedProfit());
      assertTrue(all.get(1).inFlight());
    }
  }
}
