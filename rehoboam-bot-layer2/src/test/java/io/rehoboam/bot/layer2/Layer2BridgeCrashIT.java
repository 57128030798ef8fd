package io.rehoboam.bot.layer2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.core.ArbitrageService;
import io.rehoboam.core.config.ConfigLoader;
import io.rehoboam.core.journal.JournalledExecution;
import io.rehoboam.journal.JdbcJournal;
import io.rehoboam.spi.event.ExecutionEvent;
import io.rehoboam.spi.event.RiskEvent;
import io.rehoboam.spi.trade.Execution;
import io.rehoboam.spi.trade.ExecutionStatus;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 while a bridge transfer is in flight: the journal holds the execution as {@code
 * submitted} with the legs that went out, and the next start settles it from them, never as
 * "nothing was sent", with its input counted as a realized loss (so the daily loss limit sees it).
 */
class Layer2BridgeCrashIT {
  @TempDir Path data;
  private Process child;

  @AfterEach
  void killChild() {
    if (child != null) {
      child.destroyForcibly();
    }
  }

  @Test
  void recoverySettlesABridgeExecutionKilledInFlightFromWhatWasSent() throws Exception {
    child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Layer2CrashChild.class.getName(),
                data.toString())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    String line;
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      do {
        line = out.readLine();
      } while (line != null && !line.startsWith("SUBMITTED "));
      assertNotNull(line, "the child ended before its execution was submitted");
      String[] parts = line.split(" ");
      String executionId = parts[1];
      BigInteger amountIn = new BigInteger(parts[2]);
      assertEquals("SUBMITTED", parts[3]);
      child.destroyForcibly(); // SIGKILL while the transfer is in flight
      assertTrue(child.waitFor(60, TimeUnit.SECONDS));
      assertEquals(137, child.exitValue());

      try (JdbcJournal journal = JdbcJournal.inDirectory(data, Clock.systemUTC())) {
        JournalledExecution left = journal.load().executions().get(0);
        assertTrue(left.inFlight(), left.toString());
        assertEquals(ExecutionStatus.SUBMITTED, left.latest().status());
        assertEquals(2, left.latest().legs().size(), "the journal kept the legs that went out");
      }

      Events events = new Events();
      String yaml =
          Layer2CrashChild.YAML
              + "risk:\n  daily_loss_limit: 0.000001\n  max_trades_per_minute: 1000\n";
      try (ArbitrageService service =
          ArbitrageService.builder()
              .config(ConfigLoader.parse(yaml, "restart.yaml", Map.of()))
              .env(Map.of())
              .journal(JdbcJournal.inDirectory(data, Clock.systemUTC()))
              .build()) {
        service.subscribe(events);
        service.initialize();
        Execution settled =
            events
                .await(
                    ExecutionEvent.class,
                    e ->
                        e.execution().id().equals(executionId)
                            && e.execution().status().isTerminal())
                .execution();
        assertEquals(ExecutionStatus.FAILED, settled.status(), settled.toString());
        assertFalse(settled.reason().contains("nothing was sent"), settled.reason());
        assertTrue(
            settled.reason().contains("after it had sent leg 0 on chain 42161 simulated"),
            settled.reason());
        assertTrue(settled.reason().contains("leg 1 on chain 42161 submitted"), settled.reason());
        assertEquals(amountIn.negate(), settled.realizedProfit());
        assertTrue(settled.realizedProfitUsd().signum() < 0, settled.toString());
        events.await(RiskEvent.class, e -> "daily_loss_limit".equals(e.limit()));
        assertTrue(service.risk().isTripped(), "the loss counts toward the daily loss limit");
      }
      try (JdbcJournal journal = JdbcJournal.inDirectory(data, Clock.systemUTC())) {
        JournalledExecution settled = journal.load().executions().get(0);
        assertFalse(settled.inFlight());
        assertEquals(ExecutionStatus.FAILED, settled.latest().status());
      }
    }
  }
}
