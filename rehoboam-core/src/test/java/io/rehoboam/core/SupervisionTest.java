package io.rehoboam.core;

import static io.rehoboam.spi.event.BotState.BACKOFF;
import static io.rehoboam.spi.event.BotState.ERROR;
import static io.rehoboam.spi.event.BotState.RUNNING;
import static io.rehoboam.spi.event.BotState.STARTING;
import static io.rehoboam.spi.event.BotState.STOPPED;
import static io.rehoboam.spi.event.BotState.STOPPING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.core.testing.EventRecorder;
import io.rehoboam.core.testing.ManualScheduler;
import io.rehoboam.core.testing.MutableClock;
import io.rehoboam.core.testing.ScriptedBot;
import io.rehoboam.core.testing.ScriptedProvider;
import io.rehoboam.spi.Settings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Restart policy, backoff, start_seconds and heartbeats, with time driven by hand: the clock and
 * the scheduler move only when the test says so.
 */
class SupervisionTest {
  private final MutableClock clock = MutableClock.atEpoch();
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final ScriptedProvider provider = new ScriptedProvider();
  private final EventRecorder recorder = new EventRecorder();
  private ArbitrageService service;

  @BeforeEach
  void setUp() {
    service =
        ArbitrageService.builder()
            .env(Map.of())
            .discoverProviders(false)
            .provider(provider)
            .clock(clock)
            .scheduler(scheduler)
            .random(() -> 0.5) // jitter factor exactly 1
            .build();
    service.subscribe(recorder);
    service.initialize();
  }

  @AfterEach
  void tearDown() {
    service.close();
  }

  private static RestartPolicy policy(int maxRetries, Duration startSeconds, Duration heartbeat) {
    return new RestartPolicy(
        RestartPolicy.Mode.ON_FAILURE,
        maxRetries,
        Duration.ofSeconds(1),
        Duration.ofSeconds(5),
        2.0,
        0.2,
        startSeconds,
        heartbeat,
        Duration.ofSeconds(30),
        Duration.ofSeconds(10));
  }

  private void register(RestartPolicy policy) {
    service.register(new BotRegistration("b", "scripted", "B", false, policy, Settings.empty()));
  }

  /** The one pending backoff timer's delay (the only timer left while in backoff). */
  private Duration backoffDelay() {
    List<Duration> pending = scheduler.pendingDelays();
    assertEquals(1, pending.size(), "exactly one timer (the backoff) is pending: " + pending);
    return pending.get(0);
  }

  @Test
  void backoffDelaysGrowAndCapThenTheRetryLimitLeadsToError() {
    register(policy(5, Duration.ofSeconds(5), Duration.ZERO));
    provider.script =
        b -> {
          b.onStart = ScriptedBot.Action.THROW;
          b.failureMessage = "rpc down #" + b.number;
        };
    service.startAsync("b");
    List<Long> delaysMs = new java.util.ArrayList<>();
    for (int attempt = 1; attempt <= 5; attempt++) {
      recorder.awaitState("b", BACKOFF, attempt);
      Duration d = backoffDelay();
      delaysMs.add(d.toMillis());
      scheduler.advance(d);
    }
    assertEquals(List.of(1000L, 2000L, 4000L, 5000L, 5000L), delaysMs);

    recorder.awaitState("b", ERROR);
    BotStatus status = service.bot("b");
    assertEquals(ERROR, status.status());
    assertEquals(5, status.restarts());
    assertTrue(
        status.errorMessage().contains("gave up after 6 consecutive failures"),
        status.errorMessage());
    assertTrue(status.errorMessage().contains("rpc down #6"), status.errorMessage());
    assertTrue(scheduler.pendingDelays().isEmpty(), "no timer left after giving up");
  }

