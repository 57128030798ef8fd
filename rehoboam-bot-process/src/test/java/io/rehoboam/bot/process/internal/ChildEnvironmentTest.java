package io.rehoboam.bot.process.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.bot.process.ProcessBotSettings;
import io.rehoboam.spi.Settings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChildEnvironmentTest {
  private static final Map<String, String> INHERITED =
      Map.ofEntries(
          Map.entry("PATH", "/usr/bin"),
          Map.entry("HOME", "/home/bot"),
          Map.entry("ARB_LIVE__MIN_PROFIT", "5"),
          Map.entry("ALCHEMY_API_KEY", "a"),
          Map.entry("DEEPSEEK_API_KEY", "d"),
          Map.entry("AWS_SECRET_ACCESS_KEY", "s"),
          Map.entry("WALLET_PRIVATE_KEY_FILE", "/k"),
          Map.entry("GITHUB_TOKEN", "t"),
          Map.entry("DB_PASSWORD", "p"),
          Map.entry("REHOBOAM_BOT_ID", "outer"),
          Map.entry("AWS_REGION", "eu-west-1"));

  private static Map<String, String> build(Map<String, ?> extra) {
    Map<String, Object> values = new java.util.HashMap<>(extra);
    values.put("command", List.of("bot"));
    ProcessBotSettings s = ProcessBotSettings.parse(Settings.of(values));
    return ChildEnvironment.build(INHERITED, s, "my-bot", "my-bot.42");
  }

  @Test
  void theServicesSecretsAreWithheldAndTheMarkersSet() {
    Map<String, String> env = build(Map.of());
    assertEquals(
        Map.of(
            "PATH", "/usr/bin",
            "HOME", "/home/bot",
            "AWS_REGION", "eu-west-1",
            "REHOBOAM_BOT_ID", "my-bot",
            "REHOBOAM_INSTANCE", "my-bot.42"),
        env);
  }

  @Test
  void passEnvListsNamesAndPrefixes() {
    Map<String, String> env = build(Map.of("pass_env", List.of("DEEPSEEK_API_KEY", "AWS_*")));
    assertEquals("d", env.get("DEEPSEEK_API_KEY"));
    assertEquals("s", env.get("AWS_SECRET_ACCESS_KEY"));
    assertFalse(env.containsKey("ALCHEMY_API_KEY"));
    assertEquals(
        INHERITED.size() + 1,
        build(Map.of("pass_env", "*")).size(),
        "everything inherited, the outer marker replaced, plus REHOBOAM_INSTANCE");
  }

  @Test
  void envAndSecretEnvAreAddedAndWin() {
    Map<String, String> env =
        build(
            Map.of(
                "env", Map.of("HOME", "/srv", "MODE", "paper"), "secret_env", Map.of("KEY", "k")));
    assertEquals("/srv", env.get("HOME"));
    assertEquals("paper", env.get("MODE"));
    assertEquals("k", env.get("KEY"));
  }

  @Test
  void secretLookingNames() {
    for (String name :
        List.of(
            "ARB_X__Y",
            "api_key",
            "MY_SECRET_FILE",
            "X_PRIVATE",
            "NPM_TOKEN",
            "PGPASSWORD",
            "PASSWD",
            "GOOGLE_APPLICATION_CREDENTIALS")) {
      assertTrue(ChildEnvironment.looksSecret(name), name);
    }
    for (String name : List.of("PATH", "HOME", "LANG", "KEYBOARD_LAYOUT", "RPC_URL", "PWD")) {
      assertFalse(ChildEnvironment.looksSecret(name), name);
    }
  }
}
