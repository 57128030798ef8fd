package io.rehoboam.core.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.core.ArbitrageService;
import io.rehoboam.core.BotRegistration;
import io.rehoboam.core.ExecuteRequest;
import io.rehoboam.core.risk.RiskLimits;
import io.rehoboam.core.testing.MutableClock;
import io.rehoboam.core.testing.RecordingExecutor;
import io.rehoboam.core.testing.ScriptedProvider;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.Settings;
import io.rehoboam.spi.event.BotState;
import io.rehoboam.spi.trade.Execution;
import io.rehoboam.spi.trade.ExecutionStatus;
import io.rehoboam.spi.trade.Leg;
import io.rehoboam.spi.trade.Opportunity;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the service writes to its journal, and when, with an in-memory journal. */
class WriteAheadTest {
  private static final String WETH = "0x" + "c".repeat(40);
  private static final String USDC = "0x" + "a".repeat(40);

  private final MutableClock clock = MutableClock.atEpoch();
  private final RecordingExecutor executor = new RecordingExecutor(clock);
  private final ScriptedProvider provider = new ScriptedProvider();
  private final Recording journal = new Recording();
  private ArbitrageService service;

  /** Records every call in order; {@code begin} fails while {@link #failure} is set. */
  private final class Recording implements Journal {
    final List<String> calls = new CopyOnWriteArrayList<>();
    final List<Execution> updates = new CopyOnWriteArrayList<>();
    volatile RehoboamException failure;

    @Override
    public String location() {
      return "memory";
    }

    @Override
    public JournalState load() {
      calls.add("load");
      return JournalState.empty();
    }

    @Override
    public void begin(ExecutionAttempt attempt) {
      if (failure != null) {
        throw failure;
      }
      calls.add(
          "begin "
              + attempt.opportunityId()
              + " (executor called "
              + executor.requests.size()
              + " times)");
      assertTrue(attempt.opportunityJson().contains("\"id\":\"" + attempt.opportunityId() + "\""));
    }

    @Override
    public void transactionSigned(String executionId, BigInteger nonce, String txHash) {
      calls.add("signed " + txHash);
    }

    @Override
    public void update(Execution execution) {
      calls.add("update " + execution.opportunityId() + " " + execution.status());
      updates.add(execution);
    }

    @Override
    public void desiredState(String botId, BotState desired) {
      calls.add("desired " + botId + " " + desired);
    }

    @Override
    public void registered(BotRegistration registration) {
      calls.add("registered " + registration.id());
    }

    @Override
    public void unregistered(String botId) {
      calls.add("unregistered " + botId);
    }

    @Override
    public void close() {
      calls.add("close");
    }
  }

  private void start() {
    service =
        ArbitrageService.builder()
            .env(Map.of())
            .discoverProviders(false)
            .provider(provider)
            .clock(clock)
            .executor(executor)
            .riskLimits(RiskLimits.NONE)
            .journal(journal)
            .build();
    service.initialize();
    service.register(BotRegistration.of("scout", "scripted", Settings.empty()));
    service.start("scout");
  }

  @AfterEach
  void tearDown() {
    if (service != null) {
      service.close();
    }
  }

  private Opportunity publish(String id) {
    BigInteger in = BigInteger.TEN.pow(18);
    BigInteger out = in.add(BigInteger.TEN.pow(16));
    Opportunity o =
        new Opportunity(
            id,
            "cross_venue",
            null,
            WETH,
            in,
            out,
            out.subtract(in),
            BigInteger.ONE,
            out.subtract(in).subtract(BigInteger.ONE),
            new BigDecimal("10"),
            new BigDecimal("9.99"),
            7,
            clock.instant(),
            clock.instant().plusSeconds(300),
            List.of(
                new Leg(1, "uni", "p1", WETH, USDC, in, BigInteger.valueOf(1000)),
                new Leg(1, "sushi", "p2", USDC, WETH, BigInteger.valueOf(1000), out)));
    provider.last().context.publishOpportunity(o);
    return o;
  }

  @Test
  void theAttemptIsWrittenBeforeTheExecutorIsCalledAndTheResultAfter() {
    start();
    publish("o1");
    Execution e = service.execute("o1", ExecuteRequest.defaults());
    List<String> executionCalls = journal.calls.stream().filter(c -> c.contains(" o1")).toList();
    assertEquals(
        List.of("begin o1 (executor called 0 times)", "update o1 SIMULATED"), executionCalls);
    assertEquals(List.of(e), journal.updates);
  }

  @Test
  void aJournalThatCannotWriteRefusesTheExecutionAndNothingIsSent() {
    start();
    publish("o1");
    journal.failure = new RehoboamException(ErrorCode.INTERNAL, "journal memory: disk full");
    RehoboamException refused =
        assertThrows(
            RehoboamException.class, () -> service.execute("o1", ExecuteRequest.defaults()));
    assertEquals(ErrorCode.INTERNAL, refused.code());
    assertTrue(refused.getMessage().contains("disk full"), refused.getMessage());
    assertEquals(List.of(), executor.requests, "not journalled, not sent");

    journal.failure = null;
    assertEquals(
        ExecutionStatus.SIMULATED,
        service.execute("o1", ExecuteRequest.defaults()).status(),
        "nothing was sent: the opportunity is still executable");
  }

  @Test
  void aJournalThatKnowsTheOpportunityKeepsItClaimed() {
    start();
    publish("o1");
    journal.failure =
        new RehoboamException(ErrorCode.ALREADY_EXECUTED, "opportunity o1 was already executed");
    assertEquals(
        ErrorCode.ALREADY_EXECUTED,
        assertThrows(
                RehoboamException.class, () -> service.execute("o1", ExecuteRequest.defaults()))
            .code());
    journal.failure = null;
    assertEquals(
        ErrorCode.ALREADY_EXECUTED,
        assertThrows(
                RehoboamException.class, () -> service.execute("o1", ExecuteRequest.defaults()))
            .code());
    assertEquals(List.of(), executor.requests);
  }

  @Test
  void dryRunsAreNotJournalled() {
    start();
    publish("o1");
    service.execute("o1", new ExecuteRequest(null, true, null, null));
    assertTrue(journal.calls.stream().noneMatch(c -> c.contains(" o1")), journal.calls.toString());
  }

  @Test
  void usersChoicesAreJournalledButClosingIsNot() {
    start();
    assertEquals(
        List.of("load", "registered scout", "desired scout RUNNING"), List.copyOf(journal.calls));
    service.stop("scout");
    service.unregister("scout");
    service.register(BotRegistration.of("other", "scripted", Settings.empty()));
    service.start("other");
    service.close();
    assertEquals(
        List.of(
            "load",
            "registered scout",
            "desired scout RUNNING",
            "desired scout STOPPED",
            "unregistered scout",
            "registered other",
            "desired other RUNNING",
            "close"),
        List.copyOf(journal.calls),
        "closing stops the bots without changing what the user wants");
  }
}
