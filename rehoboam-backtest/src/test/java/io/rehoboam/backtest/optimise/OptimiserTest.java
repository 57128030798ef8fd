package io.rehoboam.backtest.optimise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.backtest.recording.Recordings;
import io.rehoboam.core.config.ConfigLoader;
import io.rehoboam.core.config.RehoboamConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OptimiserTest {
  @TempDir Path dir;

  static final String CONFIG =
      """
      sources:
        market: {type: sim, seed: 5, pools: 300, update_interval: 250ms, dislocation_probability: 0.6}
      executors:
        paper: {type: paper}
      bots:
        - {id: monitor, type: live_monitor}
        - {id: trader, type: real_executor, settings: {max_input: 5000}}
      """;

  @Test
  void aSeededSearchRanksTheSameWhateverTheThreads() throws IOException {
    Path config = dir.resolve("config.yaml");
    Files.writeString(config, CONFIG);
    RehoboamConfig parsed = ConfigLoader.load(config, Map.of());
    Path recording = dir.resolve("r.rrec");
    Recordings.recordSimTicks(
        parsed, null, recording, 120, Instant.parse("2026-01-01T00:00:00Z"), null);
    Path space = dir.resolve("space.yaml");
    Files.writeString(
        space,
        """
        search: random
        samples: 6
        seed: 3
        train_fraction: 0.6
        parameters:
          - {path: bots.trader.settings.min_profit, min: 0, max: 20, step: 0.5}
          - {path: bots.trader.settings.max_input, values: [500, 2000, 5000]}
          - {path: executors.paper.slippage_bps, values: [0, 10]}
        """);
    Optimiser.Space s = Optimiser.Space.load(space);
    Optimiser.Outcome one =
        Optimiser.run(parsed, config, recording, s, Duration.ofMillis(200), 1, null);
    Optimiser.Outcome two =
        Optimiser.run(parsed, config, recording, s, Duration.ofMillis(200), 2, null);
    assertEquals(one.json(), two.json());
    assertEquals(6, one.ranking().size());
    assertTrue(
        one.ranking().get(0).trainProfit().compareTo(one.ranking().get(5).trainProfit()) >= 0);
    one.write(dir.resolve("out"));
    RehoboamConfig best = ConfigLoader.load(dir.resolve("out").resolve("best.yaml"), Map.of());
    assertEquals(
        one.ranking().get(0).values().get("bots.trader.settings.max_input").toString(),
        best.bot("trader").orElseThrow().settings().decimal("max_input", null).toPlainString());
  }

  @Test
  void aGridTriesEveryCombination() {
    Optimiser.Space s =
        new Optimiser.Space(
            "grid",
            0,
            1,
            0.5,
            java.util.List.of(
                new Optimiser.Parameter(
                    "risk.min_net_profit",
                    null,
                    java.math.BigDecimal.ZERO,
                    java.math.BigDecimal.ONE,
                    new java.math.BigDecimal("0.5")),
                new Optimiser.Parameter(
                    "bots.trader.settings.max_in_flight",
                    java.util.List.of(java.math.BigDecimal.ONE, java.math.BigDecimal.TEN),
                    null,
                    null,
                    null)));
    assertEquals(6, Optimiser.candidates(s).size());
  }
}
