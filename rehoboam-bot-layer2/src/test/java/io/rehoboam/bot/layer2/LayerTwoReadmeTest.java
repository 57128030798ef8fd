package io.rehoboam.bot.layer2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.rehoboam.core.ArbitrageService;
import io.rehoboam.core.config.ConfigLoader;
import io.rehoboam.core.sim.SimMarketSource;
import io.rehoboam.spi.event.BotLogEvent;
import io.rehoboam.spi.event.BotState;
import io.rehoboam.spi.event.BotStatusEvent;
import io.rehoboam.spi.event.ExecutionEvent;
import io.rehoboam.spi.event.OpportunityFoundEvent;
import io.rehoboam.spi.trade.ExecutionStatus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The README's addition to the standalone server's default configuration, laid over that
 * configuration's simulated market, executors, risk limits and bots: the layer2 bot runs on the
 * simulated market, finds cross-layer opportunities and trades them through the risk policy, and
 * the real executor leaves them alone.
 */
class LayerTwoReadmeTest {
  /**
   * The parts of the server's default configuration the snippet meets (its server section aside).
   */
  private static final String SERVER_DEFAULT =
      """
      sources:
        sim: {type: sim, seed: 42, pools: 2000, shape: sparse, chain_ids: [1], update_interval: 250ms, updates_per_tick: 20, dislocation_probability: 0.05}
      executors:
        paper: {type: paper, source: sim, slippage_bps: 10, default: true}
      risk:
        max_trades_per_minute: 120
        min_net_profit: 0
      bots:
        - {id: live_monitor, type: live_monitor, name: Live Arbitrage Monitor, autostart: true, settings: {sources: [sim], strategies: [cross_venue, cyclic], ttl: 30s}}
        - {id: real_executor, type: real_executor, name: Real Arbitrage Executor, autostart: true, settings: {executor: paper, min_profit: 0, max_in_flight: 1}}
      """;

  static String readmeSnippet() throws java.io.IOException {
    String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
    int section = readme.indexOf("## Example: the standalone server's default config");
    int start = readme.indexOf("```yaml\n", section) + "```yaml\n".length();
    return readme.substring(start, readme.indexOf("```", start));
  }

  @SuppressWarnings("unchecked")
  static String merged(String base, String snippet) throws java.io.IOException {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    Map<String, Object> config = yaml.readValue(base, LinkedHashMap.class);
    Map<String, Object> addition = yaml.readValue(snippet, LinkedHashMap.class);
    for (String section : List.of("sources", "executors")) {
      if (addition.get(section) != null) {
        ((Map<String, Object>) config.get(section))
            .putAll((Map<String, Object>) addition.get(section));
      }
    }
    List<Map<String, Object>> bots =
        new ArrayList<>((List<Map<String, Object>>) config.get("bots"));
    for (Map<String, Object> bot : (List<Map<String, Object>>) addition.get("bots")) {
      bots.removeIf(b -> b.get("id").equals(bot.get("id")));
      bots.add(bot);
    }
    config.put("bots", bots);
    // The test drives both markets' ticks itself.
    for (Object source : ((Map<String, Object>) config.get("sources")).values()) {
      ((Map<String, Object>) source).put("update_interval", 0);
    }
    return yaml.writeValueAsString(config);
  }

  private static List<ExecutionEvent> simulated(Events events) {
    return events.matching(
        ExecutionEvent.class,
        e ->
            "layer2_arbitrage".equals(e.botId())
                && e.execution().status() == ExecutionStatus.SIMULATED);
  }

  @Test
  void theServerDefaultWithTheReadmeAdditionRunsLayer2ArbitrageOnTheSimulatedMarket()
      throws Exception {
    String config = merged(SERVER_DEFAULT, readmeSnippet());
    Events events = new Events();
    try (ArbitrageService service =
        ArbitrageService.builder()
            .config(ConfigLoader.parse(config, "server-default+layer2.yaml", Map.of()))
            .env(Map.of())
            .build()) {
      service.subscribe(events);
      service.initialize();
      SimMarketSource market = (SimMarketSource) service.marketSource("sim_l2");
      events.await(
          BotStatusEvent.class,
          e -> "layer2_arbitrage".equals(e.botId()) && e.to() == BotState.RUNNING);
      // Tick by tick, each followed by a rescan as a barrier (its layer2.scan line comes after
      // every update parked before it), until the bot has traded once. A trade that the next tick
      // makes stale reverts on its minimum (or is unwound) and the bot goes on.
      for (int tick = 0; tick < 2000 && simulated(events).isEmpty(); tick++) {
        market.tick();
        long mark = events.lastSeq();
        service.sendCommand("layer2_arbitrage", "rescan", Map.of());
        events.await(
            BotLogEvent.class, e -> e.seq() > mark && e.message().startsWith("layer2.scan "));
      }
      assertTrue(!simulated(events).isEmpty(), "no trade in 2000 ticks");
      ExecutionEvent executed = simulated(events).get(0);
      assertTrue(
          executed.execution().realizedProfit().signum() > 0, executed.execution().toString());
      OpportunityFoundEvent found =
          events.await(
              OpportunityFoundEvent.class,
              e -> e.opportunity().id().equals(executed.execution().opportunityId()));
      assertEquals("cross_layer", found.opportunity().strategy());
      assertTrue(service.bot("layer2_arbitrage").opportunitiesFound() >= 1);
      assertTrue(service.bot("layer2_arbitrage").health().message().contains("inventory {1={"));
      assertTrue(
          events
              .matching(
                  ExecutionEvent.class,
                  e ->
                      "real_executor".equals(e.botId())
                          && e.execution().opportunityId().startsWith("xl-"))
              .isEmpty());
    }
  }
}
