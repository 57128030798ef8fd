package io.rehoboam.bot.process;

import io.rehoboam.core.ArbitrageService;
import io.rehoboam.core.BotRegistration;
import io.rehoboam.core.BotStatus;
import io.rehoboam.spi.Settings;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * A service in a JVM of its own, for the test that kills that JVM: runs one process bot and waits
 * forever. Arguments: bot id, then the command. Prints {@code RUNNING <pid>} once the bot runs.
 */
public final class OrphanedService {
  private OrphanedService() {}

  public static void main(String[] args) throws InterruptedException {
    ArbitrageService service = ArbitrageService.builder().env(Map.of()).build();
    service.initialize();
    List<String> command = List.of(args).subList(1, args.length);
    service.register(
        BotRegistration.of(args[0], "process", Settings.of(Map.of("command", command))));
    BotStatus status = service.start(args[0]);
    System.out.println(
        status.status().wireName().toUpperCase(java.util.Locale.ROOT) + " " + status.processId());
    System.out.flush();
    new CountDownLatch(1).await();
  }
}
