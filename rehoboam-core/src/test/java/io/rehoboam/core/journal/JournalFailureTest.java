package io.rehoboam.core.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.core.ArbitrageService;
import io.rehoboam.core.BotRegistration;
import io.rehoboam.core.ExecuteRequest;
import io.rehoboam.core.ServiceHealth;
import io.rehoboam.core.risk.RiskLimits;
import io.rehoboam.core.testing.EventRecorder;
import io.rehoboam.core.testing.ManualScheduler;
import io.rehoboam.core.testing.MutableClock;
import io.rehoboam.core.testing.RecordingExecutor;
import io.rehoboam.core.testing.ScriptedProvider;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.Settings;
import io.rehoboam.spi.event.BotState;
import io.rehoboam.spi.event.SystemEvent;
import io.rehoboam.spi.trade.Execution;
import io.rehoboam.spi.trade.ExecutionStatus;
import io.rehoboam.spi.trade.Leg;
import io.rehoboam.spi.trade.Opportunity;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A journal whose storage stops taking writes and takes them again: executions are refused while it
 * fails, the service says so in its health and events, it resumes by itself, and the result of an
 * execution that completed while the journal failed is recorded as it was, not as failed.
 */
class JournalFailureTest {
  private static final String WETH = "0x" + "c".repeat(40);
  private static final String USDC = "0x" + "a".repeat(40);

  private final MutableClock clock = MutableClock.atEpoch();
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final RecordingExecutor executor = new RecordingExecutor(clock);
  private final ScriptedProvider provider = new ScriptedProvider();
  private final Disk journal = new Disk();
  private final EventRecorder recorder = new EventRecorder();
  private ArbitrageService service;

  /** A journal on a disk that can be full: every write fails while {@link #full} is set. */
  private static final class Disk implements Journal {
    final Map<String, ExecutionStatus> stored = new ConcurrentHashMap<>();
    volatile boolean full;
    volatile boolean fullForUpdatesOnly;
    volatile int checks;

    private void write() {
      if (full) {
        throw new RehoboamException(
            ErrorCode.INTERNAL, "journal disk: cannot write: No space left on device");
      }
    }

    @Override
    public String location() {
      return "disk";
    }

    @Override
    public JournalState load() {
      return JournalState.empty();
    }

    @Override
    public void begin(ExecutionAttempt attempt) {
      write();
      stored.put(attempt.executionId(), ExecutionStatus.SUBMITTED);
    }

    @Override
    public void transactionSigned(String executionId, BigInteger nonce, String txHash) {
      write();
    }

    @Override
    public void update(Execution execution) {
      write();
      if (fullForUpdatesOnly) {
        throw new RehoboamException(
            ErrorCode.INTERNAL, "journal disk: cannot write: No space left on device");
      }
      stored.put(execution.id(), execution.status());
    }

    @Override
    public void desiredState(String botId, BotState desired) {
      write();
    }

    @Override
    public void registered(BotRegistration registration) {
      write();
    }

    @Override
    public void unregistered(String botId) {
      write();
    }

    @Override
    public void check() {
      checks++;
      write();
    }

    @Override
    public void close() {}
  }

  private void start() {
    service =
        ArbitrageService.builder()
            .env(Map.of())
            .discoverProviders(false)
            .provider(provider)
            .clock(clock)
            .scheduler(scheduler)
            .executor(executor)
            .riskLimits(RiskLimits.NONE)
            .journal(journal)
            .journalRetryInterval(Duration.ofSeconds(1))
            .build();
    service.subscribe(recorder);
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

  private void publish(String id) {
    BigInteger in = BigInteger.TEN.pow(18);
    BigInteger out = in.add(BigInteger.TEN.pow(16));
    provider
        .last()
        .context
        .publishOpportunity(
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
                    new Leg(1, "sushi", "p2", USDC, WETH, BigInteger.valueOf(1000), out))));
  }

  private SystemEvent awaitSystem(String kind) {
    return (SystemEvent) recorder.await(e -> e instanceof SystemEvent s && s.kind().equals(kind));
  }

  @Test
  void aFullDiskRefusesExecutionsTurnsHealthRedAndIsLeftByItselfOnceWritesSucceed() {
    start();
    assertTrue(service.health().ok(), service.health().toString());
    publish("o1");
    publish("o2");
    journal.full = true;
    RehoboamException refused =
        assertThrows(
            RehoboamException.class, () -> service.execute("o1", ExecuteRequest.defaults()));
    assertTrue(refused.getMessage().contains("No space left"), refused.getMessage());
    assertEquals(List.of(), executor.requests, "not journalled, not sent");

    ServiceHealth red = service.health();
    assertTrue(red.live(), "a full disk is not fatal");
    String problem = red.problems().get("journal");
    assertTrue(
        problem != null && problem.contains("No space left") && problem.contains("refused"),
        red.toString());
    assertTrue(awaitSystem("journal.failing").message().contains("No space left"));

    scheduler.advance(Duration.ofSeconds(3));
    assertTrue(journal.checks >= 2, "retried on the timer: " + journal.checks);
    assertFalse(service.health().ok(), "still full");

    journal.full = false;
    scheduler.advance(Duration.ofSeconds(1));
    assertTrue(service.health().ok(), service.health().toString());
    assertTrue(awaitSystem("journal.recovered").message().contains("takes writes again"));
    assertEquals(
        ExecutionStatus.SIMULATED, service.execute("o2", ExecuteRequest.defaults()).status());
  }

  @Test
  void aResultTheJournalCouldNotWriteIsWrittenOnceItCanNotLeftToBeSettledAsFailed() {
    start();
    publish("o1");
    journal.fullForUpdatesOnly = true;
    Execution done = service.execute("o1", ExecuteRequest.defaults());
    assertEquals(ExecutionStatus.SIMULATED, done.status(), "the execution itself completed");
    assertEquals(
        ExecutionStatus.SUBMITTED,
        journal.stored.get(done.id()),
        "its result could not be written yet");
    assertTrue(service.health().problems().get("journal").contains("1 execution result"));

    scheduler.advance(Duration.ofSeconds(2));
    assertEquals(ExecutionStatus.SUBMITTED, journal.stored.get(done.id()), "still failing");

    journal.fullForUpdatesOnly = false;
    scheduler.advance(Duration.ofSeconds(1));
    assertEquals(
        ExecutionStatus.SIMULATED,
        journal.stored.get(done.id()),
        "recorded as it completed once the journal took writes again");
    assertTrue(service.health().ok(), service.health().toString());
  }
}
