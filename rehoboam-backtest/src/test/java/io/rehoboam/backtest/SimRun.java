package io.rehoboam.backtest;

import io.rehoboam.backtest.engine.BacktestEngine;
import io.rehoboam.backtest.engine.BacktestPlan;
import io.rehoboam.backtest.engine.BacktestRecorder;
import io.rehoboam.backtest.recording.MarketRecorder;
import io.rehoboam.backtest.recording.RecordingWriter;
import io.rehoboam.core.config.ConfigLoader;
import io.rehoboam.core.config.RehoboamConfig;
import io.rehoboam.core.sim.PaperTradeExecutor;
import io.rehoboam.core.sim.SimConfig;
import io.rehoboam.core.sim.SimMarketSource;
import io.rehoboam.core.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * A live run on a sim market, driven tick by tick on a manual clock: the configuration's monitors,
 * executor bots and risk policy in a {@link BacktestEngine} fed by the sim source itself, trading
 * through core's own paper executor on the sim market, while a {@link MarketRecorder} records the
 * source.
 */
final class SimRun {
  static final String CONFIG =
      """
      sources:
        market: {type: sim, seed: 11, pools: 400, update_interval: 0, dislocation_probability: 0.6}
      executors:
        paper: {type: paper, slippage_bps: 5}
      risk:
        max_trades_per_minute: 40
        max_trade_input: 20000
      bots:
        - {id: monitor, type: live_monitor, settings: {min_profit: 0.5}}
        - {id: trader, type: real_executor, settings: {max_input: 5000, max_in_flight: 2}}
      """;

  static RehoboamConfig config() {
    return ConfigLoader.parse(CONFIG, "sim-run.yaml", Map.of());
  }

  /** Runs {@code ticks} ticks 250 ms apart, records the source into {@code recording}. */
  static BacktestRecorder run(Path recording, int ticks, Duration latency) {
    RehoboamConfig config = config();
    MutableClock clock = MutableClock.atEpoch();
    SimConfig simConfig =
        SimConfig.fromSettings(config.sources().section("market").without("type"));
    SimMarketSource sim = new SimMarketSource("market", simConfig, null, clock);
    BacktestPlan plan = BacktestPlan.from(config, latency);
    PaperTradeExecutor paper =
        new PaperTradeExecutor("paper", sim, plan.executors().get("paper"), clock);
    BacktestRecorder live = new BacktestRecorder();
    BacktestEngine engine =
        new BacktestEngine(
            plan,
            Map.of("market", sim),
            Map.of("paper", paper),
            clock,
            clock::set,
            (s, u, a) -> {},
            live);
    try (RecordingWriter writer = RecordingWriter.create(recording);
        MarketRecorder recorder = new MarketRecorder(sim, "sim", writer, clock).start()) {
      sim.subscribe(update -> engine.offer("market", update, clock.instant()));
      engine.flush();
      for (int i = 0; i < ticks; i++) {
        Instant next = clock.instant().plusMillis(250);
        engine.advanceTo(next);
        clock.set(next);
        sim.tick();
        engine.flush();
      }
      engine.finish();
      if (recorder.updates() == 0) {
        throw new AssertionError("nothing was recorded");
      }
    } finally {
      engine.close();
      sim.close();
    }
    return live;
  }

  private SimRun() {}
}
