package io.rehoboam.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The web dashboard in real Chromium (Debian's {@code /usr/bin/chromium}, driven by
 * playwright-core) against the standalone server started from {@code target/rehoboam-server.jar} as
 * a separate process. Each test runs one scenario of {@code rehoboam-dashboard/browser-tests} with
 * Node's test runner and passes when the runner reports its tests passed and none failed; the
 * scenario's screenshots land in {@code target/dashboard-screenshots}.
 */
class DashboardBrowserIT {
  private static final Pattern PASS = Pattern.compile("(?m)^ℹ pass (\\d+)$");
  private static final Pattern FAIL = Pattern.compile("(?m)^ℹ fail (\\d+)$");
  private static final long TIMEOUT_MINUTES = 6;

  @Test
  void thePageLoadsWithoutConsoleErrorsAndShowsTheThreeDefaultBots() throws Exception {
    run("page-loads.test.mjs");
  }

  @Test
  void stoppingABotFromThePageShowsStoppedAndTheRestApiAgrees() throws Exception {
    run("stop-bot.test.mjs");
  }

  @Test
  void opportunitiesAndTheProfitChartUpdateLiveAndExecuteShowsItsResult() throws Exception {
    run("live-updates.test.mjs");
  }

  @Test
  void withAReadKeyTheControlsAreDisabledAndAForcedRequestIsRefused() throws Exception {
    run("read-only.test.mjs");
  }

  @Test
  void theKillSwitchTrippedFromThePageStopsExecutionsAndShowsEverywhereUntilReset()
      throws Exception {
    run("kill-switch.test.mjs");
  }

  @Test
  void aServerRestartShowsTheBannerAndThePageMissesNoExecution() throws Exception {
    run("reconnect.test.mjs");
  }

  @Test
  void theOpportunitiesTableShowsSymbolsVenuesChainsSizeProfitAgeAndExpiryAsTheApiServes()
      throws Exception {
    run("opportunities-table.test.mjs");
  }

  @Test
  void aBotsPageShowsItsMaskedSettingsLogTailExecutionsAndPnl() throws Exception {
    run("bot-page.test.mjs");
  }

  @Test
  void theSystemPageListsTheAlertsTheServerRaisedAndTheHealthProblems() throws Exception {
    run("system.test.mjs");
  }

  @Test
  void theExecutionHistoryIsFilteredByTheServerAndPagedByItsCursor() throws Exception {
    run("executions-history.test.mjs");
  }

  @Test
  void theAnalysesPageShowsTheLatestAnalysesAndANewOneLiveAndTheChartKeepsToWholeSeconds()
      throws Exception {
    run("analyses.test.mjs");
  }

  private static void run(String scenario) throws IOException, InterruptedException {
    Path root = Path.of("").toAbsolutePath().getParent();
    Path dashboard = root.resolve("rehoboam-dashboard");
    Path jar = root.resolve("examples/target/rehoboam-server.jar");
    assertTrue(Files.exists(jar), "the server jar is built at package: " + jar);
    Path log = Files.createTempFile("dashboard-" + scenario, ".log");
    ProcessBuilder builder =
        new ProcessBuilder("node", "--test", "--test-reporter=spec", "browser-tests/" + scenario)
            .directory(dashboard.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().put("REHOBOAM_SERVER_JAR", jar.toString());
    builder
        .environment()
        .put(
            "REHOBOAM_SCREENSHOTS",
            root.resolve("examples/target/dashboard-screenshots").toString());
    builder
        .environment()
        .put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
    Process node = builder.start();
    boolean finished = node.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES);
    if (!finished) {
      node.descendants().forEach(ProcessHandle::destroyForcibly);
      node.destroyForcibly();
    }
    String output = Files.readString(log, StandardCharsets.UTF_8);
    System.out.println(output);
    assertTrue(
        finished, scenario + " did not finish within " + TIMEOUT_MINUTES + " min:\n" + output);
    assertEquals(0, node.exitValue(), scenario + " failed:\n" + output);
    assertEquals(List.of(0), counts(FAIL, output), output);
    List<Integer> passed = counts(PASS, output);
    assertEquals(1, passed.size(), output);
    assertTrue(passed.get(0) >= 1, "no test ran:\n" + output);
  }

  private static List<Integer> counts(Pattern pattern, String output) {
    Matcher m = pattern.matcher(output);
    List<Integer> found = new java.util.ArrayList<>();
    while (m.find()) {
      found.add(Integer.parseInt(m.group(1)));
    }
    return found;
  }
}
