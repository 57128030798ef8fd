package io.rehoboam.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.Settings;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EnvOverridesTest {
  private static final String YAML =
      """
      bots:
        - id: live_monitor
          type: live_monitor
          settings:
            Min_Profit: 1
            chains: [1]
        - id: scanner-2.b
          type: process
      """;

  private static RehoboamException invalid(Map<String, String> env, Set<String> known) {
    RehoboamException e =
        assertThrows(RehoboamException.class, () -> EnvOverrides.validate(env, known));
    assertEquals(ErrorCode.INVALID_CONFIG, e.code());
    return e;
  }

  @Test
  void variableNameUpperCasesAndReplacesSeparators() {
    assertEquals(
        "ARB_LIVE_MONITOR__MIN_PROFIT", EnvOverrides.variableName("live_monitor", "min_profit"));
    assertEquals("ARB_SCANNER_2_B__RPC_URL", EnvOverrides.variableName("scanner-2.b", "rpc_url"));
  }

  @Test
  void overridesAreAppliedReplacingCaseInsensitivelyAndRecorded() {
    Map<String, String> env =
        Map.of(
            "ARB_LIVE_MONITOR__MIN_PROFIT", "5",
            "ARB_LIVE_MONITOR__API_KEY", "k-123456",
            "ARB_SCANNER_2_B__RPC_URL", "https://rpc",
            "PATH", "/usr/bin",
            "arb_live_monitor__ignored", "x",
            "MY_ARB_LIVE_MONITOR__X", "y");

    RehoboamConfig config = ConfigLoader.parse(YAML, "config.yaml", env);

    BotConfig monitor = config.bot("live_monitor").orElseThrow();
    // The file's spelling is kept, so the provider finds the setting under its own name.
    assertEquals(
        List.of("Min_Profit", "chains", "api_key"), List.copyOf(monitor.settings().names()));
    assertEquals("5", monitor.settings().raw("Min_Profit").orElseThrow());
    assertEquals(5, monitor.settings().intValue("Min_Profit", 0));
    assertEquals("k-123456", monitor.settings().requireString("api_key"));
    assertEquals(List.of("1"), monitor.settings().stringList("chains"));
    assertEquals(
        Map.of(
            "Min_Profit", "ARB_LIVE_MONITOR__MIN_PROFIT", "api_key", "ARB_LIVE_MONITOR__API_KEY"),
        monitor.overriddenBy());

    BotConfig scanner = config.bot("scanner-2.b").orElseThrow();
    assertEquals(Settings.of(Map.of("rpc_url", "https://rpc")), scanner.settings());
    assertEquals(Map.of("rpc_url", "ARB_SCANNER_2_B__RPC_URL"), scanner.overriddenBy());
  }

  @Test
  void forBotFindsOnlyThatBotsVariables() {
    Map<String, String> env =
        Map.of(
            "ARB_LIVE_MONITOR__MIN_PROFIT", "5",
            "ARB_LIVE_MONITOR__NESTED__PART", "n",
            "ARB_LIVE__X", "other bot",
            "HOME", "/root");
    assertEquals(
        Map.of("min_profit", "5", "nested__part", "n"), EnvOverrides.forBot("live_monitor", env));
    assertEquals(Map.of("x", "other bot"), EnvOverrides.forBot("live", env));
    assertEquals(Map.of(), EnvOverrides.forBot("unknown", env));
  }

  @Test
  void forBotIgnoresNullValuesAndMalformedNames() {
    Map<String, String> env = new HashMap<>();
    env.put("ARB_B__X", null);
    env.put("ARB_B__y", "lower case");
    env.put("ARB_B__", "empty setting");
    assertEquals(Map.of(), EnvOverrides.forBot("b", env));
  }

  @Test
  void nonArbVariablesAreIgnored() {
    Map<String, String> env = Map.of("PATH", "/bin", "ARBITRARY", "1", "arb_x__y", "z");
    EnvOverrides.validate(env, Set.of());
    RehoboamConfig config = ConfigLoader.parse(YAML, "config.yaml", env);
    assertEquals(Map.of(), config.bot("live_monitor").orElseThrow().overriddenBy());
  }

  @Test
  void malformedVariablesAreNamed() {
    String expected =
        ": malformed override name, expected ARB_<BOT_ID>__<SETTING> in upper case (for example"
            + " ARB_LIVE_MONITOR__MIN_PROFIT)";
    for (String variable :
        List.of(
            "ARB_LIVE_MONITOR",
            "ARB___MIN_PROFIT",
            "ARB_LIVE_MONITOR__",
            "ARB_LIVE_MONITOR__min")) {
      assertEquals(
          "environment variable " + variable + expected,
          invalid(Map.of(variable, "secretvalue"), Set.of("live_monitor")).getMessage());
    }
  }

  @Test
  void overrideForUnknownBotIsNamed() {
    RehoboamException e =
        invalid(Map.of("ARB_GHOST__MIN_PROFIT", "5"), Set.of("live_monitor", "b"));
    assertEquals(
        "environment variable ARB_GHOST__MIN_PROFIT: no configured bot matches 'GHOST' (bot ids:"
            + " b, live_monitor)",
        e.getMessage());
    assertEquals(
        "environment variable ARB_GHOST__X: no configured bot matches 'GHOST' (bot ids: none)",
        invalid(Map.of("ARB_GHOST__X", "1"), Set.of()).getMessage());
  }

  @Test
  void variableMatchingTwoBotsIsAmbiguous() {
    assertEquals(
        "environment variable ARB_A_B__X: ambiguous, it matches the bots a-b, a_b",
        invalid(Map.of("ARB_A_B__X", "1"), Set.of("a_b", "a-b")).getMessage());
  }

  @Test
  void loaderPrefixesEnvironmentErrorsWithTheFileAndNeverEchoesValues() {
    RehoboamException e =
        assertThrows(
            RehoboamException.class,
            () ->
                ConfigLoader.parse(
                    YAML, "config.yaml", Map.of("ARB_LIVE_MONTIOR__PRIVATE_KEY", "s3cr3tv4lue")));
    assertEquals(ErrorCode.INVALID_CONFIG, e.code());
    assertEquals(
        "config.yaml: environment variable ARB_LIVE_MONTIOR__PRIVATE_KEY: no configured bot"
            + " matches 'LIVE_MONTIOR' (bot ids: live_monitor, scanner-2.b)",
        e.getMessage());
    assertFalse(e.getMessage().contains("s3cr3tv4lue"));
  }

  @Test
  void validateAcceptsOverridesOfKnownBots() {
    Map<String, String> env = Map.of("ARB_LIVE_MONITOR__MIN_PROFIT", "5", "ARB_A_B__X", "1");
    EnvOverrides.validate(env, Set.of("live_monitor", "a.b"));
    assertTrue(EnvOverrides.forBot("a.b", env).containsKey("x"));
  }

  @Test
  void botWithoutOverridesIsUnchanged() {
    RehoboamConfig config = ConfigLoader.parse(YAML, "config.yaml", Map.of());
    RehoboamConfig same = ConfigLoader.parse(YAML, "config.yaml", Map.of("HOME", "/"));
    assertEquals(config, same);
    assertSame(Map.of().getClass(), same.bots().get(0).overriddenBy().getClass());
  }
}
