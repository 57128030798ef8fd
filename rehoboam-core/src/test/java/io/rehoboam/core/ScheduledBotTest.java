package io.rehoboam.core;

import static io.rehoboam.spi.event.BotState.RUNNING;
import static io.rehoboam.spi.event.BotState.STOPPED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.core.schedule.Schedule;
import io.rehoboam.core.testing.EventRecorder;
import io.rehoboam.core.testing.ManualScheduler;
import io.rehoboam.core.testing.MutableClock;
import io.rehoboam.core.testing.ScriptedProvider;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.Settings;
import io.rehoboam.spi.event.BotStatusEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The engine starts and stops a scheduled bot at its schedule's transitions, on its clock. */
class ScheduledBotTest {
  /** Monday 7 December 2026, 06:00 in London (GMT = UTC). */
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T06:00:00Z"));

  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final ScriptedProvider provider = new ScriptedProvider();
  private final EventRecorder recorder = new EventRecorder();
  private ArbitrageService service;

  private static final Schedule WEEKDAYS =
      Schedule.parse(
          Map.of(
              "time_zone",
              "Europe/London",
              "windows",
              List.of(Map.of("days", "MON-FRI", "from", "07:00", "to", "22:00"))),
          "schedule");

  @BeforeEach
  void setUp() {
    service =
        ArbitrageService.builder()
            .env(Map.of())
            .discoverProviders(false)
            .provider(provider)
            .clock(clock)
            .scheduler(scheduler)
            .build();
    service.subscribe(recorder);
    service.initialize();
  }

  @AfterEach
  void tearDown() {
    service.close();
  }

  private void register(Schedule schedule) {
    service.register(
        new BotRegistration(
            "b", "scripted", "B", false, RestartPolicy.DEFAULT, Settings.empty(), schedule));
  }

  private BotStatusEvent lastChange() {
    List<io.rehoboam.spi.event.Event> events = recorder.events();
    for (int i = events.size() - 1; i >= 0; i--) {
      if (events.get(i) instanceof BotStatusEvent e && e.botId().equals("b")) {
        return e;
      }
    }
    throw new AssertionError("no status change of b");
  }

  @Test
  void theScheduleStartsAndStopsTheBotWithScheduleAsTheReason() {
    register(WEEKDAYS);
    BotStatus before = service.bot("b");
    assertEquals(STOPPED, before.desiredState());
    assertEquals(Instant.parse("2026-12-07T07:00:00Z"), before.nextStart());
    assertEquals(Instant.parse("2026-12-07T22:00:00Z"), before.nextStop());
    assertEquals(WEEKDAYS, before.schedule());

    scheduler.advance(Duration.ofHours(1)); // 07:00
    recorder.awaitState("b", RUNNING);
    assertEquals(
        "schedule: window opened",
        recorder.awaitState("b", io.rehoboam.spi.event.BotState.STARTING).reason());
    BotStatus open = service.bot("b");
    assertEquals(RUNNING, open.desiredState());
    assertEquals(Instant.parse("2026-12-08T07:00:00Z"), open.nextStart());
    assertEquals(Instant.parse("2026-12-07T22:00:00Z"), open.nextStop());

    scheduler.advance(Duration.ofHours(15)); // 22:00
    recorder.awaitState("b", STOPPED);
    assertEquals("stopped (schedule: window closed)", lastChange().reason());
    assertEquals(STOPPED, service.bot("b").desiredState());
  }

  @Test
  void aManualStopInsideAWindowHoldsUntilTheNextWindowOpens() {
    register(WEEKDAYS);
    scheduler.advance(Duration.ofHours(1)); // Monday 07:00
    recorder.awaitState("b", RUNNING);
    service.stop("b");
    scheduler.advance(Duration.ofHours(12)); // 19:00, window still open: stays stopped
    assertEquals(STOPPED, service.bot("b").status());
    scheduler.advance(Duration.ofHours(3)); // 22:00 close: nothing to do
    assertEquals(STOPPED, service.bot("b").status());
    scheduler.advance(Duration.ofHours(9)); // Tuesday 07:00: the schedule takes over again
    recorder.awaitState("b", RUNNING, 2);
    assertEquals(RUNNING, service.bot("b").status());
  }

