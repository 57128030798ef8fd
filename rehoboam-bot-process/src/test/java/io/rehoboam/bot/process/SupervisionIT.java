package io.rehoboam.bot.process;

import static io.rehoboam.spi.event.BotState.BACKOFF;
import static io.rehoboam.spi.event.BotState.ERROR;
import static io.rehoboam.spi.event.BotState.RUNNING;
import static io.rehoboam.spi.event.BotState.STARTING;
import static io.rehoboam.spi.event.BotState.STOPPED;
import static io.rehoboam.spi.event.BotState.STOPPING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.bot.process.testing.Processes;
import io.rehoboam.core.BotStatus;
import io.rehoboam.core.RestartPolicy;
import io.rehoboam.spi.event.BotStatusEvent;
import io.rehoboam.spi.event.Event;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Exits, crashes, failed starts and silence, reported to the engine, which restarts under its
 * policy. The engine's clock and timers are driven by the test, so backoff delays are exact; the
 * programs run in real time.
 */
class SupervisionIT extends ProcessBotFixture {
  @Override
  protected boolean manualTime() {
    return true;
  }

  /** The one supervision timer pending while in backoff: the restart delay. */
  private Duration backoffDelay() {
    List<Duration> pending = scheduler.pendingDelays();
    assertEquals(1, pending.size(), "only the backoff timer is pending: " + pending);
    return pending.get(0);
  }

  private static RestartPolicy onFailure(int maxRetries, Duration startSeconds, Duration beat) {
    return policy(
        RestartPolicy.Mode.ON_FAILURE, maxRetries, Duration.ofSeconds(1), startSeconds, beat);
  }

  /**
   * Waits until the engine has armed the timers of a run it just announced as running. The engine
   * publishes RUNNING first and arms start_seconds and heartbeat timers right after, under the
   * runner's lock; reading the status takes that lock, so it returns once the timers exist.
   */
  private void awaitTimersArmed(String id) {
    service.bot(id);
  }

  /** The pids the bot reported starting, in order ("started process <pid>: ..."). */
  private Set<Long> startedPids(String id) {
    Set<Long> pids = new LinkedHashSet<>();
    for (String line : recorder.logLines(id)) {
      int at = line.indexOf("started process ");
      if (at >= 0) {
        String rest = line.substring(at + "started process ".length());
        pids.add(Long.parseLong(rest.substring(0, rest.indexOf(':'))));
      }
    }
    return pids;
  }

