package io.rehoboam.bot.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.core.ArbitrageService;
import io.rehoboam.core.journal.JournalledExecution;
import io.rehoboam.core.risk.RiskLimits;
import io.rehoboam.journal.JdbcJournal;
import io.rehoboam.spi.event.Event;
import io.rehoboam.spi.event.ExecutionEvent;
import io.rehoboam.spi.trade.Execution;
import io.rehoboam.spi.trade.ExecutionStatus;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of the service while a process bot's own execution is reported {@code submitted} with a
 * leg sent: the journal holds it with its legs, and the next start settles it from them, never as
 * "nothing was sent", counting the input as a realized loss.
 */
class ProcessBotCrashIT {
  @TempDir Path data;
  private Process child;
  private long botPid = -1;

  @AfterEach
  void cleanUp() throws Exception {
    if (child != null) {
      child.destroyForcibly();
    }
    if (botPid > 0) {
      ProcessHandle.of(botPid).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  @Test
  void recoverySettlesAProcessBotsExecutionFromWhatWasSent() throws Exception {
    child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                ProcessCrashChild.class.getName(),
                data.toString(),
                ProcessBotFixture.pythonExecutable(),
                ProcessBotFixture.script("reports_trades.py").toString())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    String line;
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      do {
        line = out.readLine();
      } while (line != null && !line.startsWith("SUBMITTED "));
    }
    assertNotNull(line, "the child ended before the bot's execution was submitted");
    botPid = Long.parseLong(line.split(" ")[1]);
    child.destroyForcibly(); // SIGKILL: no close, no stop of the bot
    assertTrue(child.waitFor(60, TimeUnit.SECONDS));
    assertEquals(137, child.exitValue());
    // The bot leaves when its stdin closes with the service.
    CompletableFuture<ProcessHandle> gone =
        ProcessHandle.of(botPid)
            .map(ProcessHandle::onExit)
            .orElse(CompletableFuture.completedFuture(null));
    gone.get(60, TimeUnit.SECONDS);

    try (JdbcJournal journal = JdbcJournal.inDirectory(data, Clock.systemUTC())) {
      JournalledExecution left = journal.load().executions().get(0);
      assertTrue(left.inFlight(), left.toString());
      assertEquals("bot:trader", left.attempt().executorId());
      assertEquals(1, left.latest().legs().size(), "the journal kept the leg that was sent");
    }

    List<Event> events = new java.util.concurrent.CopyOnWriteArrayList<>();
    CompletableFuture<Execution> settled = new CompletableFuture<>();
    try (ArbitrageService service =
        ArbitrageService.builder()
            .env(Map.of())
            .riskLimits(new RiskLimits(null, null, new BigDecimal("100"), null, false))
            .journal(JdbcJournal.inDirectory(data, Clock.systemUTC()))
            .build()) {
      service.subscribe(
          e -> {
            events.add(e);
            if (e instanceof ExecutionEvent x
                && x.execution().id().equals("t-1")
                && x.execution().status().isTerminal()) {
              settled.complete(x.execution());
            }
          });
      service.initialize();
      Execution last = settled.get(60, TimeUnit.SECONDS);
      assertEquals(ExecutionStatus.FAILED, last.status(), last.toString());
      assertFalse(last.reason().contains("nothing was sent"), last.reason());
      assertTrue(
          last.reason().contains("after it had sent leg 0 on chain 1 submitted"), last.reason());
      // The opportunity's input (1000000 base units) is counted as lost: 1.5 USD per 500.
      assertEquals(BigInteger.valueOf(-1_000_000), last.realizedProfit());
      assertEquals(0, new BigDecimal("-3000").compareTo(last.realizedProfitUsd()), last.toString());
      assertTrue(service.risk().isTripped(), "the loss counts toward the daily loss limit");
    }
    try (JdbcJournal journal = JdbcJournal.inDirectory(data, Clock.systemUTC())) {
      JournalledExecution done = journal.load().executions().get(0);
      assertFalse(done.inFlight());
      assertEquals(ExecutionStatus.FAILED, done.latest().status());
    }
  }
}