  @Test
  void aManualStartOutsideAWindowRunsUntilTheNextTransition() {
    register(WEEKDAYS);
    service.start("b"); // 06:00, before the window
    assertEquals(RUNNING, service.bot("b").status());
    scheduler.advance(Duration.ofHours(1)); // 07:00 window opens: keeps running, one run
    scheduler.advance(Duration.ofHours(15)); // 22:00 window closes: stopped
    recorder.awaitState("b", STOPPED);
    assertEquals(1, provider.instances.size(), "the window's opening did not start a second run");
  }

  @Test
  void aBotRegisteredInsideAWindowStartsAtOnce() {
    clock.set(Instant.parse("2026-12-07T12:00:00Z"));
    register(WEEKDAYS);
    recorder.awaitState("b", RUNNING);
    assertEquals(RUNNING, service.bot("b").desiredState());
  }

  @Test
  void aCronScheduleRunsForItsLength() {
    register(Schedule.parse(Map.of("cron", "*/15 * * * *", "run_for", "2m"), "schedule")); // UTC
    assertEquals(Instant.parse("2026-12-07T06:00:00Z"), clock.instant());
    recorder.awaitState("b", RUNNING); // 06:00 is a match
    scheduler.advance(Duration.ofMinutes(2));
    recorder.awaitState("b", STOPPED);
    scheduler.advance(Duration.ofMinutes(13)); // 06:15
    recorder.awaitState("b", RUNNING, 2);
    assertEquals(Instant.parse("2026-12-07T06:17:00Z"), service.bot("b").nextStop());
  }

  @Test
  void unregisteringStopsFollowingTheSchedule() {
    register(WEEKDAYS);
    service.unregister("b");
    scheduler.advance(Duration.ofHours(2));
    assertTrue(provider.instances.isEmpty(), "nothing started for an unregistered bot");
  }

  @Test
  void aScheduledBotCannotAlsoAutostart() {
    RehoboamException e =
        assertThrows(
            RehoboamException.class,
            () ->
                new BotRegistration(
                    "b", "scripted", "B", true, RestartPolicy.DEFAULT, Settings.empty(), WEEKDAYS));
    assertTrue(e.getMessage().contains("drop autostart"), e.getMessage());
  }

  @Test
  void aBotWithoutScheduleShowsNoTimes() {
    service.register(BotRegistration.of("plain", "scripted", Settings.empty()));
    BotStatus s = service.bot("plain");
    assertNull(s.schedule());
    assertNull(s.nextStart());
    assertNull(s.nextStop());
  }

  @Test
  void aWindowAcrossMidnightAndTheAutumnClockChangeRunsItsFullLocalLength() {
    // Saturday 24 October 2026 23:00 BST to Sunday 02:00 GMT: the clocks go back at 02:00 BST,
    // so the window lasts four real hours (22:00Z to 02:00Z).
    clock.set(Instant.parse("2026-10-24T21:00:00Z"));
    register(
        Schedule.parse(
            Map.of(
                "time_zone",
                "Europe/London",
                "windows",
                List.of(Map.of("days", "SAT", "from", "23:00", "to", "02:00"))),
            "schedule"));
    assertEquals(Instant.parse("2026-10-24T22:00:00Z"), service.bot("b").nextStart());
    assertEquals(Instant.parse("2026-10-25T02:00:00Z"), service.bot("b").nextStop());
    scheduler.advance(Duration.ofHours(1));
    recorder.awaitState("b", RUNNING);
    scheduler.advance(Duration.ofHours(4).minusSeconds(1));
    assertEquals(RUNNING, service.bot("b").status(), "still running at 01:59:59 GMT");
    scheduler.advance(Duration.ofSeconds(1));
    recorder.awaitState("b", STOPPED);
    assertEquals(Instant.parse("2026-10-31T23:00:00Z"), service.bot("b").nextStart(), "GMT now");
  }
}
