package io.rehoboam.backtest.recording;

import io.rehoboam.backtest.engine.ReplayClock;
import io.rehoboam.core.ArbitrageService;
import io.rehoboam.core.config.RehoboamConfig;
import io.rehoboam.core.sim.SimConfig;
import io.rehoboam.core.sim.SimMarketSource;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.Settings;
import io.rehoboam.spi.market.MarketSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/** Records the market sources of a configuration into a new recording file. */
public final class Recordings {
  private Recordings() {}

  /** What was recorded. */
  public record Summary(List<String> sources, long updates, long bytes) {}

  /**
   * Drives the configuration's sim sources (all, or {@code only}) {@code ticks} ticks of their
   * {@code update_interval} on a clock that starts at {@code start} and moves only with the ticks:
   * the same configuration gives the same recording, byte for byte.
   *
   * @param progress told the ticks done (every 100 and at the end); may be null
   * @throws RehoboamException INVALID_CONFIG for a source that is not a sim source or an unknown id
   */
  public static Summary recordSimTicks(
      RehoboamConfig config,
      String only,
      Path file,
      int ticks,
      Instant start,
      LongConsumer progress) {
    List<String> ids = pick(config, only);
    ReplayClock clock = new ReplayClock(start);
    List<SimMarketSource> sims = new ArrayList<>();
    Duration interval = null;
    for (String id : ids) {
      Settings section = config.sources().section(id);
      String type = section.string("type", "");
      if (!type.equals("sim")) {
        throw new RehoboamException(
            ErrorCode.INVALID_CONFIG,
            config.source()
                + ": sources."
                + id
                + ": --ticks drives sim sources only (this one is "
                + type
                + "); record it with --duration");
      }
      SimConfig sim = SimConfig.fromSettings(section.without("type"));
      Duration step =
          sim.updateInterval().isZero() ? SimConfig.DEFAULT_UPDATE_INTERVAL : sim.updateInterval();
      if (interval != null && !interval.equals(step)) {
        throw new RehoboamException(
            ErrorCode.INVALID_CONFIG,
            config.source()
                + ": sources."
                + id
                + ".update_interval: the sim sources recorded together"
                + " must share one update_interval");
      }
      interval = step;
      SimConfig manual =
          new SimConfig(
              sim.seed(),
              sim.pools(),
              sim.shape(),
              sim.chainIds(),
              Duration.ZERO,
              sim.updatesPerTick(),
              sim.dislocationProbability(),
              sim.quoteCurrency());
      sims.add(new SimMarketSource(id, manual, null, clock));
    }
    long updates = 0;
    try (RecordingWriter writer = RecordingWriter.create(file)) {
      List<MarketRecorder> recorders = new ArrayList<>();
      for (SimMarketSource sim : sims) {
        recorders.add(new MarketRecorder(sim, "sim", writer, clock).start());
      }
      for (int i = 1; i <= ticks; i++) {
        clock.set(clock.instant().plus(interval));
        for (SimMarketSource sim : sims) {
          sim.tick();
        }
        if (progress != null && (i % 100 == 0 || i == ticks)) {
          progress.accept(i);
        }
      }
      for (MarketRecorder r : recorders) {
        updates += r.updates();
        r.close();
      }
    } finally {
      sims.forEach(SimMarketSource::close);
    }
    return new Summary(ids, updates, size(file));
  }

  /**
   * Records the configuration's sources (all, or {@code only}) as a service runs them, in real
   * time, for {@code duration}.
   *
   * @param progress told the updates recorded so far, about every second; may be null
   */
  public static Summary recordLive(
      RehoboamConfig config, String only, Path file, Duration duration, LongConsumer progress) {
    List<String> ids = pick(config, only);
    RehoboamConfig sourcesOnly =
        new RehoboamConfig(
            config.source(), List.of(), config.sources(), null, null, null, config.quote());
    long updates = 0;
    try (ArbitrageService service = ArbitrageService.builder().config(sourcesOnly).build();
        RecordingWriter writer = RecordingWriter.create(file)) {
      service.initialize();
      List<MarketRecorder> recorders = new ArrayList<>();
      for (String id : ids) {
        MarketSource source = service.marketSource(id);
        String type = config.sources().section(id).string("type", "unknown");
        recorders.add(new MarketRecorder(source, type, writer, Clock.systemUTC()).start());
      }
      long end = System.nanoTime() + duration.toNanos();
      CountDownLatch never = new CountDownLatch(1);
      try {
        while (true) {
          long left = end - System.nanoTime();
          if (left <= 0) {
            break;
          }
          never.await(Math.min(left, TimeUnit.SECONDS.toNanos(1)), TimeUnit.NANOSECONDS);
          if (progress != null) {
            progress.accept(recorders.stream().mapToLong(MarketRecorder::updates).sum());
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      for (MarketRecorder r : recorders) {
        r.close();
        updates += r.updates();
      }
    }
    return new Summary(ids, updates, size(file));
  }

  private static List<String> pick(RehoboamConfig config, String only) {
    List<String> all = new ArrayList<>(config.sources().names());
    if (all.isEmpty()) {
      throw new RehoboamException(
          ErrorCode.INVALID_CONFIG, config.source() + ": sources: nothing to record");
    }
    if (only == null) {
      return all;
    }
    if (!all.contains(only)) {
      throw RehoboamException.invalid(
          "--source", "no source '" + only + "' in " + config.source() + " (known: " + all + ")");
    }
    return List.of(only);
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return -1;
    }
  }
}