  @Test
  void aProgramThatCrashesIsRestartedWithGrowingBackoffUntilTheRetryLimit() {
    String id = newBotId("crash");
    register(
        id,
        onFailure(2, Duration.ofSeconds(5), Duration.ZERO),
        Map.of("command", python("crash_after.py", "0.3")));
    assertEquals(RUNNING, service.start(id).status());

    List<Duration> delays = new java.util.ArrayList<>();
    for (int failure = 1; failure <= 2; failure++) {
      BotStatusEvent backoff = recorder.awaitState(id, BACKOFF, failure);
      assertTrue(backoff.reason().contains("exited with code 3"), backoff.reason());
      assertTrue(backoff.reason().contains("fatal: lost connection to the node"), backoff.reason());
      assertNull(service.bot(id).processId(), "no process while waiting to restart");
      Duration delay = backoffDelay();
      delays.add(delay);
      scheduler.advance(delay);
    }
    assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2)), delays);

    recorder.awaitState(id, ERROR);
    BotStatus status = service.bot(id);
    assertEquals(ERROR, status.status());
    assertEquals(2, status.restarts());
    assertNotNull(status.lastActivity(), "heartbeat lines update last_activity");
    assertTrue(
        status.errorMessage().contains("gave up after 3 consecutive failures"),
        status.errorMessage());
    assertTrue(status.errorMessage().contains("exited with code 3"), status.errorMessage());
    assertTrue(
        status.errorMessage().contains("Traceback (most recent call last): | fatal: lost"),
        "the last stderr lines: " + status.errorMessage());
    assertEquals(3, startedPids(id).size(), "each run is a new process: " + startedPids(id));
    assertEquals(
        List.of(
            STARTING, RUNNING, STOPPING, BACKOFF, STARTING, RUNNING, STOPPING, BACKOFF, STARTING,
            RUNNING, STOPPING, ERROR),
        recorder.transitions(id));
    assertTrue(scheduler.pendingDelays().isEmpty(), "nothing left to restart");
    assertEquals(List.of(), Processes.describeBot(id));
  }

  @Test
  void aRunThatOutlivesStartSecondsResetsTheBackoff() {
    String id = newBotId("stable");
    register(
        id,
        onFailure(1, Duration.ofSeconds(5), Duration.ZERO),
        Map.of("command", python("crash_after.py", "1.0")));
    service.startAsync(id);
    for (int run = 1; run <= 3; run++) {
      recorder.awaitState(id, RUNNING, run);
      awaitTimersArmed(id);
      // The engine sees it up past start_seconds and past the failure window: a run that lasted,
      // not a crash loop (restart.failure_window, 10 minutes by default).
      scheduler.advance(Duration.ofMinutes(11));
      recorder.awaitState(id, BACKOFF, run);
      assertEquals(Duration.ofSeconds(1), backoffDelay(), "run " + run + " counted as started");
      scheduler.advance(Duration.ofSeconds(1));
    }
    assertEquals(3, service.bot(id).restarts());
    assertTrue(!recorder.transitions(id).contains(ERROR), "max_retries 1 never reached");
    service.stop(id);
  }

  @Test
  void aProgramThatNeverStartsEndsInErrorWithItsExitCodeAndStderr() {
    String id = newBotId("never");
    register(
        id,
        onFailure(1, Duration.ofSeconds(5), Duration.ZERO),
        Map.of("command", python("never_starts.py")));
    service.startAsync(id);
    recorder.awaitState(id, BACKOFF, 1);
    scheduler.advance(backoffDelay());
    recorder.awaitState(id, ERROR);
    String error = service.bot(id).errorMessage();
    assertTrue(error.contains("gave up after 2 consecutive failures"), error);
    assertTrue(error.contains("exited with code 2"), error);
    assertTrue(error.contains("config error: RPC_URL is not set"), error);
  }

  @Test
  void aMissingProgramOrDirectoryIsAFailedStartNamingIt() {
    String missing = newBotId("missing");
    register(
        missing,
        policy(RestartPolicy.Mode.NEVER, 0, Duration.ofSeconds(1), Duration.ZERO, Duration.ZERO),
        Map.of("command", List.of("/nonexistent/trader", "--fast")));
    BotStatus status = service.start(missing);
    assertEquals(ERROR, status.status());
    assertTrue(
        status.errorMessage().contains("program '/nonexistent/trader' not found"),
        status.errorMessage());

    String noDir = newBotId("nodir");
    register(
        noDir,
        policy(RestartPolicy.Mode.NEVER, 0, Duration.ofSeconds(1), Duration.ZERO, Duration.ZERO),
        Map.of("command", python("well_behaved.py"), "working_dir", "/nonexistent/dir"));
    status = service.start(noDir);
    assertEquals(ERROR, status.status());
    assertTrue(status.errorMessage().contains("working_dir"), status.errorMessage());

    // A wrong setting is refused at registration (the provider's settings schema), before
    // anything starts.
    String badSetting = newBotId("badsetting");
    io.rehoboam.spi.RehoboamException refused =
        org.junit.jupiter.api.Assertions.assertThrows(
            io.rehoboam.spi.RehoboamException.class,
            () ->
                register(
                    badSetting,
                    policy(
                        RestartPolicy.Mode.NEVER,
                        0,
                        Duration.ofSeconds(1),
                        Duration.ZERO,
                        Duration.ZERO),
                    Map.of("command", python("well_behaved.py"), "stop_signal", "BOOM")));
    assertEquals(io.rehoboam.spi.ErrorCode.INVALID_CONFIG, refused.code());
    assertTrue(
        refused.getMessage().startsWith("bot '" + badSetting + "': stop_signal: expected one of"),
        refused.getMessage());
    assertTrue(service.bots().stream().noneMatch(b -> b.botId().equals(badSetting)));
  }

  @Test
  void aProgramThatExitsZeroOnPurposeIsNotRestartedUnderOnFailure() {
    String id = newBotId("done");
    register(
        id,
        onFailure(3, Duration.ofSeconds(5), Duration.ZERO),
        Map.of("command", python("exits_zero.py")));
    service.startAsync(id);
    BotStatusEvent stopped = recorder.awaitState(id, STOPPED);
    assertTrue(stopped.reason().contains("completed: exited with code 0"), stopped.reason());
    BotStatus status = service.bot(id);
    assertEquals(STOPPED, status.status());
    assertEquals(0, status.restarts());
    assertNull(status.errorMessage());
    assertEquals(List.of(STARTING, RUNNING, STOPPING, STOPPED), recorder.transitions(id));
    assertTrue(scheduler.pendingDelays().isEmpty(), "no restart pending");
  }

  @Test
  void expectedExitCodesDecideWhatCountsAsACompletion() {
    String id = newBotId("code3");
    register(
        id,
        onFailure(3, Duration.ofSeconds(5), Duration.ZERO),
        Map.of("command", python("exits_zero.py", "3"), "expected_exit_codes", List.of(0, 3)));
    service.startAsync(id);
    BotStatusEvent stopped = recorder.awaitState(id, STOPPED);
    assertTrue(stopped.reason().contains("exited with code 3"), stopped.reason());

    String strict = newBotId("code0");
    register(
        strict,
        onFailure(0, Duration.ofSeconds(5), Duration.ZERO),
        Map.of("command", python("exits_zero.py", "0"), "expected_exit_codes", "3"));
    service.startAsync(strict);
    recorder.awaitState(strict, ERROR);
    assertTrue(
        service.bot(strict).errorMessage().contains("exited with code 0"),
        service.bot(strict).errorMessage());
  }

  @Test
  void aProgramThatStopsHeartbeatingIsStoppedAndRestarted() {
    String id = newBotId("silent");
    register(
        id,
        onFailure(3, Duration.ofSeconds(5), Duration.ofSeconds(2)),
        Map.of("command", python("silent.py")));
    long firstPid = service.start(id).processId();
    awaitTimersArmed(id);
    scheduler.advance(Duration.ofSeconds(2)); // two seconds of engine time without a line
    BotStatusEvent backoff = recorder.awaitState(id, BACKOFF);
    assertTrue(backoff.reason().contains("no heartbeat for 2 s"), backoff.reason());
    assertEquals(List.of(), Processes.describeBot(id), "the silent program was stopped");
    scheduler.advance(backoffDelay());
    recorder.awaitState(id, RUNNING, 2);
    long secondPid = service.bot(id).processId();
    assertTrue(secondPid != firstPid, "restarted as a new process");
    Event restarted =
        recorder.await(
            e ->
                e instanceof BotStatusEvent s
                    && s.botId().equals(id)
                    && s.to() == STARTING
                    && s.reason().startsWith("restart 1"));
    assertNotNull(restarted);
  }
}
