package io.rehoboam.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.rehoboam.core.ArbitrageService;
import io.rehoboam.core.config.ConfigLoader;
import io.rehoboam.http.ApiKey;
import io.rehoboam.http.HttpAdapter;
import io.rehoboam.http.Scope;
import io.rehoboam.http.ServerSettings;
import io.rehoboam.journal.JdbcJournal;
import io.rehoboam.spi.event.BotLogEvent;
import io.rehoboam.spi.event.ExecutionEvent;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rehoboam client against a real server: a sim market, paper trading, a journal. */
class CliIT {
  private static final String CONFIG =
      """
      sources:
        sim: {type: sim, seed: 11, pools: 300, update_interval: 50ms, dislocation_probability: 0.5}
      executors:
        paper: {type: paper, source: sim}
      risk: {max_trades_per_minute: 1000}
      bots:
        - {id: live_monitor, type: live_monitor, autostart: true, settings: {sources: [sim]}}
        - {id: real_executor, type: real_executor, autostart: true, settings: {max_input: 5000}}
      """;

  @TempDir Path dir;
  private ArbitrageService service;
  private HttpAdapter http;
  private final Map<String, String> env = new HashMap<>();

  private void startServer(List<ApiKey> keys) {
    startServer(keys, CONFIG);
  }

  private void startServer(List<ApiKey> keys, String config) {
    service =
        ArbitrageService.builder()
            .config(ConfigLoader.parse(config, "test", Map.of()))
            // the one environment plugins see: a process bot finds bash on this PATH
            .env(Map.of("PATH", System.getenv("PATH")))
            .journal(JdbcJournal.inDirectory(dir, Clock.systemUTC()))
            .build();
    service.prepare();
    http =
        HttpAdapter.builder(service)
            .settings(
                ServerSettings.DEFAULTS
                    .withPort(0)
                    .withKeys(keys)
                    .withAllowUnauthenticatedExecute(false))
            .build()
            .start();
    service.initialize();
    env.put("REHOBOAM_URL", http.uri().toString());
  }

  @AfterEach
  void stop() {
    if (http != null) {
      http.beginShutdown();
    }
    if (service != null) {
      service.close();
    }
    if (http != null) {
      http.close();
    }
  }

  private record Run(int code, String out, String err) {
    JsonNode json() {
      try {
        return Api.JSON.readTree(out);
      } catch (java.io.IOException e) {
        throw new AssertionError(out, e);
      }
    }
  }

