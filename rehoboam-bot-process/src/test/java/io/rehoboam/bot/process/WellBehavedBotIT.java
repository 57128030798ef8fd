package io.rehoboam.bot.process;

import static io.rehoboam.spi.event.BotState.RUNNING;
import static io.rehoboam.spi.event.BotState.STARTING;
import static io.rehoboam.spi.event.BotState.STOPPED;
import static io.rehoboam.spi.event.BotState.STOPPING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.bot.process.testing.Processes;
import io.rehoboam.core.BotStatus;
import io.rehoboam.spi.BotHealth;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.event.ExecutionEvent;
import io.rehoboam.spi.event.OpportunityFoundEvent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A program that speaks the whole protocol, under a real service, with real processes. */
class WellBehavedBotIT extends ProcessBotFixture {

  @Test
  void theProcessTypeIsFoundThroughServiceLoader() {
    assertTrue(service.botTypes().contains("process"), service.botTypes().toString());
  }

  @Test
  void runsSpeaksTheProtocolTakesCommandsAndLeavesOnTheStopCommand() throws Exception {
    String id = newBotId("good");
    register(id, onFailure(3), Map.of("command", python("well_behaved.py")));

    BotStatus running = service.start(id);
    assertEquals(RUNNING, running.status());
    long pid = running.processId();
    assertEquals(pythonExecutable() + " " + script("well_behaved.py"), running.scriptPath());
    assertNotNull(running.startTime());

    OpportunityFoundEvent found =
        (OpportunityFoundEvent)
            recorder.await(e -> e instanceof OpportunityFoundEvent o && o.botId().equals(id));
    // Python runs by now (setsid has exec'ed it): its /proc entry shows the final environment.
    assertEquals(id, Processes.env(pid, "REHOBOAM_BOT_ID"), "the real pid, with the bot marker");
    assertEquals(pid, processGroup(pid), "the program leads its own process group");
    assertEquals("opp-1", found.opportunity().id());
    assertEquals(id, found.opportunity().sourceBot());
    assertEquals(BigInteger.valueOf(400), found.opportunity().netProfit());
    ExecutionEvent executed =
        (ExecutionEvent) recorder.await(e -> e instanceof ExecutionEvent x && x.botId().equals(id));
    assertEquals(BigInteger.valueOf(380), executed.execution().realizedProfit());
    recorder.awaitLog(id, "status: scanning");

    BotStatus status = service.bot(id);
    assertEquals(1, status.opportunitiesFound());
    assertEquals(0, new BigDecimal("1.25").compareTo(status.totalProfit()), "total profit");
    assertNotNull(status.lastActivity());
    assertEquals(new BotHealth(BotHealth.Status.UP, "scanning"), status.health());

    List<String> logs = service.logs(id, 1000);
    assertContains(logs, "INFO plain text from a well-behaved bot");
    assertContains(logs, "INFO [stderr] a line on stderr");
    assertContains(logs, "WARN a warning from the bot");
    assertContains(logs, "INFO status: warming up");

    service.sendCommand(id, "echo", Map.of("x", 1));
    recorder.awaitLog(id, "got command echo {'x': 1}");

    BotStatus stopped = service.stop(id);
    assertEquals(STOPPED, stopped.status());
    recorder.awaitState(id, STOPPED); // events reach subscribers on their own thread
    assertEquals(List.of(STARTING, RUNNING, STOPPING, STOPPED), recorder.transitions(id));
    List<String> after = service.logs(id, 1000);
    assertContains(after, "[stderr] stop command received; leaving");
    assertTrue(
        after.stream().noneMatch(l -> l.contains("sending SIG")),
        "it left on the stop command, no signal was needed: " + after);
    assertEquals(List.of(), Processes.describeBot(id));

    RehoboamException refused =
        assertThrows(RehoboamException.class, () -> service.sendCommand(id, "echo", Map.of()));
    assertEquals(ErrorCode.CONFLICT, refused.code());
  }

  @Test
  void restartsWithANewProcessWhenStartedAgain() {
    String id = newBotId("again");
    register(id, onFailure(3), Map.of("command", python("well_behaved.py")));
    long first = service.start(id).processId();
    service.stop(id);
    BotStatus second = service.start(id);
    assertEquals(RUNNING, second.status());
    assertTrue(second.processId() != first, "a new process");
    assertEquals(
        List.of(second.processId()), Processes.ofBot(id), Processes.describeBot(id).toString());
  }

  private static long processGroup(long pid) throws Exception {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    // pid (comm) state ppid pgrp ...; comm may hold spaces, so count from the last ')'.
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(fields[2]);
  }

  static void assertContains(List<String> logs, String text) {
    assertTrue(logs.stream().anyMatch(l -> l.contains(text)), "'" + text + "' in " + logs);
  }
}
