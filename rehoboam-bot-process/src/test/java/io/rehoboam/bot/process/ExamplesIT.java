package io.rehoboam.bot.process;

import static io.rehoboam.bot.process.WellBehavedBotIT.assertContains;
import static io.rehoboam.spi.event.BotState.RUNNING;
import static io.rehoboam.spi.event.BotState.STOPPED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.bot.process.testing.Processes;
import io.rehoboam.core.BotStatus;
import io.rehoboam.spi.event.ExecutionEvent;
import io.rehoboam.spi.event.OpportunityFoundEvent;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The example bots of examples/process-bots run as documented. */
class ExamplesIT extends ProcessBotFixture {

  private static Path example(String name) {
    String dir = System.getProperty("rehoboam.examples.dir", "../examples/process-bots");
    return Path.of(dir, name).toAbsolutePath().normalize();
  }

  private static List<String> command(String name) {
    return name.endsWith(".py")
        ? List.of("python3", example(name).toString())
        : List.of(example(name).toString()); // run through its #! line
  }

  @ParameterizedTest
  @ValueSource(strings = {"python_bot.py", "shell_bot.sh"})
  void theExampleRunsReportsAnswersAndLeavesOnTheStopCommand(String name) {
    String id = newBotId(name.replace('.', '-').replace('_', '-'));
    register(
        id, onFailure(3), Map.of("command", command(name), "env", Map.of("BOT_INTERVAL", "0.05")));
    assertEquals(RUNNING, service.start(id).status());

    OpportunityFoundEvent found =
        (OpportunityFoundEvent)
            recorder.await(e -> e instanceof OpportunityFoundEvent o && o.botId().equals(id));
    assertEquals("cross_venue", found.opportunity().strategy());
    assertEquals(2, found.opportunity().legs().size());
    if (name.endsWith(".py")) {
      recorder.await(e -> e instanceof ExecutionEvent x && x.botId().equals(id));
      recorder.awaitLog(id, "status: python bot up");
    } else {
      recorder.awaitLog(id, "status: shell bot up");
    }

    service.sendCommand(id, "ping", Map.of());
    recorder.awaitLog(id, "pong");
    BotStatus status = service.bot(id);
    assertTrue(status.opportunitiesFound() >= 1);
    assertTrue(status.lastActivity() != null);
    if (name.endsWith(".py")) {
      assertTrue(status.totalProfit().compareTo(BigDecimal.ZERO) > 0, "paper profit counted");
    }

    assertEquals(STOPPED, service.stop(id).status());
    List<String> logs = service.logs(id, 200);
    assertContains(logs, "leaving: stop command");
    assertTrue(logs.stream().noneMatch(l -> l.contains("sending SIG")), logs.toString());
    assertEquals(List.of(), Processes.describeBot(id));
  }

  @ParameterizedTest
  @ValueSource(strings = {"python_bot.py", "shell_bot.sh"})
  void theExampleLeavesWhenItsStdinClosesAsWhenTheServiceDies(String name)
      throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command(name));
    builder.environment().put("BOT_INTERVAL", "0.05");
    builder.redirectError(ProcessBuilder.Redirect.DISCARD);
    Process p = builder.start();
    try {
      byte[] first = p.getInputStream().readNBytes(10);
      assertTrue(new String(first, StandardCharsets.UTF_8).startsWith("{\"type\""), "it runs");
      p.getOutputStream().close();
      assertTrue(p.waitFor(10, TimeUnit.SECONDS), "left after stdin closed");
      assertEquals(0, p.exitValue());
      String rest = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(rest.contains("leaving: stdin closed"), rest);
    } finally {
      p.destroyForcibly();
    }
  }
}
