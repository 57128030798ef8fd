package io.rehoboam.backtest;

import io.rehoboam.backtest.engine.BacktestEngine;
import io.rehoboam.backtest.engine.BacktestPlan;
import io.rehoboam.backtest.engine.BacktestRecorder;
import io.rehoboam.backtest.engine.ReplayClock;
import io.rehoboam.backtest.engine.ReplayMarket;
import io.rehoboam.backtest.engine.ReplayPaperExecutor;
import io.rehoboam.backtest.recording.RecordEntry;
import io.rehoboam.backtest.recording.RecordingReader;
import io.rehoboam.core.config.RehoboamConfig;
import io.rehoboam.core.sim.PaperConfig;
import io.rehoboam.spi.Checks;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.market.PoolUpdate;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * Replays a configuration against a recording: its monitors, executor bots, risk policy and paper
 * executors ({@link BacktestEngine}) over the recorded updates, on a clock that follows the
 * recording's times. Deterministic: the same recording and configuration give the same result.
 */
public final class Backtest {
  /** Updates between two progress calls. */
  public static final long PROGRESS_EVERY = 50_000;

  private Backtest() {}

  /** What a backtest produced. */
  public record Result(
      BacktestPlan plan,
      Path recording,
      List<String> sources,
      long updates,
      long batches,
      Instant firstUpdate,
      Instant lastUpdate,
      BacktestRecorder recorder,
      List<String> notes) {}

  /**
   * Runs the backtest.
   *
   * @param latency time between the update that published an opportunity and its execution
   * @param progress told the updates replayed so far every {@link #PROGRESS_EVERY}; may be null
   * @throws RehoboamException INVALID_ARGUMENT for a recording that cannot be read (missing, not a
   *     recording, another format version, damaged); INVALID_CONFIG for a configuration the
   *     backtest cannot run, or one naming a source the recording does not have
   */
  public static Result run(
      RehoboamConfig config, Path recording, Duration latency, LongConsumer progress) {
    return run(config, recording, latency, null, null, progress);
  }

