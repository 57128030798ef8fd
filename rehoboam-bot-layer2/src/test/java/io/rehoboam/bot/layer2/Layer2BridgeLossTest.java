package io.rehoboam.bot.layer2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.core.ArbitrageService;
import io.rehoboam.core.BotRegistration;
import io.rehoboam.core.BotStatus;
import io.rehoboam.core.ExecuteRequest;
import io.rehoboam.core.config.ConfigLoader;
import io.rehoboam.core.sim.SimMarketSource;
import io.rehoboam.core.testing.CallJournal;
import io.rehoboam.core.testing.ManualScheduler;
import io.rehoboam.core.testing.MutableClock;
import io.rehoboam.spi.Settings;
import io.rehoboam.spi.event.BotState;
import io.rehoboam.spi.event.ExecutionEvent;
import io.rehoboam.spi.event.OpportunityFoundEvent;
import io.rehoboam.spi.event.RiskEvent;
import io.rehoboam.spi.market.Pool;
import io.rehoboam.spi.trade.Execution;
import io.rehoboam.spi.trade.ExecutionStatus;
import io.rehoboam.spi.trade.Leg;
import io.rehoboam.spi.trade.Opportunity;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A bridge-mode execution completes as {@code submitted} and is settled later by the bot: that
 * later status goes through the engine like any execution's. A loss made after the bridge counts
 * toward the daily loss limit, and the final status is journalled. Time is driven by hand, so the
 * sell chain's price is moved while the transfer is in flight.
 */
class Layer2BridgeLossTest {
  private final MutableClock clock = MutableClock.atEpoch();
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final CallJournal journal = new CallJournal();
  private final Events events = new Events();
  private ArbitrageService service;

  @AfterEach
  void tearDown() {
    if (service != null) {
      service.close();
    }
  }

  @Test
  void aBridgeModeLossTripsTheDailyLossLimitAndItsFinalStatusIsJournalled() {
    String yaml =
        """
        sources:
          sim: {type: sim, seed: 11, pools: 120, chain_ids: [1, 42161], update_interval: 0, dislocation_probability: 0}
        risk:
          max_trade_input: 100000000
          max_trades_per_minute: 1000
          daily_loss_limit: 0.000001
        """;
    service =
        ArbitrageService.builder()
            .config(ConfigLoader.parse(yaml, "loss.yaml", Map.of()))
            .env(Map.of())
            .clock(clock)
            .scheduler(scheduler)
            .journal(journal)
            .build();
    service.subscribe(events);
    service.initialize();
    SimMarketSource sim = (SimMarketSource) service.marketSource("sim");
    Layer2SimServiceTest.plantGap(sim);
    Map<String, Object> settings =
        Layer2SimServiceTest.settings(
            "bridge",
            Map.of(
                "auto_execute", false, "failure_policy", "unwind", "max_unwind_loss_bps", 10_000));
    settings.put(
        "bridges",
        Map.of("default", Map.of("name", "canonical", "fee_bps", 5, "settlement", "10m")));
    service.register(BotRegistration.of("l2", "layer2", Settings.of(settings)));
    BotStatus status = service.start("l2");
    assertEquals(BotState.RUNNING, status.status(), status.toString());

    Opportunity o =
        events.await(OpportunityFoundEvent.class, e -> "l2".equals(e.botId())).opportunity();
    // No executor named: the opportunity names the bot's own executor.
    Execution submitted = service.execute(o.id(), new ExecuteRequest(null, false, null, null));
    assertEquals(ExecutionStatus.SUBMITTED, submitted.status(), submitted.toString());
    assertTrue(journal.calls.contains("update " + o.id() + " SUBMITTED"), journal.calls::toString);
    assertFalse(service.risk().isTripped());

    // While the transfer is in flight, someone sells ahead of us on the sell chain: our sell
    // reverts on its minimum and what arrived is unwound at the worse price: a realized loss.
    Leg sell = o.legs().get(2);
    Pool pool =
        sim.pools().stream().filter(p -> p.id().equals(sell.poolId())).findFirst().orElseThrow();
    BigInteger reserveIn = pool.token0().equals(sell.tokenIn()) ? pool.reserve0() : pool.reserve1();
    assertFalse(
        sim.swap(pool.id(), sell.tokenIn(), reserveIn.divide(BigInteger.TEN), null).reverted());
    scheduler.advance(Duration.ofMinutes(10));

    Execution last =
        events
            .await(
                ExecutionEvent.class,
                e ->
                    e.execution().id().equals(submitted.id())
                        && e.execution().status().isTerminal())
            .execution();
    assertEquals(ExecutionStatus.FAILED, last.status(), last.toString());
    assertTrue(last.realizedProfit().signum() < 0, last.toString());
    assertTrue(last.realizedProfitUsd().signum() < 0, last.toString());
    assertTrue(journal.calls.contains("update " + o.id() + " FAILED"), journal.calls::toString);
    RiskEvent tripped = events.await(RiskEvent.class, e -> "daily_loss_limit".equals(e.limit()));
    assertTrue(service.risk().isTripped(), tripped.toString());
    // Once: exactly one final status reached the journal and the event stream.
    assertEquals(
        1, journal.calls.stream().filter(c -> c.equals("update " + o.id() + " FAILED")).count());
    assertEquals(
        1,
        events
            .matching(
                ExecutionEvent.class,
                e ->
                    e.execution().id().equals(submitted.id())
                        && e.execution().status().isTerminal())
            .size());
    assertEquals(0, service.bot("l2").totalProfit().signum(), "a failed execution adds no profit");
    // The operator API's trade history (GET /executions, /pnl) has it with its final status.
    io.rehoboam.core.history.TradeRecord record = service.execution(submitted.id());
    assertEquals(ExecutionStatus.FAILED, record.status(), record.toString());
    assertEquals(last.realizedProfit(), record.realizedProfit());
    assertEquals(last.legs(), record.legExecutions(), "the legs as last reported");
  }
}
