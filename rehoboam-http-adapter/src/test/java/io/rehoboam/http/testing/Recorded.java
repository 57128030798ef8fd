package io.rehoboam.http.testing;

import io.rehoboam.backtest.recording.Recordings;
import io.rehoboam.core.config.ConfigLoader;
import io.rehoboam.core.config.RehoboamConfig;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/** Small recordings of the sim market of the API's backtest example, made for a test. */
public final class Recorded {
  /** The configuration of the OpenAPI example of POST /api/arbitrage/backtests, as YAML. */
  public static final String CONFIG =
      """
      sources:
        market: {type: sim, seed: 21, pools: 400, update_interval: 12s, dislocation_probability: 0.1}
      executors:
        paper: {type: paper, slippage_bps: 5}
      bots:
        - {id: monitor, type: live_monitor, settings: {min_profit: 0.5}}
        - {id: trader, type: real_executor, settings: {max_input: 5000, min_profit: 1}}
      """;

  private Recorded() {}

  public static RehoboamConfig config() {
    return ConfigLoader.parse(CONFIG, "config", Map.of());
  }

  /** Records {@code ticks} ticks of the example's sim market into {@code file}. */
  public static Path simMarket(Path file, int ticks) {
    Recordings.recordSimTicks(
        config(), null, file, ticks, Instant.parse("2026-01-01T00:00:00Z"), null);
    return file;
  }
}