  /**
   * Runs the backtest on the updates of a time window of the recording: the updates before {@code
   * from} only build the market (the monitors start at {@code from} with the market as it is then,
   * as if the service started then); the run ends before the first update at or after {@code to}.
   *
   * @param from the window's start, or null for the recording's start
   * @param to the window's end (exclusive), or null for the recording's end
   */
  public static Result run(
      RehoboamConfig config,
      Path recording,
      Duration latency,
      Instant from,
      Instant to,
      LongConsumer progress) {
    Checks.notNull(config, "config");
    BacktestPlan plan = BacktestPlan.from(config, latency);
    List<String> recorded = sourcesOf(recording, plan.sources());
    for (String id : plan.sources()) {
      if (!recorded.contains(id)) {
        throw new RehoboamException(
            ErrorCode.INVALID_CONFIG,
            config.source()
                + ": sources."
                + id
                + ": the recording "
                + recording
                + " has no source '"
                + id
                + "' (it has: "
                + String.join(", ", recorded)
                + ")");
      }
    }
    Map<String, ReplayMarket> markets = new LinkedHashMap<>();
    for (String id : plan.sources()) {
      markets.put(id, null);
    }
    ReplayClock clock = new ReplayClock(Instant.EPOCH);
    BacktestRecorder recorder = new BacktestRecorder();
    List<String> notes = new ArrayList<>(plan.notes());
    Map<String, List<Object[]>> pendingPrices = new HashMap<>();
    try (RecordingReader reader = RecordingReader.open(recording)) {
      // Markets are filled as the recording declares them; executors need them, so the engine is
      // built once every configured source was declared (before any of their updates matter).
      Map<String, ReplayPaperExecutor> executors = new LinkedHashMap<>();
      BacktestEngine engine = null;
      Instant first = null;
      Instant last = null;
      long lastProgress = 0;
      RecordEntry entry;
      Map<Integer, String> idOf = new HashMap<>();
      Map<String, Boolean> started = new HashMap<>();
      while ((entry = reader.next()) != null) {
        if (entry instanceof RecordEntry.SourceEntry s) {
          idOf.put(s.source(), s.id());
          if (markets.containsKey(s.id())) {
            markets.put(s.id(), new ReplayMarket(s.id(), s.type()));
          } else {
            notes.add("recorded source " + s.id() + " is not in the configuration: not replayed");
          }
          continue;
        }
        String sourceId = idOf.get(entry.source());
        ReplayMarket market = markets.get(sourceId);
        if (market == null) {
          continue;
        }
        if (entry instanceof RecordEntry.TokenEntry t) {
          market.addToken(t.token());
        } else if (entry instanceof RecordEntry.PriceEntry p) {
          if (started.containsKey(sourceId)) {
            pendingPrices
                .computeIfAbsent(sourceId, k -> new ArrayList<>())
                .add(new Object[] {p.token(), p.price()});
          } else {
            market.setPrice(p.token(), p.price());
          }
        } else if (entry instanceof RecordEntry.UpdateEntry u) {
          if (from != null && u.at().isBefore(from)) {
            // Before the window: the market moves, nobody watches.
            applyRecorded(market, pendingPrices.remove(sourceId), u.update(), u.at());
            started.put(sourceId, Boolean.TRUE);
            continue;
          }
          if (to != null && !u.at().isBefore(to)) {
            break;
          }
          if (engine == null) {
            if (markets.containsValue(null)) {
              // A configured source declared later than this update: wait is impossible in one
              // pass, so every configured source must be declared before the first update.
              throw new RehoboamException(
                  ErrorCode.INVALID_CONFIG,
                  "the recording declares source "
                      + firstMissing(markets)
                      + " after the first update; replay it with a configuration of the sources"
                      + " declared first");
            }
            for (Map.Entry<String, PaperConfig> e : plan.executors().entrySet()) {
              executors.put(
                  e.getKey(),
                  new ReplayPaperExecutor(
                      e.getKey(),
                      marketFor(e.getKey(), e.getValue(), markets),
                      e.getValue(),
                      clock));
            }
            engine =
                new BacktestEngine(
                    plan,
                    markets,
                    executors,
                    clock,
                    clock::set,
                    (id, update, at) ->
                        applyRecorded(markets.get(id), pendingPrices.remove(id), update, at),
                    recorder);
            if (from != null) {
              // The service starts at the window's start: each source replays what it knows.
              for (Map.Entry<String, ReplayMarket> m : markets.entrySet()) {
                for (PoolUpdate added : m.getValue().snapshot()) {
                  engine.offer(m.getKey(), added, from);
                }
              }
            }
          }
          started.put(sourceId, Boolean.TRUE);
          if (first == null) {
            first = from != null ? from : u.at();
          }
          last = u.at();
          engine.offer(sourceId, u.update(), u.at());
          if (progress != null && engine.updates() - lastProgress >= PROGRESS_EVERY) {
            lastProgress = engine.updates();
            progress.accept(lastProgress);
          }
        }
      }
      if (reader.truncation() != null) {
        notes.add(reader.truncation());
      }
      long updates = 0;
      long batches = 0;
      if (engine != null) {
        engine.finish();
        updates = engine.updates();
        batches = engine.batches();
        engine.close();
      }
      if (progress != null) {
        progress.accept(updates);
      }
      return new Result(
          plan, recording, plan.sources(), updates, batches, first, last, recorder, notes);
    }
  }

  private static void applyRecorded(
      ReplayMarket market, List<Object[]> prices, PoolUpdate update, Instant at) {
    if (prices != null) {
      for (Object[] p : prices) {
        market.setPrice((String) p[0], (BigDecimal) p[1]);
      }
    }
    market.apply(update, at);
  }

  private static String firstMissing(Map<String, ReplayMarket> markets) {
    return markets.entrySet().stream()
        .filter(e -> e.getValue() == null)
        .map(Map.Entry::getKey)
        .findFirst()
        .orElse("?");
  }

  private static ReplayMarket marketFor(
      String executorId, PaperConfig config, Map<String, ReplayMarket> markets) {
    if (config.source() != null) {
      ReplayMarket m = markets.get(config.source());
      if (m == null) {
        throw new RehoboamException(
            ErrorCode.INVALID_CONFIG,
            "executors." + executorId + ".source: no source '" + config.source() + "'");
      }
      return m;
    }
    if (markets.size() != 1) {
      throw new RehoboamException(
          ErrorCode.INVALID_CONFIG,
          "executors."
              + executorId
              + ".source: several sources ("
              + String.join(", ", markets.keySet())
              + "); name the one to trade on");
    }
    return markets.values().iterator().next();
  }

  /**
   * The ids of the sources a recording holds: read until every wanted one was declared (or the
   * end).
   */
  static List<String> sourcesOf(Path recording, List<String> wanted) {
    List<String> ids = new ArrayList<>();
    try (RecordingReader reader = RecordingReader.open(recording)) {
      RecordEntry entry;
      while ((entry = reader.next()) != null) {
        if (entry instanceof RecordEntry.SourceEntry s) {
          ids.add(s.id());
          if (ids.containsAll(wanted)) {
            break;
          }
        }
      }
    }
    return ids;
  }
}
