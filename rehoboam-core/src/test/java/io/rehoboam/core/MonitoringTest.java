package io.rehoboam.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.core.testing.EventRecorder;
import io.rehoboam.core.testing.ManualScheduler;
import io.rehoboam.core.testing.MutableClock;
import io.rehoboam.core.testing.ScriptedProvider;
import io.rehoboam.spi.Settings;
import io.rehoboam.spi.event.MonitoringSnapshotEvent;
import io.rehoboam.spi.event.SystemEvent;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MonitoringTest {

  @Test
  void monitoringEmitsSnapshotsAtItsIntervalUntilStoppedAndIsIdempotent() {
    MutableClock clock = MutableClock.atEpoch();
    ManualScheduler scheduler = new ManualScheduler(clock);
    EventRecorder recorder = new EventRecorder();
    try (ArbitrageService service =
        ArbitrageService.builder()
            .env(Map.of())
            .discoverProviders(false)
            .provider(new ScriptedProvider())
            .clock(clock)
            .scheduler(scheduler)
            .monitoringInterval(Duration.ofSeconds(10))
            .build()) {
      service.subscribe(
          recorder, e -> e instanceof MonitoringSnapshotEvent || e instanceof SystemEvent);
      service.initialize();
      service.register(BotRegistration.of("m", "scripted", Settings.empty()));
      assertFalse(service.isMonitoring());

      service.startMonitoring();
      service.startMonitoring();
      assertTrue(service.isMonitoring());
      scheduler.advance(Duration.ofSeconds(25)); // snapshots at 0, 10, 20
      service.stopMonitoring();
      service.stopMonitoring();
      scheduler.advance(Duration.ofSeconds(60)); // none after stopping
      recorder.await(e -> e instanceof SystemEvent s && s.kind().equals("monitoring.stopped"));

      long snapshots =
          recorder.events().stream().filter(e -> e instanceof MonitoringSnapshotEvent).count();
      assertEquals(3, snapshots);
      long starts =
          recorder.events().stream()
              .filter(e -> e instanceof SystemEvent s && s.kind().equals("monitoring.started"))
              .count();
      assertEquals(1, starts, "a second start is a no-op");
      MonitoringSnapshotEvent last =
          recorder.events().stream()
              .filter(e -> e instanceof MonitoringSnapshotEvent)
              .map(e -> (MonitoringSnapshotEvent) e)
              .reduce((a, b) -> b)
              .orElseThrow();
      assertEquals(1, last.botsByState().get("registered"));
      assertEquals(Duration.ofSeconds(20), last.uptime());
      assertTrue(last.heapUsedBytes() > 0);
      assertEquals("not running", last.botHealth().get("m").message());
    }
  }
}