  @Test
  void jitterSpreadsTheDelayWithinItsBounds() {
    RestartPolicy p = policy(5, Duration.ZERO, Duration.ZERO);
    assertEquals(Duration.ofMillis(800), p.backoff(1, 0.0));
    assertEquals(Duration.ofMillis(1000), p.backoff(1, 0.5));
    assertEquals(Duration.ofMillis(4000), p.backoff(3, 0.5));
    assertEquals(Duration.ofSeconds(5), p.backoff(10, 0.999), "never above the cap");
  }

  @Test
  void aStableRunResetsTheBackoff() {
    register(policy(10, Duration.ofSeconds(5), Duration.ZERO));
    provider.script = b -> b.onStart = b.number <= 2 ? ScriptedBot.Action.THROW : b.onStart;
    service.startAsync("b");
    recorder.awaitState("b", BACKOFF, 1);
    scheduler.advance(backoffDelay()); // 1 s
    recorder.awaitState("b", BACKOFF, 2);
    assertEquals(Duration.ofSeconds(2), backoffDelay());
    scheduler.advance(Duration.ofSeconds(2));
    recorder.awaitState("b", RUNNING, 1);

    // Past start_seconds and past the failure window: the run counts as started and the earlier
    // failures as over.
    scheduler.advance(Duration.ofMinutes(11));
    provider.last().context.reportFailure("crashed later", null);
    recorder.awaitState("b", BACKOFF, 3);
    assertEquals(Duration.ofSeconds(1), backoffDelay(), "back to the initial delay");
  }

