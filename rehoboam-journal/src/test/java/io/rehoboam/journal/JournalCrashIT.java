package io.rehoboam.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.core.ArbitrageService;
import io.rehoboam.core.journal.JournalState;
import io.rehoboam.core.journal.JournalledExecution;
import io.rehoboam.core.risk.RiskLimits;
import io.rehoboam.core.sim.PaperConfig;
import io.rehoboam.core.sim.PaperTradeExecutor;
import io.rehoboam.core.sim.SimMarketSource;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.event.BotState;
import io.rehoboam.spi.event.Event;
import io.rehoboam.spi.event.SystemEvent;
import io.rehoboam.spi.trade.ExecutionStatus;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM running the service on the sim market with paper executions is killed with SIGKILL
 * while executions are in the middle of running; a new service on the same data directory recovers
 * them: nothing lost, nothing twice, totals equal to the recorded executions.
 */
class JournalCrashIT {
  private static final int COMPLETING = 12;

  @TempDir Path dir;

  private Process child;
  private ScheduledExecutorService scheduler;

  @AfterEach
  void tearDown() {
    if (child != null) {
      child.destroyForcibly();
    }
    if (scheduler != null) {
      scheduler.shutdownNow();
    }
  }

  private record Done(String executionId, String opportunityId, String status, String usd) {}

