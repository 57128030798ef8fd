package io.rehoboam.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.core.BotStatus;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.event.BotState;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StandaloneServerTest {
  @TempDir Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  /** Runs with a data directory of the test's own (the default would be the working directory). */
  private int run(String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "--data-dir";
    all[1] = dir.resolve("data").toString();
    System.arraycopy(args, 0, all, 2, args.length);
    return StandaloneServer.run(
        all,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8),
        Map.of());
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void optionsAreParsed() {
    StandaloneServer.Options o =
        StandaloneServer.Options.parse(
            new String[] {
              "--config", "x.yaml", "--port", "9000", "--bind", "::1", "--data-dir", "state"
            });

    assertEquals(Path.of("x.yaml"), o.config());
    assertEquals(9000, o.port());
    assertEquals("::1", o.bind());
    assertEquals(Path.of("state"), o.dataDir());
  }

  @Test
  void helpPrintsTheUsage() {
    assertEquals(0, run("--help"));
    String help = out.toString(StandardCharsets.UTF_8);
    for (String option : List.of("--config", "--port", "--bind", "--data-dir", "--help", "ARB_")) {
      assertTrue(help.contains(option), option);
    }
  }

  @Test
  void badOptionsAreUsageErrorsNamingTheOption() {
    assertEquals(StandaloneServer.EXIT_USAGE, run("--port", "eighty"));
    assertTrue(err().contains("--port: expected a port"), err());
    assertEquals(StandaloneServer.EXIT_USAGE, run("--port", "70000"));
    assertEquals(StandaloneServer.EXIT_USAGE, run("--verbose"));
    assertTrue(err().contains("--verbose: unknown option"), err());
    assertEquals(StandaloneServer.EXIT_USAGE, run("--config"));
    assertTrue(err().contains("--config: needs a value"), err());
  }

  @Test
  void aBadConfigurationStopsStartUpNamingTheField() throws IOException {
    Path config = dir.resolve("bad.yaml");
    Files.writeString(
        config,
        """
        bots:
          - id: live_monitor
            type: live_monitor
            restart:
              max_retries: lots
        """);

    assertEquals(StandaloneServer.EXIT_USAGE, run("--config", config.toString()));

    assertTrue(
        err()
            .contains(
                "configuration error: " + config + ": bots[live_monitor].restart.max_retries"),
        err());
  }

  @Test
  void aBotSettingItsProvidersSchemaRefusesStopsStartUpWithExitCode2AndJournalsNothing()
      throws IOException {
    Map<String, String> cases = new java.util.LinkedHashMap<>();
    cases.put("min_profit: abc", "bots[scout]: min_profit: expected a decimal number");
    cases.put("min_proft: 5", "bots[scout]: min_proft: unknown setting (known: sources,");
    cases.put("min_profit: 1e10000", "bots[scout]: min_profit: is out of range");
    cases.put("max_cycle_length: 9", "bots[scout]: max_cycle_length: must be 3..4 pools");
    int n = 0;
    for (Map.Entry<String, String> c : cases.entrySet()) {
      Path config = dir.resolve("bad-bot-" + n++ + ".yaml");
      Files.writeString(
          config,
          "sources:\n  market:\n    type: sim\n    pools: 100\n"
              + "bots:\n  - id: scout\n    type: live_monitor\n    autostart: true\n"
              + "    settings:\n      "
              + c.getKey()
              + "\n");
      err.reset();

      assertEquals(StandaloneServer.EXIT_USAGE, run("--config", config.toString()), err());

      assertTrue(err().contains("configuration error: " + config + ": " + c.getValue()), err());
      try (io.rehoboam.journal.JdbcJournal journal =
          io.rehoboam.journal.JdbcJournal.inDirectory(
              dir.resolve("data"), java.time.Clock.systemUTC())) {
        io.rehoboam.core.journal.JournalState state = journal.load();
        assertTrue(state.registrations().isEmpty(), "nothing registered");
        assertTrue(state.desiredStates().isEmpty(), "no desired state journalled");
      }
    }
  }

  @Test
  void anUnknownServerKeyNamesTheFileAndKey() throws IOException {
    Path config = dir.resolve("server.yaml");
    Files.writeString(config, "server:\n  api_keys: [abc]\n");

    assertEquals(StandaloneServer.EXIT_USAGE, run("--config", config.toString()));

    assertTrue(err().contains(config + ": server: unknown key 'api_keys'"), err());
  }

  @Test
  void anUnknownBacktestsKeyNamesTheFileAndKey() throws IOException {
    Path config = dir.resolve("server.yaml");
    Files.writeString(config, "server:\n  backtests: {recordings: /tmp}\n");

    assertEquals(StandaloneServer.EXIT_USAGE, run("--config", config.toString()));

    assertTrue(err().contains(config + ": server.backtests: unknown key 'recordings'"), err());
  }

  @Test
  void withServerBacktestsTheServerBacktestsTheExampleRecordingAsAnApiJob() throws Exception {
    Path recordings = Path.of("backtest").toAbsolutePath();
    Path config = dir.resolve("backtests.yaml");
    Files.writeString(
        config,
        """
        sources:
          market: {type: sim, seed: 1, pools: 50, update_interval: 1s}
        server:
          port: 0
          backtests: {recordings_dir: "%s", max_concurrent: 1}
        """
            .formatted(recordings));
    StandaloneServer server =
        StandaloneServer.start(
            StandaloneServer.Options.parse(
                new String[] {
                  "--config", config.toString(), "--data-dir", dir.resolve("data").toString()
                }),
            Map.of());
    try {
      ByteArrayOutputStream banner = new ByteArrayOutputStream();
      server.printBanner(new PrintStream(banner, true, StandardCharsets.UTF_8));
      assertTrue(
          banner.toString(StandardCharsets.UTF_8).contains("/api/arbitrage/backtests"),
          banner.toString(StandardCharsets.UTF_8));
      String body =
          io.rehoboam.core.json.RehoboamJson.mapper()
              .writeValueAsString(
                  Map.of(
                      "config",
                      Files.readString(recordings.resolve("config.yaml")),
                      "recording",
                      "sim-market.rrec"));
      java.net.http.HttpResponse<String> submitted =
          java.net.http.HttpClient.newHttpClient()
              .send(
                  java.net.http.HttpRequest.newBuilder(
                          server.http().uri().resolve("/api/arbitrage/backtests"))
                      .header("Content-Type", "application/json")
                      .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body))
                      .build(),
                  java.net.http.HttpResponse.BodyHandlers.ofString());
      assertEquals(202, submitted.statusCode(), submitted.body());
      java.net.URI job = server.http().uri().resolve("/api/arbitrage/backtests/bt-1");
      long deadline = System.nanoTime() + 120_000_000_000L;
      String state = "";
      while (!state.contains("\"state\":\"done\"")) {
        assertTrue(System.nanoTime() < deadline, "done within 2 minutes: " + state);
        assertTrue(!state.contains("\"state\":\"failed\""), state);
        java.util.concurrent.locks.LockSupport.parkNanos(50_000_000L);
        state = send(job).body();
      }
      java.net.http.HttpResponse<String> report =
          send(server.http().uri().resolve("/api/arbitrage/backtests/bt-1/report"));
      assertEquals(200, report.statusCode());
      assertTrue(report.body().contains("\"recording\" : \"sim-market.rrec\""), report.body());
    } finally {
      server.stop();
    }
  }

  @Test
  void aMissingConfigFileIsNamed() {
    assertEquals(StandaloneServer.EXIT_USAGE, run("--config", dir.resolve("nope.yaml").toString()));
    assertTrue(err().contains("nope.yaml"), err());
  }

  @Test
  void aTakenPortStopsStartUp() throws IOException {
    try (java.net.ServerSocket taken =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      assertEquals(
          StandaloneServer.EXIT_FAILURE, run("--port", String.valueOf(taken.getLocalPort())));
    }
    assertTrue(err().contains("cannot start: cannot listen on 127.0.0.1:"), err());
    assertTrue(err().contains("Port already in use"), err());
  }

  @Test
  void environmentOverridesAreCheckedAgainstTheConfiguredBots() {
    int code =
        StandaloneServer.run(
            new String[] {"--port", "0", "--data-dir", dir.resolve("data").toString()},
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            Map.of("ARB_GHOST__MIN_PROFIT", "5"));

    assertEquals(StandaloneServer.EXIT_USAGE, code);
    assertTrue(err().contains("ARB_GHOST__MIN_PROFIT"), err());
  }

  @Test
  void bindingBeyondLoopbackIsRefusedBeforeAnyBotStarts() {
    RehoboamException e =
        assertThrows(
            RehoboamException.class,
            () ->
                StandaloneServer.start(
                    StandaloneServer.Options.parse(new String[] {"--bind", "0.0.0.0"}), Map.of()));

    assertEquals(ErrorCode.INVALID_CONFIG, e.code());
    assertTrue(e.getMessage().startsWith("server.bind: '0.0.0.0' is not a loopback address"));
    assertTrue(e.getMessage().contains("server.keys is empty"), e.getMessage());
  }

  @Test
  void hashKeyPrintsTheConfigurationHashOfAKeyOnStandardInput() {
    String key = "0123456789abcdef0123456789abcdef";
    int code =
        StandaloneServer.run(
            new String[] {"--hash-key"},
            new java.io.ByteArrayInputStream((key + "\n").getBytes(StandardCharsets.UTF_8)),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            Map.of());

    assertEquals(0, code, err());
    assertEquals(io.rehoboam.http.ApiKey.hash(key), out.toString(StandardCharsets.UTF_8).strip());
    assertTrue(!out.toString(StandardCharsets.UTF_8).contains(key));
    assertEquals(
        StandaloneServer.EXIT_USAGE,
        StandaloneServer.run(
            new String[] {"--hash-key"},
            new java.io.ByteArrayInputStream("short\n".getBytes(StandardCharsets.UTF_8)),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            Map.of()));
  }

  @Test
  void aKeyFromTheEnvironmentGuardsTheApiAndMetricsIncludeTheServiceAndTheJvm() throws Exception {
    String key = "standalone-key-0123456789abcdef";
    Path config = dir.resolve("keys.yaml");
    Files.writeString(
        config,
        """
        sources:
          sim: {type: sim, pools: 100}
        bots:
          - {id: live_monitor, type: live_monitor, autostart: true}
        server:
          keys:
            - {id: ops, key_env: REHOBOAM_OPS_KEY, scopes: [read, control]}
        """);
    StandaloneServer server =
        StandaloneServer.start(
            StandaloneServer.Options.parse(
                new String[] {"--config", config.toString(), "--port", "0"}),
            Map.of("REHOBOAM_OPS_KEY", key));
    try {
      java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
      java.net.URI metrics = server.http().uri().resolve("/metrics");
      java.net.http.HttpResponse<String> anonymous =
          client.send(
              java.net.http.HttpRequest.newBuilder(metrics).build(),
              java.net.http.HttpResponse.BodyHandlers.ofString());
      java.net.http.HttpResponse<String> withKey =
          client.send(
              java.net.http.HttpRequest.newBuilder(metrics)
                  .header("Authorization", "Bearer " + key)
                  .build(),
              java.net.http.HttpResponse.BodyHandlers.ofString());

      assertEquals(401, anonymous.statusCode());
      assertEquals(200, withKey.statusCode());
      assertTrue(withKey.body().contains("rehoboam_bots{state=\"running\"}"), withKey.body());
      assertTrue(withKey.body().contains("jvm_memory_used_bytes"), "JVM metrics");
    } finally {
      server.stop();
    }
  }

  @Test
  void theDefaultRunsTheSeedsBotsOnTheSimMarket() {
    StandaloneServer server =
        StandaloneServer.start(
            StandaloneServer.Options.parse(
                new String[] {"--port", "0", "--data-dir", dir.resolve("data").toString()}),
            Map.of());
    try {
      List<BotStatus> bots = server.service().bots();
      assertEquals(
          List.of("live_monitor", "real_executor", "layer2_arbitrage"),
          bots.stream().map(BotStatus::botId).toList());
      bots.forEach(b -> assertEquals(BotState.RUNNING, b.desiredState(), b.botId()));
      assertEquals(List.of("sim", "sim_l2"), server.service().marketSourceIds());
      // paper is configured; the layer2 bot adds its own executor while it runs.
      assertTrue(server.service().executorIds().contains("paper"));
      assertTrue(server.http().port() > 0);
    } finally {
      server.stop();
    }
  }

  @Test
  void theFirstAnswerAfterListeningAlreadyListsTheBots() throws Exception {
    java.util.concurrent.atomic.AtomicReference<String> firstAnswer =
        new java.util.concurrent.atomic.AtomicReference<>();
    StandaloneServer server =
        StandaloneServer.start(
            StandaloneServer.Options.parse(
                new String[] {"--port", "0", "--data-dir", dir.resolve("data").toString()}),
            Map.of(),
            http -> firstAnswer.set(get(http.uri().resolve("/api/arbitrage/bots"))));
    try {
      String body = firstAnswer.get();
      for (String bot : List.of("live_monitor", "real_executor", "layer2_arbitrage")) {
        assertTrue(body.contains("\"bot_id\":\"" + bot + "\""), body);
      }
    } finally {
      server.stop();
    }
  }

  @Test
  void theStrategiesListEveryStrategyTheDefaultServerTrades() throws Exception {
    StandaloneServer server =
        StandaloneServer.start(
            StandaloneServer.Options.parse(
                new String[] {"--port", "0", "--data-dir", dir.resolve("data").toString()}),
            Map.of());
    try {
      java.net.http.HttpResponse<String> r =
          send(server.http().uri().resolve("/api/arbitrage/strategies"));
      assertEquals(200, r.statusCode(), r.body());
      List<String> ids = new java.util.ArrayList<>();
      new com.fasterxml.jackson.databind.ObjectMapper()
          .readTree(r.body())
          .get("strategies")
          .forEach(st -> ids.add(st.get("id").asText()));
      // layer2_arbitrage publishes cross_layer: the list named only the scan engine's two.
      assertEquals(List.of("cross_venue", "cyclic", "cross_layer"), ids, r.body());
    } finally {
      server.stop();
    }
  }

  @Test
  void aSourceThatNoBotUsesDoesNotMakeTheServerUnready() throws Exception {
    Path config = dir.resolve("unused-source.yaml");
    Files.writeString(
        config,
        """
        sources:
          used: {type: sim, seed: 1, pools: 50, update_interval: 50ms}
          spare: {type: sim, seed: 2, pools: 50, update_interval: 50ms}
        executors:
          paper: {type: paper, source: used}
        bots:
          - {id: monitor, type: live_monitor, autostart: true, settings: {sources: [used]}}
        server: {port: 0}
        """);
    StandaloneServer server =
        StandaloneServer.start(
            StandaloneServer.Options.parse(
                new String[] {
                  "--config", config.toString(), "--data-dir", dir.resolve("data").toString()
                }),
            Map.of());
    try {
      // Waits (bounded) until the bot runs, and with it the source it subscribed to.
      assertEquals(BotState.RUNNING, server.service().start("monitor").status());
      java.net.http.HttpResponse<String> health = send(server.http().uri().resolve("/health"));
      assertEquals(200, health.statusCode(), health.body());
      assertTrue(health.body().contains("\"source_id\":\"spare\""), health.body());
      assertTrue(health.body().contains("\"in_use\":false"), health.body());
    } finally {
      server.stop();
    }
  }

  private static java.net.http.HttpResponse<String> send(java.net.URI uri) throws Exception {
    return java.net.http.HttpClient.newHttpClient()
        .send(
            java.net.http.HttpRequest.newBuilder(uri).build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
  }

  private static String get(java.net.URI uri) {
    try {
      return send(uri).body();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void theDefaultConfigurationIsAShowcaseThatTradesAllDay() {
    var config =
        io.rehoboam.core.config.ConfigLoader.parse(
            StandaloneServer.defaultConfig(), "default", Map.of());
    var risk = io.rehoboam.core.risk.RiskLimits.from(config.risk(), "default");
    Map<String, io.rehoboam.spi.Settings> bots = new java.util.HashMap<>();
    config.bots().forEach(b -> bots.put(b.id(), b.settings()));

    assertTrue(
        bots.get("live_monitor").decimal("gas_price_gwei", java.math.BigDecimal.ZERO).signum() > 0,
        "a realistic gas price: opportunities are net of gas");
    for (String executor : List.of("real_executor", "layer2_arbitrage")) {
      java.math.BigDecimal maxInput = bots.get(executor).decimal("max_input", null);
      assertTrue(
          maxInput != null && maxInput.compareTo(risk.maxTradeInput()) < 0,
          executor + " sizes its trades down below the risk cap");
    }
    int paces =
        bots.get("real_executor").intValue("max_trades_per_minute", 0)
            + bots.get("layer2_arbitrage").intValue("max_trades_per_minute", 0);
    assertTrue(
        paces > 0 && paces < risk.maxTradesPerMinute(),
        "both executors pace themselves under the shared limit, with room for trades by hand");
    // A sane daily loss limit: the layer2 bot checks both legs on the latest prices before sending
    // either, so the default server no longer loses 12-17 USD a minute to unwinds of legs that
    // missed their minimum (the limit was 100000 USD to outlast them).
    assertTrue(
        risk.dailyLossLimit().signum() > 0
            && risk.dailyLossLimit().compareTo(java.math.BigDecimal.valueOf(1000)) <= 0,
        "a daily loss limit of at most 1000 USD: " + risk.dailyLossLimit());
  }

  @Test
  void theDataDirectoryIsKeptAcrossRestartsAndNamedAtStart() {
    Path data = dir.resolve("data");
    String[] args = {"--port", "0", "--data-dir", data.toString()};
    StandaloneServer first = StandaloneServer.start(StandaloneServer.Options.parse(args), Map.of());
    try {
      first.service().stop("real_executor");
      first.printBanner(new PrintStream(out, true, StandardCharsets.UTF_8));
    } finally {
      first.stop();
    }
    assertTrue(
        out.toString(StandardCharsets.UTF_8).contains("Data:      " + data.toAbsolutePath()),
        out.toString(StandardCharsets.UTF_8));
    assertTrue(Files.exists(data.resolve("rehoboam-journal.mv.db")));
    StandaloneServer second =
        StandaloneServer.start(StandaloneServer.Options.parse(args), Map.of());
    try {
      assertEquals(
          BotState.STOPPED,
          second.service().bot("real_executor").desiredState(),
          "stopped by a user before the restart: stays stopped");
      assertEquals(BotState.RUNNING, second.service().bot("live_monitor").desiredState());
    } finally {
      second.stop();
    }
  }

  @Test
  void theDataDirectoryDefaultsToTheEnvironmentThenTheWorkingDirectory() {
    StandaloneServer.Options none = StandaloneServer.Options.parse(new String[0]);
    assertEquals(
        dir.resolve("env-data").toAbsolutePath(),
        StandaloneServer.dataDir(
            none, Map.of("REHOBOAM_DATA_DIR", dir.resolve("env-data").toString())));
    assertEquals(
        Path.of(StandaloneServer.DEFAULT_DATA_DIR).toAbsolutePath(),
        StandaloneServer.dataDir(none, Map.of()));
  }

  @Test
  void aCorruptJournalStopsStartUpWithAClearError() throws IOException {
    Files.createDirectories(dir.resolve("data"));
    Files.write(dir.resolve("data/rehoboam-journal.mv.db"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
    assertEquals(StandaloneServer.EXIT_USAGE, run("--port", "0"));
    assertTrue(err().contains("rehoboam-journal.mv.db"), err());
    assertTrue(err().contains("corrupt"), err());
  }
}
