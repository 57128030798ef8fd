package io.rehoboam.backtest.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.backtest.recording.Recordings;
import io.rehoboam.core.config.ConfigLoader;
import io.rehoboam.core.testing.MutableClock;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The job lifecycle on a runner the test drives: states, kept jobs, and stopping. */
class BacktestJobsTest {
  private static final String CONFIG =
      """
      sources:
        market: {type: sim, seed: 3, pools: 100, update_interval: 12s, dislocation_probability: 0.2}
      executors:
        paper: {type: paper}
      bots:
        - {id: monitor, type: live_monitor}
        - {id: trader, type: real_executor, settings: {max_input: 5000}}
      """;

  @TempDir Path dir;
  private final List<Runnable> held = new ArrayList<>();
  private final MutableClock clock = MutableClock.atEpoch();

  @BeforeEach
  void record() {
    Recordings.recordSimTicks(
        ConfigLoader.parse(CONFIG, "c", Map.of()),
        null,
        dir.resolve("m.rrec"),
        40,
        Instant.parse("2026-01-01T00:00:00Z"),
        null);
  }

  private BacktestJobs.Request request() {
    return new BacktestJobs.Request(CONFIG, "m.rrec", Duration.ZERO);
  }

  @Test
  void aJobGoesFromQueuedToDoneAndOnlyTheLastMaxKeptFinishedAreKept() {
    try (BacktestJobs jobs =
        new BacktestJobs(new BacktestJobSettings(dir, 1, 5, 2), clock, held::add)) {
      BacktestJob first = jobs.submit(request());
      assertEquals("queued", first.state());
      Instant submitted = clock.instant();
      assertEquals(submitted, first.submittedAt());
      jobs.submit(request());
      jobs.submit(request());
      assertEquals(3, held.size());
      clock.advance(Duration.ofSeconds(5));

      held.forEach(Runnable::run);

      assertEquals(List.of("bt-2", "bt-3"), jobs.jobs().stream().map(BacktestJob::id).toList());
      BacktestJob done = jobs.job("bt-3");
      assertEquals("done", done.state());
      assertEquals(1.0, done.progress());
      assertEquals(submitted.plusSeconds(5), done.finishedAt());
      assertTrue(jobs.reportHtml("bt-3").contains("<svg"));
      RehoboamException gone = assertThrows(RehoboamException.class, () -> jobs.job("bt-1"));
      assertEquals(ErrorCode.NOT_FOUND, gone.code());
    }
  }

  @Test
  void closingFailsQueuedJobsAndStopsTheOnesThatWouldStillRun() {
    BacktestJobs jobs = new BacktestJobs(new BacktestJobSettings(dir, 1, 5, 5), clock, held::add);
    jobs.submit(request());

    jobs.close();

    BacktestJob stopped = jobs.job("bt-1");
    assertEquals("failed", stopped.state());
    assertEquals("SHUTTING_DOWN", stopped.error().code());
    assertEquals("the server stopped", stopped.error().message());
    held.get(0).run(); // the runner gets to it after all: it does not run
    assertEquals("failed", jobs.job("bt-1").state());
    RehoboamException refused = assertThrows(RehoboamException.class, () -> jobs.submit(request()));
    assertEquals(ErrorCode.SHUTTING_DOWN, refused.code());
    RehoboamException noReport =
        assertThrows(RehoboamException.class, () -> jobs.reportJson("bt-1"));
    assertEquals(ErrorCode.CONFLICT, noReport.code());
    assertTrue(
        noReport.getMessage().contains("bt-1 failed, it has no report"), noReport.getMessage());
  }
}