  @Test
  void aKilledServiceIsRecoveredWithNothingLostAndNothingTwice() throws Exception {
    Path data = dir.resolve("data");
    Path stderr = dir.resolve("child.err");
    child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                CrashChild.class.getName(),
                data.toString(),
                Integer.toString(COMPLETING))
            .redirectError(stderr.toFile())
            .start();
    child.getOutputStream().close();
    Map<String, Done> done = new ConcurrentHashMap<>();
    Map<String, String> hanging = new ConcurrentHashMap<>();
    CountDownLatch enough = new CountDownLatch(1);
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                  String[] f = line.split(" ");
                  if (f[0].equals("DONE")) {
                    done.put(f[1], new Done(f[1], f[2], f[3], f[4]));
                  } else if (f[0].equals("HANG")) {
                    hanging.put(f[1], f[2]);
                  }
                  long simulated =
                      done.values().stream()
                          .filter(d -> d.status().equals("SIMULATED") && !d.usd().equals("null"))
                          .count();
                  if (simulated >= COMPLETING && hanging.size() >= 2) {
                    enough.countDown();
                  }
                }
              } catch (java.io.IOException e) {
                // The child was killed: its output ends.
              }
            },
            "crash-child-reader");
    reader.start();
    boolean reached = enough.await(120, TimeUnit.SECONDS);
    assertTrue(
        reached,
        "the child did not reach "
            + COMPLETING
            + " simulated and 2 held executions (final "
            + done.size()
            + ", held "
            + hanging.size()
            + "): "
            + Files.readString(stderr));
    child.destroyForcibly(); // SIGKILL: no shutdown hook, no close, no flush
    assertEquals(137, child.waitFor(), "killed by SIGKILL");
    reader.join(10_000);
    Map<String, Done> doneAtKill = Map.copyOf(done);
    Map<String, String> heldAtKill = Map.copyOf(hanging);

    List<Event> events = new CopyOnWriteArrayList<>();
    Clock clock = Clock.systemUTC();
    scheduler = Executors.newSingleThreadScheduledExecutor();
    SimMarketSource sim = CrashChild.market(scheduler, clock);
    BigDecimal traderProfit;
    try (ArbitrageService service =
        ArbitrageService.builder()
            .env(Map.of())
            .marketSource(sim)
            .executor(new PaperTradeExecutor("paper", sim, PaperConfig.defaults(), clock))
            // Kill switch on: nothing new is executed, so the totals are the recovered ones.
            .riskLimits(new RiskLimits(null, null, null, null, true))
            .journal(JdbcJournal.inDirectory(data, clock))
            .build()) {
      service.subscribe(events::add);
      service.initialize();
      assertEquals(BotState.RUNNING, service.bot("monitor").desiredState());
      assertEquals(BotState.RUNNING, service.bot("trader").desiredState());
      traderProfit = service.bot("trader").totalProfit();
    }
    List<String> recovery =
        events.stream()
            .filter(e -> e instanceof SystemEvent s && s.kind().equals("recovery"))
            .map(e -> ((SystemEvent) e).message())
            .toList();
    assertTrue(recovery.stream().anyMatch(m -> m.startsWith("journal: ")), recovery.toString());

    JournalState state;
    try (JdbcJournal journal = JdbcJournal.inDirectory(data, clock)) {
      state = journal.load();
    }
    Map<String, JournalledExecution> byId = new java.util.HashMap<>();
    Set<String> opportunities = new HashSet<>();
    for (JournalledExecution e : state.executions()) {
      byId.put(e.attempt().executionId(), e);
      assertTrue(
          opportunities.add(e.attempt().opportunityId()),
          "opportunity " + e.attempt().opportunityId() + " executed twice");
      assertTrue(e.latest().status().isTerminal(), "still in flight after recovery: " + e.latest());
    }
    for (Done d : doneAtKill.values()) {
      JournalledExecution e = byId.get(d.executionId());
      assertNotNull(e, "execution " + d.executionId() + " reported final but not journalled");
      assertEquals(d.opportunityId(), e.attempt().opportunityId());
      assertEquals(d.status(), e.latest().status().name());
      assertEquals(
          d.usd().equals("null") ? null : new BigDecimal(d.usd()), e.latest().realizedProfitUsd());
    }
    for (Map.Entry<String, String> h : heldAtKill.entrySet()) {
      JournalledExecution e = byId.get(h.getKey());
      assertNotNull(e, "execution " + h.getKey() + " held in the executor but not journalled");
      assertEquals(ExecutionStatus.FAILED, e.latest().status());
      assertTrue(e.latest().reason().contains("nothing was sent"), e.latest().reason());
      assertTrue(
          recovery.stream().anyMatch(m -> m.contains(h.getKey()) && m.contains("failed")),
          recovery.toString());
    }
    for (JournalledExecution e : state.executions()) {
      if (!doneAtKill.containsKey(e.attempt().executionId())) {
        assertEquals(
            ExecutionStatus.FAILED,
            e.latest().status(),
            "an execution not reported final before the kill can only have been in flight");
      }
    }
    BigDecimal reportedExact =
        doneAtKill.values().stream()
            .filter(d -> d.status().equals("SIMULATED") && !d.usd().equals("null"))
            .map(d -> new BigDecimal(d.usd()))
            .reduce(BigDecimal.ZERO, BigDecimal::add);
    // total_profit is shown at a fixed scale: the sum, rounded once.
    BigDecimal reported =
        reportedExact.setScale(
            io.rehoboam.core.BotStatus.PROFIT_SCALE, java.math.RoundingMode.HALF_EVEN);
    assertEquals(0, reported.compareTo(traderProfit), "total_profit " + traderProfit);
    assertEquals(
        0,
        state
            .profitByBot()
            .getOrDefault("trader", BigDecimal.ZERO)
            .setScale(io.rehoboam.core.BotStatus.PROFIT_SCALE, java.math.RoundingMode.HALF_EVEN)
            .compareTo(traderProfit),
        "total_profit equals the sum of the journalled executions");
    assertTrue(reportedExact.signum() != 0, "the paper executions made or lost something");
  }

  @Test
  void aSecondServiceOnTheSameDataDirectoryIsRefused() throws Exception {
    Path data = dir.resolve("data");
    child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                CrashChild.class.getName(),
                data.toString(),
                "0")
            .redirectError(dir.resolve("child.err").toFile())
            .start();
    child.getOutputStream().close();
    BufferedReader in =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<Void> ready =
        CompletableFuture.runAsync(
            () -> {
              try {
                String line;
                while ((line = in.readLine()) != null && !line.equals("READY")) {
                  // Execution reports: not what this test waits for.
                }
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
    ready.get(60, TimeUnit.SECONDS);
    RehoboamException e =
        assertThrows(
            RehoboamException.class, () -> JdbcJournal.inDirectory(data, Clock.systemUTC()));
    assertEquals(ErrorCode.INVALID_CONFIG, e.code());
    assertTrue(e.getMessage().contains("in use by another process"), e.getMessage());
  }
}