  private Run cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Rehoboam.run(args, new PrintWriter(out, true), new PrintWriter(err, true), env);
    return new Run(code, out.toString(), err.toString());
  }

  private void awaitExecutions(int n) throws InterruptedException {
    CountDownLatch executed = new CountDownLatch(n);
    var sub = service.subscribe(e -> executed.countDown(), e -> e instanceof ExecutionEvent);
    try {
      assertTrue(executed.await(60, TimeUnit.SECONDS), "the paper trader executed");
    } finally {
      sub.close();
    }
  }

  @Test
  void statusStartStopRestartAndTailDriveTheBots() throws Exception {
    startServer(List.of());

    Run status = cli("status");
    assertEquals(0, status.code(), status.err());
    assertTrue(status.out().startsWith("BOT"), status.out());
    assertTrue(status.out().contains("live_monitor") && status.out().contains("real_executor"));
    Run statusJson = cli("--json", "status", "real_executor");
    assertEquals("real_executor", statusJson.json().get(0).get("bot_id").asText());
    service.register(
        new io.rehoboam.core.BotRegistration(
            "newyear",
            "live_monitor",
            "newyear",
            false,
            io.rehoboam.core.RestartPolicy.DEFAULT,
            io.rehoboam.spi.Settings.of(Map.of("sources", List.of("sim"))),
            io.rehoboam.core.schedule.Schedule.parse(
                Map.of("cron", "0 3 1 1 *", "run_for", "1h"), "schedule")));
    String newYear =
        cli("status", "newyear")
            .out()
            .lines()
            .filter(l -> l.startsWith("newyear"))
            .findFirst()
            .orElseThrow();
    assertTrue(
        newYear.endsWith("; schedule: next start " + service.bot("newyear").nextStart()),
        "a scheduled bot at rest shows when it starts: " + newYear);

    Run stop = cli("stop", "real_executor");
    assertEquals(0, stop.code(), stop.err());
    assertEquals("real_executor: stopped\n", stop.out());
    Run start =
        cli("start", "real_executor", "--set", "min_profit=2", "--set", "strategies=[cyclic]");
    assertEquals("real_executor: running\n", start.out(), start.err());
    assertEquals("2", service.botSettings("real_executor").get("min_profit").toString());
    Run restart = cli("restart", "real_executor");
    assertEquals("real_executor: running\n", restart.out(), restart.err());
    assertFalse(
        service.botSettings("real_executor").containsKey("strategies"),
        "a restart runs the registered settings");

    Run tail = cli("tail", "-n", "3", "real_executor");
    assertEquals(0, tail.code(), tail.err());
    assertTrue(tail.out().contains("INFO"), tail.out());

    // tail -f: prints what the bot logs from now on, until the server closes.
    StringWriter followed = new StringWriter();
    CompletableFuture<Integer> following =
        CompletableFuture.supplyAsync(
            () ->
                Rehoboam.run(
                    new String[] {"tail", "-f", "-n", "0", "real_executor"},
                    new PrintWriter(followed, true),
                    new PrintWriter(new StringWriter(), true),
                    env));
    CountDownLatch logged = new CountDownLatch(1);
    var sub =
        service.subscribe(
            e -> logged.countDown(),
            e -> e instanceof BotLogEvent l && l.botId().equals("real_executor"));
    // The follower is connected once the server counts a client; then a restart logs lines.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (http.webSocketClients() == 0 && !following.isDone() && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertEquals(1, http.webSocketClients(), "the follower connected");
    service.restart("real_executor");
    assertTrue(logged.await(30, TimeUnit.SECONDS));
    sub.close();
    // The follower prints the line once the server's WebSocket passes it on.
    long printed = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!followed.toString().contains("INFO executing") && System.nanoTime() < printed) {
      Thread.onSpinWait();
    }
    http.close(); // closes the WebSocket: the follower ends
    assertEquals(0, following.get(30, TimeUnit.SECONDS));
    assertTrue(followed.toString().contains("INFO executing"), followed.toString());
  }

  @Test
  void historyPnlRiskAndTheKillSwitchFromTheCommandLine() throws Exception {
    String key = "ops-key-0123456789abcdef0123";
    startServer(List.of(ApiKey.ofKey("ops", key, Set.of(Scope.READ, Scope.CONTROL))));

    Run noKey = cli("status");
    assertEquals(Rehoboam.EXIT_FAILED, noKey.code());
    assertTrue(noKey.err().contains("UNAUTHENTICATED"), noKey.err());
    assertTrue(noKey.err().contains("REHOBOAM_API_KEY"), noKey.err());
    env.put("REHOBOAM_API_KEY", key);

    awaitExecutions(3);
    Run executions = cli("executions", "--limit", "5");
    assertEquals(0, executions.code(), executions.err());
    assertTrue(executions.out().startsWith("STARTED"), executions.out());
    assertTrue(executions.out().contains("real_executor"), executions.out());
    assertTrue(
        executions
            .out()
            .lines()
            .skip(1)
            .findFirst()
            .orElse("")
            .matches(".*(simulated|reverted|failed|submitted).*"),
        executions.out());
    JsonNode page = cli("--json", "executions", "--bot", "real_executor", "--since", "1h").json();
    assertTrue(page.get("count").asInt() >= 3, page.toString());
    assertTrue(page.get("executions").get(0).get("amount_in").asText().matches("[0-9]+"));

    Run opportunities = cli("opportunities", "--limit", "3");
    assertEquals(0, opportunities.code(), opportunities.err());
    assertTrue(opportunities.out().startsWith("ID"), opportunities.out());

    Run pnl = cli("pnl", "--series", "--bucket", "minute");
    assertEquals(0, pnl.code(), pnl.err());
    assertTrue(pnl.out().contains("bot real_executor"), pnl.out());

    Run trip = cli("kill-switch", "trip", "--reason", "exchange incident");
    assertEquals(0, trip.code(), trip.err());
    assertTrue(trip.out().contains("kill switch: TRIPPED by ops"), trip.out());
    assertTrue(trip.out().contains("exchange incident"), trip.out());
    assertTrue(service.risk().isTripped());
    // Nothing executes while tripped: the history stops growing and the bots' profit with it.
    int before =
        service.executions(io.rehoboam.core.history.ExecutionQuery.newest()).executions().size();
    JsonNode total = cli("--json", "pnl").json();
    BigDecimal profits =
        service.bots().stream()
            .map(io.rehoboam.core.BotStatus::totalProfit)
            .reduce(BigDecimal.ZERO, BigDecimal::add);
    assertEquals(
        0,
        profits.compareTo(total.get("totals").get("realized_profit_usd").decimalValue()),
        "pnl sums to the bots' total_profit");

    Run risk = cli("risk", "set", "max_trades_per_minute=30", "daily_loss_limit=off");
    assertEquals(0, risk.code(), risk.err());
    assertTrue(risk.out().contains("max_trades_per_minute  30"), risk.out());
    assertTrue(risk.out().contains("limits changed by ops"), risk.out());
    assertEquals(30, service.risk().limits().maxTradesPerMinute());
    Run badLimit = cli("risk", "set", "max_trades_per_minute=-4");
    assertEquals(Rehoboam.EXIT_FAILED, badLimit.code());
    assertTrue(badLimit.err().contains("max_trades_per_minute"), badLimit.err());

    assertEquals(
        before,
        service.executions(io.rehoboam.core.history.ExecutionQuery.newest()).executions().size(),
        "no execution while the kill switch is tripped");
    Run reset = cli("kill-switch", "reset");
    assertTrue(reset.out().contains("kill switch: off (reset by ops"), reset.out());
  }

  @Test
  void badCommandLinesAndUnreachableServersSayWhy() {
    startServer(List.of());
    Run unknownBot = cli("start", "ghost");
    assertEquals(Rehoboam.EXIT_FAILED, unknownBot.code());
    assertTrue(unknownBot.err().contains("NOT_FOUND"), unknownBot.err());
    assertEquals(Rehoboam.EXIT_USAGE, cli("frobnicate").code());
    assertEquals(Rehoboam.EXIT_USAGE, cli("kill-switch", "press").code());
    Run since = cli("executions", "--since", "yesterday");
    assertEquals(Rehoboam.EXIT_USAGE, since.code());
    assertTrue(since.err().contains("--since"), since.err());
    Run badUrl = cli("--url", "nowhere", "status");
    assertEquals(Rehoboam.EXIT_FAILED, badUrl.code());
    assertTrue(badUrl.err().contains("--url"), badUrl.err());
    http.close();
    Run down = cli("status");
    assertEquals(Rehoboam.EXIT_FAILED, down.code());
    assertTrue(down.err().contains("cannot reach"), down.err());
    Run help = cli("--help");
    assertEquals(0, help.code());
    for (String command :
        List.of(
            "status",
            "start",
            "stop",
            "restart",
            "tail",
            "opportunities",
            "executions",
            "pnl",
            "risk",
            "kill-switch",
            "settings",
            "command")) {
      assertTrue(help.out().contains(command), command);
    }
  }

  @Test
  void settingsAndBotCommandsFromTheCommandLine() throws Exception {
    // A process bot (bash, a real child process) that answers ping with "pong <payload>".
    Path script = Path.of(CliIT.class.getResource("/pinger.sh").toURI());
    startServer(
        List.of(),
        CONFIG
            + "  - {id: pinger, type: process, autostart: true, settings: {command: [bash, "
            + script
            + "]}}\n");

    Run shown = cli("settings", "real_executor");
    assertEquals(0, shown.code(), shown.err());
    assertTrue(shown.out().startsWith("SETTING"), shown.out());
    assertTrue(shown.out().lines().anyMatch(l -> l.matches("max_input\\s+5000")), shown.out());

    Run changed = cli("settings", "real_executor", "--set", "min_profit=3");
    assertEquals(0, changed.code(), changed.err());
    assertTrue(
        changed.out().startsWith("real_executor: settings min_profit changed (restarted); running"),
        changed.out());
    assertTrue(changed.out().lines().anyMatch(l -> l.matches("min_profit\\s+3")), changed.out());
    assertEquals("3", service.botSettings("real_executor").get("min_profit").toString());
    JsonNode json = cli("--json", "settings", "real_executor").json();
    assertEquals(3, json.get("settings").get("min_profit").asInt());
    assertEquals("real_executor", json.get("bot_id").asText());

    Run secret =
        cli("settings", "pinger", "--set", "secret_env={\"PINGER_TOKEN\": \"s3cret-value\"}");
    assertEquals(0, secret.code(), secret.err());
    assertTrue(secret.out().contains("***"), secret.out());
    assertFalse(secret.out().contains("s3cret-value"), secret.out());
    assertFalse(cli("--json", "settings", "pinger").out().contains("s3cret-value"));

    Run badValue = cli("settings", "real_executor", "--set", "max_input=-5");
    assertEquals(Rehoboam.EXIT_FAILED, badValue.code());
    // the provider's settings schema refuses it (INVALID_CONFIG, 400), before anything changes
    assertTrue(badValue.err().contains("INVALID_CONFIG"), badValue.err());
    assertTrue(badValue.err().contains("max_input"), badValue.err());
    assertEquals("5000", service.botSettings("real_executor").get("max_input").toString());
    Run ghost = cli("settings", "ghost");
    assertEquals(Rehoboam.EXIT_FAILED, ghost.code());
    assertTrue(ghost.err().contains("NOT_FOUND"), ghost.err());

    Run pong = cli("command", "pinger", "ping", "--wait", "10000");
    assertEquals(0, pong.code(), pong.err());
    assertEquals("pong {}\n", pong.out());
    JsonNode reply = cli("--json", "command", "pinger", "ping", "n=1", "--wait", "10000").json();
    assertTrue(reply.get("replied").asBoolean(), reply.toString());
    assertEquals("pinger", reply.get("bot_id").asText());
    assertEquals("pong {\"n\":1}", reply.get("reply").get(0).asText());
    Run silent = cli("command", "pinger", "unheard", "--wait", "0");
    assertEquals(0, silent.code(), silent.err());
    assertEquals("pinger: sent unheard; no reply within 0 ms\n", silent.out());

    Run badWait = cli("command", "pinger", "ping", "--wait", "40000");
    assertEquals(Rehoboam.EXIT_FAILED, badWait.code());
    assertTrue(badWait.err().contains("wait_ms"), badWait.err());
    Run badArg = cli("command", "pinger", "ping", "no-equals-sign");
    assertEquals(Rehoboam.EXIT_USAGE, badArg.code());
    assertTrue(badArg.err().contains("NAME=VALUE"), badArg.err());
    service.stop("pinger");
    Run stopped = cli("command", "pinger", "ping");
    assertEquals(Rehoboam.EXIT_FAILED, stopped.code());
    assertTrue(stopped.err().contains("CONFLICT"), stopped.err());
  }
}
