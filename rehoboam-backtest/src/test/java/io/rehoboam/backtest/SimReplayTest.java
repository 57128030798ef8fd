package io.rehoboam.backtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.backtest.engine.BacktestRecorder;
import io.rehoboam.spi.trade.ExecutionStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SimReplayTest {
  @TempDir Path dir;

  @ParameterizedTest(name = "latency {0} ms")
  @ValueSource(longs = {0, 600})
  void aReplayOfASimRecordingGivesTheLiveRunsOpportunitiesAndExecutions(long latencyMillis) {
    Duration latency = Duration.ofMillis(latencyMillis);
    Path recording = dir.resolve("sim.rrec");
    BacktestRecorder live = SimRun.run(recording, 150, latency);

    Backtest.Result replay = Backtest.run(SimRun.config(), recording, latency, null);

    assertTrue(
        live.opportunities().size() > 20, "live opportunities: " + live.opportunities().size());
    assertTrue(
        live.executions().stream()
                .filter(e -> e.execution().status() == ExecutionStatus.SIMULATED)
                .count()
            > 5,
        "live executions: " + live.executions().size());
    assertSameList("opportunities", live.opportunities(), replay.recorder().opportunities());
    assertSameList("executions", live.executions(), replay.recorder().executions());
    assertEquals(live.rejections(), replay.recorder().rejections());
    assertEquals(live.outcomes(), replay.recorder().outcomes());
    assertTrue(replay.notes().isEmpty(), "notes: " + replay.notes());
  }

  /** Equal lists, failing on the first difference with both items. */
  static <T> void assertSameList(String what, List<T> expected, List<T> actual) {
    for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
      assertEquals(expected.get(i), actual.get(i), what + "[" + i + "]");
    }
    assertEquals(expected.size(), actual.size(), what + ": count");
  }
}