  @Test
  void aBotThatCrashesAfterEachStartSecondsEndsInErrorWithAGrowingBackoff() {
    register(policy(2, Duration.ofSeconds(5), Duration.ZERO));
    service.startAsync("b");
    List<Duration> delays = new java.util.ArrayList<>();
    for (int crash = 1; crash <= 2; crash++) {
      recorder.awaitState("b", RUNNING, crash);
      scheduler.advance(Duration.ofSeconds(6)); // each run lasts past start_seconds
      provider.last().context.reportFailure("crash #" + crash, null);
      recorder.awaitState("b", BACKOFF, crash);
      delays.add(backoffDelay());
      scheduler.advance(backoffDelay());
    }
    assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2)), delays, "not flat");
    recorder.awaitState("b", RUNNING, 3);
    scheduler.advance(Duration.ofSeconds(6));
    provider.last().context.reportFailure("crash #3", null);

    recorder.awaitState("b", ERROR);
    BotStatus status = service.bot("b");
    assertEquals(ERROR, status.status());
    assertTrue(
        status.errorMessage().startsWith("crash loop: 3 failures within 600 s"),
        status.errorMessage());
    assertTrue(status.errorMessage().contains("crash #3"), status.errorMessage());
    assertTrue(scheduler.pendingDelays().isEmpty(), "no restart pending");
  }

  @Test
  void aBotBackFromBackoffRunsWithoutItsOldErrorMessage() {
    register(policy(5, Duration.ofSeconds(5), Duration.ZERO));
    provider.script = b -> b.onStart = b.number == 1 ? ScriptedBot.Action.THROW : b.onStart;
    service.startAsync("b");
    recorder.awaitState("b", BACKOFF, 1);
    assertTrue(service.bot("b").errorMessage() != null, "backoff says why");
    scheduler.advance(backoffDelay());
    recorder.awaitState("b", RUNNING, 1);
    BotStatus running = service.bot("b");
    assertEquals(RUNNING, running.status());
    assertEquals(null, running.errorMessage());
  }

  @Test
  void aBotThatFailsInsideStartSecondsCountsAsAFailedStart() {
    register(policy(2, Duration.ofSeconds(5), Duration.ZERO));
    service.startAsync("b");
    for (int run = 1; run <= 3; run++) {
      recorder.awaitState("b", RUNNING, run);
      scheduler.advance(Duration.ofSeconds(1)); // up, but not for start_seconds
      provider.last().context.reportFailure("exited with code 1", null);
      if (run < 3) {
        recorder.awaitState("b", BACKOFF, run);
        assertEquals(Duration.ofSeconds(run == 1 ? 1 : 2), backoffDelay());
        scheduler.advance(backoffDelay());
      }
    }
    recorder.awaitState("b", ERROR);
    assertTrue(service.bot("b").errorMessage().contains("gave up after 3 consecutive failures"));
  }

  @Test
  void aBotThatStopsHeartbeatingIsRestarted() {
    register(policy(5, Duration.ZERO, Duration.ofSeconds(10)));
    service.startAsync("b");
    recorder.awaitState("b", RUNNING);
    ScriptedBot first = provider.last();

    scheduler.advance(Duration.ofSeconds(6));
    first.context.heartbeat();
    scheduler.advance(Duration.ofSeconds(6)); // 6 s since the beat: still fine
    assertEquals(RUNNING, service.bot("b").status());

    // Exactly to the check's due time (10 s of silence): advancing further would race the worker
    // that
    // arms the backoff timer while the scheduler is still moving.
    scheduler.advance(Duration.ofSeconds(4));
    recorder.awaitState("b", BACKOFF);
    assertTrue(service.bot("b").errorMessage().contains("no heartbeat for 10 s"));
    assertEquals(1, first.stops.get(), "the silent instance was stopped");
    scheduler.advance(backoffDelay());
    recorder.awaitState("b", RUNNING, 2);
    assertEquals(2, provider.instances.size());
    assertEquals(1, service.bot("b").restarts());
  }

  @Test
  void startThatHangsPastTheStartTimeoutIsAFailedStart() {
    RestartPolicy p =
        new RestartPolicy(
            RestartPolicy.Mode.NEVER,
            0,
            Duration.ofSeconds(1),
            Duration.ofSeconds(1),
            1,
            0,
            Duration.ZERO,
            Duration.ZERO,
            Duration.ofSeconds(3),
            Duration.ofSeconds(1));
    register(p);
    provider.script = b -> b.onStart = ScriptedBot.Action.BLOCK;
    service.startAsync("b");
    recorder.awaitState("b", STARTING);
    await(provider);
    scheduler.advance(Duration.ofSeconds(3));
    recorder.awaitState("b", ERROR);
    assertTrue(service.bot("b").errorMessage().contains("start did not finish within 3 s"));
  }

  @Test
  void policyAlwaysRestartsACompletedBot() {
    register(policy(5, Duration.ZERO, Duration.ZERO).withMode(RestartPolicy.Mode.ALWAYS));
    service.startAsync("b");
    recorder.awaitState("b", RUNNING);
    provider.last().context.reportCompleted("batch done");
    recorder.awaitState("b", BACKOFF);
    scheduler.advance(backoffDelay());
    recorder.awaitState("b", RUNNING, 2);
  }

  @Test
  void stopDuringBackoffCancelsTheRestart() {
    register(policy(5, Duration.ZERO, Duration.ZERO));
    provider.script = b -> b.onStart = ScriptedBot.Action.THROW;
    service.startAsync("b");
    recorder.awaitState("b", BACKOFF);
    assertEquals(STOPPED, service.stop("b").status());
    recorder.awaitState("b", STOPPED);
    assertTrue(scheduler.pendingDelays().isEmpty(), "the restart timer is cancelled");
    assertEquals(List.of(STARTING, BACKOFF, STOPPED), recorder.transitions("b"));
  }

  @Test
  void supervisionRunsWhetherMonitoringIsOnOrOff() {
    register(policy(5, Duration.ZERO, Duration.ZERO));
    service.startMonitoring();
    service.stopMonitoring();
    service.startAsync("b");
    recorder.awaitState("b", RUNNING);
    provider.last().context.reportFailure("boom", null);
    recorder.awaitState("b", STOPPING);
    recorder.awaitState("b", BACKOFF);
  }

  private static void await(ScriptedProvider provider) {
    try {
      provider.awaitInstance(1).startEntered.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
