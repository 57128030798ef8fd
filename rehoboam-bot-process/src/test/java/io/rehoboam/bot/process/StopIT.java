package io.rehoboam.bot.process;

import static io.rehoboam.bot.process.WellBehavedBotIT.assertContains;
import static io.rehoboam.spi.event.BotState.ERROR;
import static io.rehoboam.spi.event.BotState.RUNNING;
import static io.rehoboam.spi.event.BotState.STOPPED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.bot.process.testing.Processes;
import io.rehoboam.core.BotStatus;
import io.rehoboam.core.RestartPolicy;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Stopping: the stop command, the signal to the group, SIGKILL, and nothing left behind. */
class StopIT extends ProcessBotFixture {
  private static final Map<String, Object> QUICK_STOP =
      Map.of("stop_grace", "200ms", "stop_timeout", "500ms");

  private static Map<String, Object> withQuickStop(List<String> command) {
    Map<String, Object> settings = new java.util.HashMap<>(QUICK_STOP);
    settings.put("command", command);
    return settings;
  }

  @Test
  void aProgramThatIgnoresTheStopCommandAndSigtermIsKilled() {
    String id = newBotId("stubborn");
    register(id, onFailure(3), withQuickStop(python("ignores_sigterm.py")));
    service.start(id);
    recorder.awaitLog(id, "status: stubborn"); // its SIGTERM handler is installed
    BotStatus stopped = service.stop(id);
    assertEquals(STOPPED, stopped.status());
    assertNull(stopped.errorMessage());
    List<String> logs = service.logs(id, 100);
    assertContains(logs, "after the stop command; sending SIGTERM to its process group");
    assertContains(logs, "after the stop command and SIGTERM; sending SIGKILL");
    assertEquals(List.of(), Processes.describeBot(id));
  }

  @Test
  void theStopSignalIsConfigurable() {
    String id = newBotId("sigint");
    Map<String, Object> settings = withQuickStop(python("ignores_sigterm.py", "dies-on-int"));
    settings.put("stop_signal", "SIGINT");
    register(id, onFailure(3), settings);
    service.start(id);
    recorder.awaitLog(id, "status: stubborn");
    assertEquals(STOPPED, service.stop(id).status());
    List<String> logs = service.logs(id, 100);
    assertContains(logs, "sending SIGINT to its process group");
    assertTrue(logs.stream().noneMatch(l -> l.contains("SIGKILL")), "SIGINT was enough: " + logs);
    assertEquals(List.of(), Processes.describeBot(id));
  }

  @Test
  void grandchildrenAreStoppedWithTheProgramIncludingOnesThatLeftTheGroup() throws Exception {
    String id = newBotId("family");
    register(id, onFailure(3), withQuickStop(python("spawns_grandchild.py")));
    long pid = service.start(id).processId();
    recorder.awaitLog(id, "grandchildren started");
    List<Long> family = Processes.awaitBot(id, 3);
    assertEquals(
        3, family.size(), "the bot, its child and the daemon: " + Processes.describeBot(id));
    long escaped = family.stream().filter(p -> sessionOf(p) != pid).count();
    assertEquals(1, escaped, "the daemon runs in a session of its own");

    assertEquals(STOPPED, service.stop(id).status());
    assertEquals(List.of(), Processes.describeBot(id));
  }

  @Test
  void withoutSetsidTheMarkerStillFindsEveryProcessOfTheRun() {
    String id = newBotId("nosetsid");
    Map<String, Object> settings = withQuickStop(python("spawns_grandchild.py"));
    settings.put("use_setsid", false);
    register(id, onFailure(3), settings);
    long pid = service.start(id).processId();
    recorder.awaitLog(id, "grandchildren started");
    assertTrue(sessionOf(pid) != pid, "the program shares the JVM's session");
    assertEquals(3, Processes.awaitBot(id, 3).size(), Processes.describeBot(id).toString());
    assertEquals(STOPPED, service.stop(id).status());
    assertEquals(List.of(), Processes.describeBot(id));
  }

