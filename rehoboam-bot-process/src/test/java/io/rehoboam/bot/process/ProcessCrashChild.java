package io.rehoboam.bot.process;

import io.rehoboam.core.ArbitrageService;
import io.rehoboam.core.BotRegistration;
import io.rehoboam.core.BotStatus;
import io.rehoboam.core.risk.RiskLimits;
import io.rehoboam.journal.JdbcJournal;
import io.rehoboam.spi.Settings;
import io.rehoboam.spi.event.ExecutionEvent;
import io.rehoboam.spi.trade.ExecutionStatus;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The child JVM of {@link ProcessBotCrashIT}: a service with a journal in {@code args[0]} running a
 * process bot that trades by itself ({@code args[1]} is its python, {@code args[2]} its script).
 * Once the bot's execution is reported as submitted, it prints {@code SUBMITTED <python pid>} and
 * waits to be killed.
 */
public final class ProcessCrashChild {
  private ProcessCrashChild() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.keySet().removeIf(k -> k.startsWith("ARB_"));
    ArbitrageService service =
        ArbitrageService.builder()
            .env(env)
            .riskLimits(RiskLimits.NONE)
            .journal(JdbcJournal.inDirectory(Path.of(args[0]), Clock.systemUTC()))
            .build();
    CountDownLatch submitted = new CountDownLatch(1);
    service.subscribe(
        e -> {
          if (e instanceof ExecutionEvent x
              && x.execution().status() == ExecutionStatus.SUBMITTED) {
            submitted.countDown();
          }
        });
    service.initialize();
    service.register(
        BotRegistration.of(
            "trader", "process", Settings.of(Map.of("command", List.of(args[1], args[2])))));
    BotStatus running = service.start("trader");
    submitted.await();
    System.out.println("SUBMITTED " + running.processId());
    System.out.flush();
    new CountDownLatch(1).await();
  }
}
