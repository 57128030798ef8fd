package io.rehoboam.bot.process;

import static io.rehoboam.bot.process.WellBehavedBotIT.assertContains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.core.ArbitrageService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the program sees of the environment, and what lands in the log files. The provider is given
 * an inherited environment holding a service secret, so the test controls it.
 */
class EnvironmentAndFilesIT extends ProcessBotFixture {
  @TempDir Path logDir;

  @Override
  protected ArbitrageService.Builder configure(ArbitrageService.Builder builder) {
    Map<String, String> inherited = new HashMap<>();
    inherited.put("PATH", System.getenv("PATH"));
    inherited.put("PLAIN_SETTING", "visible");
    inherited.put("DEEPSEEK_API_KEY", "sk-inherited-secret");
    return builder.env(inherited).provider(new ProcessBotProvider());
  }

  @Test
  void serviceSecretsAreWithheldUnlessListedAndSecretEnvIsPassedButRedacted() throws IOException {
    String id = newBotId("env");
    register(
        id,
        onFailure(0),
        Map.of(
            "command", python("well_behaved.py"),
            "secret_env", Map.of("API_TOKEN", "tok-123456789"),
            "log_dir", logDir.toString()));
    service.start(id);
    recorder.awaitLog(id, "status: scanning");
    List<String> logs = service.logs(id, 100);
    assertContains(logs, "inherited PLAIN_SETTING=visible");
    assertContains(logs, "inherited DEEPSEEK_API_KEY=<unset>");
    assertContains(logs, "my token is ***");
    assertTrue(logs.stream().noneMatch(l -> l.contains("tok-123456789")), logs.toString());
    service.stop(id);

    String file = Files.readString(logDir.resolve(id + ".log"));
    assertTrue(file.contains(" out my token is ***"), file);
    assertTrue(file.contains(" err a line on stderr"), file);
    assertTrue(file.contains(" out {\"type\": \"status\", \"message\": \"scanning\"}"), file);
    assertFalse(file.contains("tok-123456789"), "the secret never reaches the file");

    String passing = newBotId("pass");
    register(
        passing,
        onFailure(0),
        Map.of("command", python("well_behaved.py"), "pass_env", List.of("DEEPSEEK_*")));
    service.start(passing);
    recorder.awaitLog(passing, "inherited DEEPSEEK_API_KEY=");
    assertContains(service.logs(passing, 100), "inherited DEEPSEEK_API_KEY=sk-inherited-secret");
  }

  @Test
  void anEnvVariableNamedLikeASecretIsRedactedThoughPassedAsPlainEnv() throws IOException {
    String id = newBotId("plainenv");
    register(
        id,
        onFailure(0),
        Map.of(
            "command", python("well_behaved.py"),
            "env", Map.of("API_TOKEN", "tok-plain-987654321"),
            "log_dir", logDir.toString()));
    service.start(id);
    recorder.awaitLog(id, "status: scanning");
    List<String> logs = service.logs(id, 100);
    assertContains(logs, "my token is ***");
    assertTrue(logs.stream().noneMatch(l -> l.contains("tok-plain-987654321")), logs.toString());
    service.stop(id);
    String file = Files.readString(logDir.resolve(id + ".log"));
    assertTrue(file.contains(" out my token is ***"), file);
    assertFalse(file.contains("tok-plain-987654321"), "the secret never reaches the file");
    assertFalse(recorder.events().toString().contains("tok-plain-987654321"));
  }

  @Test
  void outputFilesAreRotatedAndCapped() throws IOException {
    String id = newBotId("rotate");
    register(
        id,
        onFailure(0),
        Map.of(
            "command", python("well_behaved.py"),
            "env", Map.of("CHATTY", "300"),
            "log_dir", logDir.toString(),
            "log_max_bytes", 4096,
            "log_files", 2));
    service.start(id);
    recorder.awaitLog(id, "status: scanning");
    service.stop(id);

    Path current = logDir.resolve(id + ".log");
    List<Path> files =
        List.of(current, logDir.resolve(id + ".log.1"), logDir.resolve(id + ".log.2"));
    for (Path f : files) {
      assertTrue(Files.exists(f), f + " exists");
      assertTrue(Files.size(f) <= 4096, f + " is " + Files.size(f) + " bytes");
    }
    assertFalse(Files.exists(logDir.resolve(id + ".log.3")), "only log_files rotated files");
    try (var listing = Files.list(logDir)) {
      assertEquals(3, listing.count());
    }
    String latest = Files.readString(current);
    assertFalse(latest.isEmpty(), "the newest output goes to the current file");
    // stdout and stderr are read by two readers: whichever finished last wrote the newest lines,
    // so the last line of at least one stream is in the newest files (.log, or .log.1 after a
    // rotation that happened just then).
    String newest = Files.readString(logDir.resolve(id + ".log.1")) + latest;
    assertTrue(
        newest.contains("\"message\": \"scanning\"") || newest.contains("chatty error 299"),
        "the newest output is kept");
  }
}