  @Test
  void whatAnExitedProgramLeftBehindIsStoppedBeforeTheExitIsReported() {
    String id = newBotId("orphans");
    register(
        id,
        policy(RestartPolicy.Mode.NEVER, 0, Duration.ofSeconds(1), Duration.ZERO, Duration.ZERO),
        withQuickStop(python("spawns_grandchild.py", "exit")));
    service.startAsync(id);
    recorder.awaitState(id, ERROR);
    assertEquals(List.of(), Processes.describeBot(id), "nothing of the run survives its exit");
    assertTrue(
        service.bot(id).errorMessage().contains("exited with code 4"),
        service.bot(id).errorMessage());
    assertContains(service.logs(id, 100), "exited but left processes running; stopping them");
  }

  @Test
  void closingTheServiceStopsEveryProgram() {
    List<String> ids = new ArrayList<>();
    for (String script : List.of("well_behaved.py", "ignores_sigterm.py", "spawns_grandchild.py")) {
      String id = newBotId("close");
      register(id, onFailure(3), withQuickStop(python(script)));
      assertEquals(RUNNING, service.start(id).status());
      ids.add(id);
    }
    recorder.awaitLog(ids.get(1), "status: stubborn");
    recorder.awaitLog(ids.get(2), "grandchildren started");
    service.close();
    for (String id : ids) {
      assertEquals(List.of(), Processes.describeBot(id), "processes of " + id);
    }
  }

  @Test
  void commandsToAProgramThatDoesNotReadStdinAreRefusedWithoutBlocking() {
    String id = newBotId("deaf");
    register(id, onFailure(3), withQuickStop(python("ignores_sigterm.py")));
    service.start(id);
    Map<String, Object> payload = Map.of("blob", "z".repeat(4096));
    RehoboamException refused = null;
    for (int i = 0; i < 2000 && refused == null; i++) {
      try {
        service.sendCommand(id, "fill", payload);
      } catch (RehoboamException e) {
        refused = e;
      }
    }
    assertTrue(refused != null, "the queue is bounded");
    assertEquals(ErrorCode.CONFLICT, refused.code());
    assertTrue(refused.getMessage().contains("not reading its stdin"), refused.getMessage());
    assertEquals(STOPPED, service.stop(id).status());
  }

  @Test
  void aCommandForAStoppedBotOrWithAHugePayloadIsRefused() {
    String id = newBotId("refuse");
    register(
        id, onFailure(3), Map.of("command", python("well_behaved.py"), "max_line_bytes", 1024));
    service.start(id);
    RehoboamException tooBig =
        assertThrows(
            RehoboamException.class,
            () -> service.sendCommand(id, "big", Map.of("blob", "z".repeat(2000))));
    assertEquals(ErrorCode.INVALID_ARGUMENT, tooBig.code());
    service.stop(id);
    RehoboamException stopped =
        assertThrows(RehoboamException.class, () -> service.sendCommand(id, "late", Map.of()));
    assertEquals(ErrorCode.CONFLICT, stopped.code());
  }

  @Test
  void whenTheServiceJvmIsKilledTheProgramSeesStdinCloseAndLeaves() throws Exception {
    String id = newBotId("orphan");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
    command.add(OrphanedService.class.getName());
    command.add(id);
    command.addAll(python("well_behaved.py"));
    Process jvm =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try {
      BufferedReader out =
          new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8));
      String line = out.readLine();
      assertTrue(line != null && line.startsWith("RUNNING "), "the service ran the bot: " + line);
      long botPid = Long.parseLong(line.substring("RUNNING ".length()));
      assertEquals(List.of(botPid), Processes.ofBot(id), Processes.describeBot(id).toString());

      jvm.destroyForcibly(); // SIGKILL: no close(), no shutdown hook
      assertTrue(jvm.waitFor(10, TimeUnit.SECONDS));
      ProcessHandle bot = ProcessHandle.of(botPid).orElse(null);
      if (bot != null) {
        bot.onExit().get(10, TimeUnit.SECONDS);
      }
      assertEquals(List.of(), Processes.describeBot(id), "the program left when its stdin closed");
    } finally {
      jvm.destroyForcibly();
    }
  }

  private static long sessionOf(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(fields[3]);
    } catch (java.io.IOException e) {
      throw new AssertionError("process " + pid + " vanished", e);
    }
  }
}
