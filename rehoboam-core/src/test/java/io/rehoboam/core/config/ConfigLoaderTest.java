package io.rehoboam.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.core.RestartPolicy;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.Settings;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  private static final String FULL =
      """
      # the whole grammar
      bots:
        - id: live_monitor
          type: live_monitor
          name: Live Arbitrage Monitor
          autostart: true
          restart:
            policy: always
            max_retries: unlimited
            backoff_initial: 250ms
            backoff_max: 2m
            backoff_multiplier: 3
            jitter: 0.1
            start_seconds: 7
            heartbeat_timeout: 1h
            start_timeout: PT45S
            stop_timeout: 15s
          settings:
            min_profit: 5.5
            chains: [1, 42161]
            wallet: {address: "0xabc", nested: {depth: 2}}
            amount_in: 1000000000000000000000000
            enabled: true
        - id: scanner-2.b
          type: process
      sources:
        ethereum: {rpc: "https://rpc.example", chain_id: 1}
      executors:
        paper: {mode: simulate}
      risk:
        max_trade_usd: 1000
      server:
        bind: 127.0.0.1
        port: 8080
        cors: ["https://a.example"]
      quote:
        currency: USD
        prices: {WETH: 3000}
      """;

  private static RehoboamConfig parse(String yaml) {
    return ConfigLoader.parse(yaml, "config.yaml", Map.of());
  }

  private static RehoboamException invalid(String yaml) {
    return invalid(yaml, Map.of());
  }

  private static RehoboamException invalid(String yaml, Map<String, String> env) {
    RehoboamException e =
        assertThrows(RehoboamException.class, () -> ConfigLoader.parse(yaml, "config.yaml", env));
    assertEquals(ErrorCode.INVALID_CONFIG, e.code(), e.getMessage());
    return e;
  }

  private static String bot(String body) {
    return "bots:\n  - id: live_monitor\n    type: live_monitor\n" + body;
  }

  @Test
  void fullConfigParsesToExpectedRecords() {
    RehoboamConfig config = parse(FULL);

    assertEquals("config.yaml", config.source());
    Map<String, Object> wallet = new LinkedHashMap<>();
    wallet.put("address", "0xabc");
    wallet.put("nested", Map.of("depth", 2));
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("min_profit", new BigDecimal("5.5"));
    settings.put("chains", List.of(1, 42161));
    settings.put("wallet", wallet);
    settings.put("amount_in", new BigInteger("1000000000000000000000000"));
    settings.put("enabled", true);
    RestartPolicy restart =
        new RestartPolicy(
            RestartPolicy.Mode.ALWAYS,
            -1,
            Duration.ofMillis(250),
            Duration.ofMinutes(2),
            3.0,
            0.1,
            Duration.ofSeconds(7),
            Duration.ofHours(1),
            Duration.ofSeconds(45),
            Duration.ofSeconds(15));
    BotConfig monitor =
        new BotConfig(
            "live_monitor",
            "live_monitor",
            "Live Arbitrage Monitor",
            true,
            restart,
            Settings.of(settings),
            Map.of());
    BotConfig scanner =
        new BotConfig(
            "scanner-2.b", "process", "scanner-2.b", false, RestartPolicy.DEFAULT, null, null);
    assertEquals(List.of(monitor, scanner), config.bots());
    assertEquals(
        List.copyOf(settings.keySet()), List.copyOf(config.bots().get(0).settings().names()));
    assertEquals(Optional.of(scanner), config.bot("scanner-2.b"));
    assertEquals(Optional.empty(), config.bot("nope"));

    assertEquals(
        Settings.of(Map.of("ethereum", Map.of("rpc", "https://rpc.example", "chain_id", 1))),
        config.sources());
    assertEquals(Settings.of(Map.of("paper", Map.of("mode", "simulate"))), config.executors());
    assertEquals(1000, config.risk().intValue("max_trade_usd", 0));
    assertEquals("127.0.0.1", config.server().requireString("bind"));
    assertEquals(8080, config.server().intValue("port", 0));
    assertEquals(List.of("https://a.example"), config.server().stringList("cors"));
    assertEquals("USD", config.quote().requireString("currency"));
    assertEquals(3000, config.quote().section("prices").intValue("WETH", 0));
  }

  @Test
  void omittedFieldsTakeTheirDefaults() {
    RehoboamConfig config =
        parse("bots:\n  - id: b1\n    type: t\n    restart:\n      max_retries: 2\n");

    BotConfig b = config.bots().get(0);
    assertEquals("b1", b.name());
    assertFalse(b.autostart());
    assertEquals(Settings.empty(), b.settings());
    assertEquals(Map.of(), b.overriddenBy());
    RestartPolicy d = RestartPolicy.DEFAULT;
    assertEquals(
        new RestartPolicy(
            d.mode(),
            2,
            d.initialBackoff(),
            d.maxBackoff(),
            d.multiplier(),
            d.jitter(),
            d.startSeconds(),
            d.heartbeatTimeout(),
            d.startTimeout(),
            d.stopTimeout()),
        b.restart());
    assertEquals(Settings.empty(), config.sources());
    assertEquals(Settings.empty(), config.quote());
  }

  @Test
  void restartWithoutKeysIsTheDefaultPolicy() {
    BotConfig b = parse(bot("    restart: {}\n    settings:\n")).bots().get(0);
    assertEquals(RestartPolicy.DEFAULT, b.restart());
    assertEquals(Settings.empty(), b.settings());
  }

  @Test
  void emptyFileAndCommentOnlyFileAreEmptyConfigs() {
    for (String yaml : List.of("", "   \n", "# nothing here\n# at all\n", "---\n", "bots:\n")) {
      RehoboamConfig config = parse(yaml);
      assertEquals(List.of(), config.bots(), yaml);
      assertEquals(Settings.empty(), config.server(), yaml);
      assertEquals("config.yaml", config.source());
    }
  }

  @Test
  void emptyConfigHasNoBots() {
    RehoboamConfig empty = RehoboamConfig.empty();
    assertEquals(List.of(), empty.bots());
    assertEquals(Settings.empty(), empty.risk());
    assertEquals(Optional.empty(), empty.bot("x"));
  }

  @Test
  void inlineSourceNameWhenNoneGiven() {
    assertEquals("<inline>", ConfigLoader.parse("", null, Map.of()).source());
    RehoboamException e =
        assertThrows(RehoboamException.class, () -> ConfigLoader.parse("botz: 1", " ", Map.of()));
    assertTrue(
        e.getMessage().startsWith("<inline>: unknown top-level section 'botz'"), e.getMessage());
  }

  @Test
  void autostartAcceptsYamlBooleanWords() {
    assertTrue(parse(bot("    autostart: yes\n")).bots().get(0).autostart());
    assertFalse(parse(bot("    autostart: Off\n")).bots().get(0).autostart());
  }

  @Test
  void numericIdAndTypeAreReadAsText() {
    BotConfig b = parse("bots:\n  - id: 7\n    type: 42\n    name: 2024\n").bots().get(0);
    assertEquals("7", b.id());
    assertEquals("42", b.type());
    assertEquals("2024", b.name());
  }

  @Test
  void settingWithoutValueIsAbsentAndSpecialFloatsAreRead() {
    Settings s =
        parse(bot("    settings:\n      unset:\n      empty: ''\n      cap: .inf\n"))
            .bots()
            .get(0)
            .settings();
    assertFalse(s.has("unset"));
    assertEquals("", s.requireString("empty"));
    assertEquals(Double.POSITIVE_INFINITY, s.raw("cap").orElseThrow());
  }

  @Test
  void unknownTopLevelSection() {
    assertEquals(
        "config.yaml: unknown top-level section 'botz' (known: bots, sources, executors, risk,"
            + " server, quote)",
        invalid("botz:\n  - id: x\n").getMessage());
  }

  @Test
  void topLevelMustBeAMap() {
    assertEquals(
        "config.yaml: expected a map of sections (bots, sources, executors, risk, server, quote) at"
            + " the top level but was a list",
        invalid("- a\n- b\n").getMessage());
    assertTrue(invalid("just text\n").getMessage().endsWith("but was a text"));
  }

  @Test
  void unknownBotKey() {
    assertEquals(
        "config.yaml: bots[live_monitor]: unknown key 'autostrat' (known: id, type, name,"
            + " autostart, restart, settings, schedule)",
        invalid(bot("    autostrat: true\n")).getMessage());
  }

  @Test
  void unknownRestartKey() {
    assertEquals(
        "config.yaml: bots[live_monitor].restart: unknown key 'max_retry' (known: policy,"
            + " max_retries, backoff_initial, backoff_max, backoff_multiplier, jitter,"
            + " start_seconds, heartbeat_timeout, start_timeout, stop_timeout, failure_window)",
        invalid(bot("    restart:\n      max_retry: 3\n")).getMessage());
  }

  @Test
  void missingIdIsReportedByIndex() {
    assertEquals(
        "config.yaml: bots[2]: missing required field 'id'",
        invalid("bots:\n  - {id: a, type: t}\n  - {id: b, type: t}\n  - {type: t}\n").getMessage());
  }

  @Test
  void missingTypeIsReportedByIdOrIndex() {
    assertEquals(
        "config.yaml: bots[live_monitor]: missing required field 'type'",
        invalid("bots:\n  - id: live_monitor\n").getMessage());
    assertEquals(
        "config.yaml: bots[x].type: must not be blank",
        invalid("bots:\n  - id: x\n    type: '  '\n").getMessage());
  }

  @Test
  void badIdNamesTheRule() {
    assertEquals(
        "config.yaml: bots[0].id: must be 1-64 letters, digits, '_', '.' or '-' and start with a"
            + " letter or digit but was 'live monitor'",
        invalid("bots:\n  - id: live monitor\n    type: t\n").getMessage());
    assertEquals(
        "config.yaml: bots[1].id: expected a text but was a list",
        invalid("bots:\n  - {id: a, type: t}\n  - {id: [a], type: t}\n").getMessage());
  }

  @Test
  void duplicateIdNamesBothPositions() {
    assertEquals(
        "config.yaml: bots[2]: duplicate id 'a' (already used by bots[0])",
        invalid("bots:\n  - {id: a, type: t}\n  - {id: b, type: t}\n  - {id: a, type: u}\n")
            .getMessage());
  }

  @Test
  void wrongTypeForAutostart() {
    assertEquals(
        "config.yaml: bots[live_monitor].autostart: expected true or false but was 'maybe'",
        invalid(bot("    autostart: maybe\n")).getMessage());
    assertEquals(
        "config.yaml: bots[live_monitor].autostart: expected true or false but was '1'",
        invalid(bot("    autostart: 1\n")).getMessage());
  }

  @Test
  void wrongTypeForMaxRetries() {
    assertEquals(
        "config.yaml: bots[live_monitor].restart.max_retries: expected an integer or 'unlimited'"
            + " but was 'lots'",
        invalid(bot("    restart:\n      max_retries: lots\n")).getMessage());
    assertEquals(
        "config.yaml: bots[live_monitor].restart.max_retries: expected an integer or 'unlimited'"
            + " but was '2.5'",
        invalid(bot("    restart:\n      max_retries: 2.5\n")).getMessage());
    assertEquals(
        "config.yaml: bots[live_monitor].restart.max_retries: expected an integer or 'unlimited'"
            + " but was '99999999999'",
        invalid(bot("    restart:\n      max_retries: 99999999999\n")).getMessage());
  }

  @Test
  void maxRetriesBelowMinusOneIsRejectedByThePolicy() {
    assertEquals(
        "config.yaml: bots[live_monitor].restart.max_retries: must be -1 (unlimited) or more",
        invalid(bot("    restart:\n      max_retries: -2\n")).getMessage());
  }

  @Test
  void wrongTypeForDurations() {
    assertEquals(
        "config.yaml: bots[live_monitor].restart.backoff_initial: expected a duration such as 10s,"
            + " 250ms, 2m, 1h or PT10S but was 'soon'",
        invalid(bot("    restart:\n      backoff_initial: soon\n")).getMessage());
    assertEquals(
        "config.yaml: bots[live_monitor].restart.stop_timeout: expected a duration such as 10s,"
            + " 250ms, 2m, 1h or PT10S but was 'true'",
        invalid(bot("    restart:\n      stop_timeout: true\n")).getMessage());
    assertEquals(
        "config.yaml: bots[live_monitor].restart.heartbeat_timeout: expected a duration such as"
            + " 10s, 250ms, 2m, 1h or PT10S but was a list",
        invalid(bot("    restart:\n      heartbeat_timeout: [1s]\n")).getMessage());
  }

  @Test
  void wrongTypeForJitterAndMultiplier() {
    assertEquals(
        "config.yaml: bots[live_monitor].restart.jitter: expected a number but was 'high'",
        invalid(bot("    restart:\n      jitter: high\n")).getMessage());
    assertEquals(
        "config.yaml: bots[live_monitor].restart.backoff_multiplier: expected a number but was"
            + " 'false'",
        invalid(bot("    restart:\n      backoff_multiplier: false\n")).getMessage());
  }

  @Test
  void policyConstructorErrorsArePrefixedWithFileAndBot() {
    assertEquals(
        "config.yaml: bots[live_monitor].restart.jitter: must be 0..1",
        invalid(bot("    restart:\n      jitter: 1.5\n")).getMessage());
    assertEquals(
        "config.yaml: bots[live_monitor].restart.jitter: must be 0..1",
        invalid(bot("    restart:\n      jitter: .nan\n")).getMessage());
    assertEquals(
        "config.yaml: bots[live_monitor].restart.backoff_max: must not be below"
            + " restart.backoff_initial",
        invalid(bot("    restart:\n      backoff_initial: 2m\n      backoff_max: 1m\n"))
            .getMessage());
    assertEquals(
        "config.yaml: bots[live_monitor].restart.start_timeout: must be positive",
        invalid(bot("    restart:\n      start_timeout: 0\n")).getMessage());
    assertEquals(
        "config.yaml: bots[live_monitor].restart.policy: expected never, on-failure or always but"
            + " was 'sometimes'",
        invalid(bot("    restart:\n      policy: sometimes\n")).getMessage());
  }

  @Test
  void policyAcceptsEverySpelling() {
    assertEquals(
        RestartPolicy.Mode.ON_FAILURE,
        parse(bot("    restart: {policy: on_failure}\n")).bots().get(0).restart().mode());
    assertEquals(
        RestartPolicy.Mode.NEVER,
        parse(bot("    restart: {policy: never}\n")).bots().get(0).restart().mode());
  }

  @Test
  void sectionGivenAsListOrScalar() {
    assertEquals(
        "config.yaml: server: expected a map but was a list",
        invalid("server:\n  - port: 8080\n").getMessage());
    assertEquals(
        "config.yaml: risk: expected a map but was a text", invalid("risk: strict\n").getMessage());
    assertEquals(
        "config.yaml: bots: expected a list of bots but was a map",
        invalid("bots:\n  id: x\n  type: t\n").getMessage());
    assertEquals(
        "config.yaml: bots[0]: expected a bot (a map with id, type, ...) but was a text",
        invalid("bots:\n  - live_monitor\n").getMessage());
    assertEquals(
        "config.yaml: bots[live_monitor].restart: expected a map of restart settings but was a"
            + " text",
        invalid(bot("    restart: never\n")).getMessage());
  }

  @Test
  void settingsGivenAsListDoesNotEchoValues() {
    RehoboamException e = invalid(bot("    settings:\n      - private_key: s3cr3tv4lue\n"));
    assertEquals(
        "config.yaml: bots[live_monitor].settings: expected a map of settings but was a list",
        e.getMessage());
    RehoboamException scalar = invalid(bot("    settings: s3cr3tv4lue\n"));
    assertFalse(scalar.getMessage().contains("s3cr3tv4lue"), scalar.getMessage());
  }

  @Test
  void settingNamesDifferingOnlyInCaseAreRejected() {
    assertEquals(
        "config.yaml: bots[live_monitor].settings: settings 'min_profit' and 'MIN_PROFIT' differ"
            + " only in case",
        invalid(bot("    settings:\n      min_profit: 1\n      MIN_PROFIT: 2\n")).getMessage());
  }

  @Test
  void blankSettingNameIsRejected() {
    assertEquals(
        "config.yaml: quote: a setting has a blank name",
        invalid("quote:\n  '': 1\n").getMessage());
  }

  @Test
  void yamlSyntaxErrorNamesLineWithoutStackTraceOrValue() {
    RehoboamException e =
        invalid("bots:\n  - id: a\n    type: t\n    settings:\n      key: \"s3cr3tv4lue\n");
    assertTrue(
        e.getMessage().startsWith("config.yaml: YAML syntax error at line 6, column 1: "),
        e.getMessage());
    assertTrue(e.getMessage().contains("started at line 5, column 12"), e.getMessage());
    assertFalse(e.getMessage().contains("s3cr3tv4lue"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
    assertFalse(e.getMessage().contains("Exception"), e.getMessage());
    assertFalse(e.getMessage().contains("at com."), e.getMessage());

    RehoboamException indent = invalid("bots:\n  - id: a\n   type: t\n");
    assertTrue(
        indent.getMessage().startsWith("config.yaml: YAML syntax error at line 3, column "),
        indent.getMessage());

    RehoboamException tab = invalid("server:\n\tport: 1\n");
    assertTrue(
        tab.getMessage().startsWith("config.yaml: YAML syntax error at line 2, column 1: "),
        tab.getMessage());
  }

  @Test
  void duplicateKeyIsASyntaxErrorWithLine() {
    RehoboamException e = invalid("server: {}\nrisk: {}\nserver: {}\n");
    assertTrue(
        e.getMessage().startsWith("config.yaml: YAML syntax error at line 3, column "),
        e.getMessage());
    assertTrue(e.getMessage().endsWith(": duplicate key 'server'"), e.getMessage());
  }

  @Test
  void moreThanOneDocumentIsAnError() {
    RehoboamException e = invalid("bots: []\n---\nrisk: {}\n");
    assertTrue(e.getMessage().startsWith("config.yaml: line 3, column 1:"), e.getMessage());
    assertTrue(e.getMessage().contains("expected one YAML document"), e.getMessage());
  }

  @Test
  void anchorsAliasesAndMergeKeysAreResolved() {
    RehoboamConfig config =
        parse(
            """
            bots:
              - id: a
                type: t
                settings: &common
                  chains: [1, 10]
                  min_profit: 5
              - id: b
                type: t
                settings:
                  <<: *common
                  min_profit: 7
                  extra: *common
            """);
    Settings a = config.bot("a").orElseThrow().settings();
    Settings b = config.bot("b").orElseThrow().settings();
    assertEquals(List.of("1", "10"), a.stringList("chains"));
    assertEquals(5, a.intValue("min_profit", 0));
    assertEquals(List.of("1", "10"), b.stringList("chains"));
    assertEquals(7, b.intValue("min_profit", 0));
    assertEquals(a, b.section("extra"));
  }

  @Test
  void aliasToUnknownAnchorIsAnError() {
    RehoboamException e = invalid("risk:\n  a: *nowhere\n");
    assertEquals(
        "config.yaml: line 2, column 6: alias '*nowhere' refers to no anchor defined before it",
        e.getMessage());
  }

  @Test
  void aliasBombIsRefused() {
    StringBuilder yaml = new StringBuilder("risk:\n  l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n");
    for (int i = 1; i <= 8; i++) {
      yaml.append("  l").append(i).append(": &l").append(i).append(" [");
      for (int j = 0; j < 10; j++) {
        yaml.append(j == 0 ? "" : ", ").append("*l").append(i - 1);
      }
      yaml.append("]\n");
    }
    assertTrue(invalid(yaml.toString()).getMessage().contains("document too large"));
  }

  @Test
  void loadReadsTheFileAndNamesItInErrors(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("rehoboam.yaml");
    Files.writeString(file, "\uFEFFbots:\n  - {id: a, type: t}\n", StandardCharsets.UTF_8);
    RehoboamConfig config = ConfigLoader.load(file, Map.of());
    assertEquals(file.toString(), config.source());
    assertEquals("a", config.bots().get(0).id());

    Files.writeString(file, "bots:\n  - {id: a, tpye: t}\n", StandardCharsets.UTF_8);
    RehoboamException e =
        assertThrows(RehoboamException.class, () -> ConfigLoader.load(file, Map.of()));
    assertEquals(ErrorCode.INVALID_CONFIG, e.code());
    assertTrue(e.getMessage().startsWith(file + ": bots[a]: unknown key 'tpye'"), e.getMessage());
  }

  @Test
  void loadOfMissingFileNamesThePath(@TempDir Path dir) {
    Path missing = dir.resolve("nope.yaml");
    RehoboamException e =
        assertThrows(RehoboamException.class, () -> ConfigLoader.load(missing, Map.of()));
    assertEquals(ErrorCode.INVALID_CONFIG, e.code());
    assertEquals("cannot read config file " + missing + ": no such file", e.getMessage());
  }

  @Test
  void loadOfDirectoryOrNonUtf8FileIsInvalidConfig(@TempDir Path dir) throws IOException {
    RehoboamException e =
        assertThrows(RehoboamException.class, () -> ConfigLoader.load(dir, Map.of()));
    assertEquals(ErrorCode.INVALID_CONFIG, e.code());
    assertTrue(e.getMessage().startsWith("cannot read config file " + dir + ": "), e.getMessage());

    Path latin1 = dir.resolve("latin1.yaml");
    Files.write(latin1, new byte[] {'r', 'i', 's', 'k', ':', ' ', (byte) 0xE9, '\n'});
    RehoboamException bad =
        assertThrows(RehoboamException.class, () -> ConfigLoader.load(latin1, Map.of()));
    assertEquals("cannot read config file " + latin1 + ": not UTF-8 text", bad.getMessage());
  }

  @Test
  void nullArgumentsAreRejected() {
    assertEquals(
        ErrorCode.INVALID_ARGUMENT,
        assertThrows(RehoboamException.class, () -> ConfigLoader.parse(null, "x", Map.of()))
            .code());
    assertEquals(
        ErrorCode.INVALID_ARGUMENT,
        assertThrows(RehoboamException.class, () -> ConfigLoader.parse("", "x", null)).code());
  }

  @Test
  void aBotScheduleIsReadWithItsErrorsNamingTheBotAndTheField() {
    RehoboamConfig config =
        parse(
            bot(
                "    schedule:\n      time_zone: Europe/London\n      windows:\n"
                    + "        - {days: MON-FRI, from: \"07:00\", to: \"22:00\"}\n"));
    io.rehoboam.core.schedule.Schedule schedule = config.bots().get(0).schedule();
    assertEquals("Europe/London", schedule.zone().getId());
    assertEquals(1, schedule.windows().size());

    String unquoted =
        invalid(
                bot(
                    "    schedule:\n      windows:\n        - {days: MON, from: 7:00, to: \"22:00\"}\n"))
            .getMessage();
    assertTrue(
        unquoted.contains("config.yaml: bots[live_monitor].schedule.windows[0].from:"), unquoted);
    assertTrue(unquoted.contains("\"07:00\""), unquoted);
    String both =
        invalid(bot("    autostart: true\n    schedule: {cron: \"0 * * * *\", run_for: 5m}\n"))
            .getMessage();
    assertTrue(both.contains("bots[live_monitor].autostart"), both);
    assertTrue(both.contains("drop autostart"), both);
    String cron = invalid(bot("    schedule: {cron: \"0 * * *\", run_for: 5m}\n")).getMessage();
    assertTrue(cron.contains("bots[live_monitor].schedule.cron: expected 5 fields"), cron);
  }
}
