package io.rehoboam.bot.process;

import static io.rehoboam.spi.event.BotState.RUNNING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.core.ArbitrageService;
import io.rehoboam.core.BotStatus;
import io.rehoboam.core.RestartPolicy;
import io.rehoboam.core.config.ConfigLoader;
import io.rehoboam.core.config.RehoboamConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The configuration example of the module README parses and runs as shown. */
class ReadmeConfigIT extends ProcessBotFixture {
  private String id;
  private RehoboamConfig config;

  private static String readmeYaml() {
    Path readme = Path.of(System.getProperty("rehoboam.readme", "README.md"));
    try {
      String text = Files.readString(readme);
      int start = text.indexOf("```yaml\n") + "```yaml\n".length();
      return text.substring(start, text.indexOf("```", start));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  protected ArbitrageService.Builder configure(ArbitrageService.Builder builder) {
    id = newBotId("py-scanner");
    String examples = System.getProperty("rehoboam.examples.dir", "../examples/process-bots");
    String yaml =
        readmeYaml()
            .replace("id: py-scanner", "id: " + id)
            .replace("examples/process-bots/", Path.of(examples).toAbsolutePath() + "/");
    config = ConfigLoader.parse(yaml, "README.md", Map.of());
    return builder.config(config);
  }

  @Test
  void theReadmeBotStartsWithTheServiceAndRunsAsConfigured() {
    recorder.awaitState(id, RUNNING);
    recorder.awaitLog(id, "status: python bot up");
    BotStatus status = service.bot(id);
    assertEquals(RUNNING, status.status());
    assertTrue(status.scriptPath().endsWith("examples/process-bots/python_bot.py"));
    RestartPolicy restart = config.bots().get(0).restart();
    assertEquals(RestartPolicy.Mode.ON_FAILURE, restart.mode());
    assertEquals(Duration.ofSeconds(30), restart.heartbeatTimeout());
    assertEquals(Duration.ofSeconds(15), restart.stopTimeout());
  }
}
