package io.rehoboam.bot.process;

import static io.rehoboam.bot.process.WellBehavedBotIT.assertContains;
import static io.rehoboam.spi.event.BotState.RUNNING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.core.BotStatus;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A program that prints garbage, a 10 MiB line and a million lines as fast as it can. The reader
 * logs what it cannot accept, skips it and goes on; the test JVM runs with a 256 MiB heap, so
 * anything that kept the output in memory would fail it.
 */
class NoisyBotIT extends ProcessBotFixture {

  @Test
  void garbageAHugeLineAndAFloodAreLoggedSkippedAndSurvived() {
    String id = newBotId("noisy");
    register(id, onFailure(0), Map.of("command", python("noisy.py")));
    assertEquals(RUNNING, service.start(id).status());

    recorder.awaitLog(id, "status: garbage done");
    List<String> logs = recorder.logLines(id);
    assertContains(logs, "INFO this is not json");
    assertContains(logs, "WARN stdout line skipped: not valid JSON");
    assertContains(logs, "(line: {broken json)");
    assertContains(logs, "WARN stdout line skipped: type: unknown message type 'teleport'");
    assertContains(logs, "INFO [\"a\", \"list\"]");
    assertContains(logs, "WARN stdout line skipped: type: is required");
    assertContains(
        logs, "WARN stdout line skipped: opportunity: profit: must equal amount_out - amount_in");
    assertContains(logs, "WARN stdout line skipped: log: level: expected trace, debug");
    assertContains(logs, "INFO \uFFFD( invalid utf-8");

    recorder.awaitLog(id, "status: big line done");
    assertContains(
        recorder.logLines(id),
        "WARN stdout line skipped: 10485762 bytes is more than max_line_bytes (1048576)");

    recorder.awaitLog(id, "status: flood done");
    // A million lines in a second or two is far over the output budget: most of them are not
    // kept in memory (nor in the server log), and a summary says how many.
    recorder.awaitLog(id, "over the output budget");
    assertTrue(
        service.logs(id, 1000).stream().filter(l -> l.contains(" INFO flood line ")).count()
            < 200_000,
        "the flood was not all kept");

    BotStatus status = service.bot(id);
    assertEquals(RUNNING, status.status(), "still running after all that");
    assertEquals(0, status.restarts());
    assertEquals(0, status.opportunitiesFound(), "the invalid opportunity was not counted");
  }

  @Test
  void anOversizedLineOnStderrIsSkippedToo() {
    String id = newBotId("bigerr");
    register(
        id,
        onFailure(0),
        Map.of(
            "command",
            List.of(
                pythonExecutable(),
                "-c",
                "import sys,time\n"
                    + "sys.stderr.write('e' * 5000 + '\\n'); sys.stderr.write('after\\n');"
                    + " sys.stderr.flush()\n"
                    + "print('{\"type\":\"status\",\"message\":\"written\"}', flush=True)\n"
                    + "sys.stdin.read()\n"),
            "max_line_bytes",
            4096));
    service.start(id);
    recorder.awaitLog(id, "[stderr] after");
    assertContains(
        recorder.logLines(id), "WARN stderr line skipped: 5000 bytes is more than max_line_bytes");
  }
}
