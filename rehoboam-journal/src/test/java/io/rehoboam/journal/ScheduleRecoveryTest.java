package io.rehoboam.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.core.ArbitrageService;
import io.rehoboam.core.BotRegistration;
import io.rehoboam.core.RestartPolicy;
import io.rehoboam.core.schedule.Schedule;
import io.rehoboam.core.testing.EventRecorder;
import io.rehoboam.core.testing.ManualScheduler;
import io.rehoboam.core.testing.MutableClock;
import io.rehoboam.spi.Settings;
import io.rehoboam.spi.event.BotState;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A scheduled bot across restarts: the journal keeps its registration with the schedule and when
 * its desired state was set, so a restart inside a window runs the bot unless an operator stopped
 * it since the window opened.
 */
class ScheduleRecoveryTest {
  /** Monday 7 December 2026, 06:00 London (= UTC). */
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T06:00:00Z"));

  private final ManualScheduler scheduler = new ManualScheduler(clock);
  @TempDir Path dir;
  private ArbitrageService service;
  private EventRecorder events;

  private static final Schedule WEEKDAYS =
      Schedule.parse(
          Map.of(
              "time_zone",
              "Europe/London",
              "windows",
              List.of(Map.of("days", "MON-FRI", "from", "07:00", "to", "22:00"))),
          "schedule");

  private void start() {
    events = new EventRecorder();
    service =
        ArbitrageService.builder()
            .discoverProviders(false)
            .env(Map.of())
            .clock(clock)
            .scheduler(scheduler)
            .provider(new TestWorld.Publisher())
            .journal(JdbcJournal.inDirectory(dir, clock))
            .build();
    service.subscribe(events);
    service.initialize();
  }

  /** The server is down from now for {@code downtime}, then starts again. */
  private void restartAfter(Duration downtime) {
    service.close();
    clock.advance(downtime);
    start();
  }

  @AfterEach
  void close() {
    if (service != null) {
      service.close();
    }
  }

  /**
   * Moves the clock to Monday 07:00, when the window opens, waits until the bot runs (its start
   * runs on a worker thread, in real time), then moves on to 08:00.
   */
  private void runningAtSevenThenEight() {
    scheduler.advance(Duration.ofHours(1));
    events.awaitState("pub", BotState.RUNNING);
    scheduler.advance(Duration.ofHours(1));
  }

  private void assertAtRest() {
    BotState state = service.bot("pub").status();
    assertTrue(state == BotState.REGISTERED || state == BotState.STOPPED, state.name());
  }

  private void registerScheduled() {
    service.register(
        new BotRegistration(
            "pub", "publisher", "Pub", false, RestartPolicy.DEFAULT, Settings.empty(), WEEKDAYS));
  }

  @Test
  void aRestartInsideAWindowRunsTheBotEvenIfItWasStoppedByTheScheduleBefore() {
    start();
    registerScheduled();
    assertAtRest();
    // Down from Monday 06:00 until Tuesday 12:00: a window opened meanwhile.
    restartAfter(Duration.ofHours(30));
    events.awaitState("pub", BotState.RUNNING);
    assertEquals(WEEKDAYS, service.bot("pub").schedule(), "the registration kept its schedule");
    assertEquals(BotState.RUNNING, service.bot("pub").desiredState());
    assertEquals(Instant.parse("2026-12-08T22:00:00Z"), service.bot("pub").nextStop());
  }

  @Test
  void aManualStopInsideTheWindowSurvivesARestartUntilTheNextWindow() {
    start();
    registerScheduled();
    runningAtSevenThenEight();
    service.stop("pub");
    restartAfter(Duration.ofHours(4)); // Monday 12:00, window still open
    assertAtRest();
    assertEquals(BotState.STOPPED, service.bot("pub").desiredState());
    scheduler.advance(Duration.ofHours(19)); // Tuesday 07:00
    events.awaitState("pub", BotState.RUNNING);
  }

  @Test
  void aManualStopFromAnEarlierWindowNoLongerHoldsAfterARestart() {
    start();
    registerScheduled();
    runningAtSevenThenEight();
    service.stop("pub");
    restartAfter(Duration.ofHours(26)); // Tuesday 10:00: Tuesday's window opened since
    events.awaitState("pub", BotState.RUNNING);
  }

  @Test
  void aRestartOutsideAWindowLeavesTheBotStopped() {
    start();
    registerScheduled();
    runningAtSevenThenEight();
    restartAfter(Duration.ofHours(15)); // Monday 23:00
    assertAtRest();
    assertEquals(BotState.STOPPED, service.bot("pub").desiredState());
    assertEquals(Instant.parse("2026-12-08T07:00:00Z"), service.bot("pub").nextStart());
  }
}
