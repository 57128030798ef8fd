package io.rehoboam.backtest.recording;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.core.ArbitrageService;
import io.rehoboam.core.config.ConfigLoader;
import io.rehoboam.core.config.RehoboamConfig;
import io.rehoboam.core.testing.ManualScheduler;
import io.rehoboam.core.testing.MutableClock;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.market.PoolUpdate;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceRecordersTest {
  @TempDir Path dir;

  @Test
  void aSourceWithARecordSettingIsRecordedWhileTheServiceRuns() {
    MutableClock clock = MutableClock.atEpoch();
    ManualScheduler scheduler = new ManualScheduler(clock);
    RehoboamConfig loaded =
        ConfigLoader.parse(
            """
            sources:
              market: {type: sim, seed: 4, pools: 200, update_interval: 1s, record: "%s"}
            """
                .formatted(dir.resolve("rec")),
            "rec.yaml",
            Map.of());
    RehoboamConfig config = SourceRecorders.withoutRecordSettings(loaded);
    assertFalse(config.sources().section("market").has("record"));
    List<Path> files;
    try (ArbitrageService service =
        ArbitrageService.builder().config(config).clock(clock).scheduler(scheduler).build()) {
      service.initialize();
      try (SourceRecorders recorders = SourceRecorders.start(loaded, service, clock)) {
        scheduler.advance(Duration.ofSeconds(10));
        files = recorders.files();
      }
    }
    assertEquals(List.of(dir.resolve("rec").resolve("market-20260101-000000.rrec")), files);
    long added = 0;
    long moves = 0;
    try (RecordingReader reader = RecordingReader.open(files.get(0))) {
      RecordEntry e;
      while ((e = reader.next()) != null) {
        if (e instanceof RecordEntry.UpdateEntry u) {
          if (u.update().kind() == PoolUpdate.Kind.ADDED) {
            added++;
          } else {
            moves++;
          }
        }
      }
      assertTrue(reader.complete(), "closed with its END record");
      assertEquals(List.of("market"), reader.sourceIds());
      assertEquals("sim", reader.sourceType(0));
    }
    assertEquals(200, added);
    assertTrue(moves >= 100, "10 ticks of 20 moves: " + moves);
  }

  @Test
  void aBlankRecordSettingIsRefusedNamingTheSource() {
    RehoboamConfig loaded =
        ConfigLoader.parse(
            "sources:\n  market: {type: sim, pools: 200, record: \" \"}\n", "rec.yaml", Map.of());
    try (ArbitrageService service =
        ArbitrageService.builder().config(SourceRecorders.withoutRecordSettings(loaded)).build()) {
      service.initialize();
      RehoboamException e =
          assertThrows(
              RehoboamException.class,
              () -> SourceRecorders.start(loaded, service, java.time.Clock.systemUTC()));
      assertEquals(ErrorCode.INVALID_CONFIG, e.code());
      assertTrue(
          e.getMessage().contains("sources.market.record: must name a directory"), e.getMessage());
    }
  }
}
