package io.rehoboam.bot.layer2;

import io.rehoboam.core.ArbitrageService;
import io.rehoboam.core.BotRegistration;
import io.rehoboam.core.ExecuteRequest;
import io.rehoboam.core.config.ConfigLoader;
import io.rehoboam.core.risk.RiskLimits;
import io.rehoboam.core.sim.SimMarketSource;
import io.rehoboam.journal.JdbcJournal;
import io.rehoboam.spi.Settings;
import io.rehoboam.spi.event.OpportunityFoundEvent;
import io.rehoboam.spi.trade.Execution;
import io.rehoboam.spi.trade.Opportunity;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The child JVM of {@link Layer2BridgeCrashIT}: a service with a journal in {@code args[0]} and a
 * layer2 bot in bridge mode on a two-chain sim market. It executes the first opportunity (buy leg
 * done, transfer in flight for an hour), prints {@code SUBMITTED <execution id> <amount in>} and
 * waits to be killed.
 */
public final class Layer2CrashChild {
  private Layer2CrashChild() {}

  static final String YAML =
      """
      sources:
        sim: {type: sim, seed: 11, pools: 120, chain_ids: [1, 42161], update_interval: 0, dislocation_probability: 0}
      """;

  public static void main(String[] args) throws Exception {
    Events events = new Events();
    ArbitrageService service =
        ArbitrageService.builder()
            .config(ConfigLoader.parse(YAML, "crash.yaml", Map.of()))
            .env(Map.of())
            .riskLimits(RiskLimits.NONE)
            .journal(JdbcJournal.inDirectory(Path.of(args[0]), Clock.systemUTC()))
            .build();
    service.subscribe(events);
    service.initialize();
    Layer2SimServiceTest.plantGap((SimMarketSource) service.marketSource("sim"));
    Map<String, Object> settings =
        Layer2SimServiceTest.settings("bridge", Map.of("auto_execute", false));
    settings.put(
        "bridges",
        Map.of("default", Map.of("name", "canonical", "fee_bps", 5, "settlement", "1h")));
    service.register(BotRegistration.of("l2", "layer2", Settings.of(settings)));
    service.start("l2");
    Opportunity o =
        events.await(OpportunityFoundEvent.class, e -> "l2".equals(e.botId())).opportunity();
    Execution submitted = service.execute(o.id(), new ExecuteRequest(null, false, null, null));
    System.out.println(
        "SUBMITTED " + submitted.id() + " " + o.amountIn() + " " + submitted.status());
    System.out.flush();
    new CountDownLatch(1).await();
  }
}
