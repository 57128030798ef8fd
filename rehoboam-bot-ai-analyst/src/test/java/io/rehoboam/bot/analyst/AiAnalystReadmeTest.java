package io.rehoboam.bot.analyst;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.core.config.BotConfig;
import io.rehoboam.core.config.ConfigLoader;
import io.rehoboam.core.config.RehoboamConfig;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AiAnalystReadmeTest {
  static String example() throws Exception {
    String readme = Files.readString(Path.of(System.getProperty("rehoboam.readme")));
    int start = readme.indexOf("<!-- ai-analyst-example -->");
    assertTrue(start >= 0, "the README has the example");
    int open = readme.indexOf("```yaml\n", start) + "```yaml\n".length();
    return readme.substring(open, readme.indexOf("```", open));
  }

  @Test
  void theReadmeExampleConfiguresABot() throws Exception {
    Map<String, String> env = Map.of("DEEPSEEK_API_KEY", "sk-readme");
    RehoboamConfig config = ConfigLoader.parse(example(), "README.md", env);
    BotConfig bot = config.bot("analyst").orElseThrow();
    assertEquals("ai_analyst", bot.type());
    AnalystConfig c = AnalystConfig.from(bot.settings(), env);
    assertEquals(URI.create("https://api.deepseek.com"), c.baseUrl());
    assertEquals(URI.create("https://api.deepseek.com/chat/completions"), c.endpoint());
    assertEquals("deepseek-chat", c.model());
    assertEquals(Duration.ofMinutes(15), c.interval());
    assertEquals(200_000, c.maxTokensPerDay());
    assertFalse(c.allowKillSwitch());
    assertFalse(c.toString().contains("sk-readme"));
  }
}
