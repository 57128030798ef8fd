package io.rehoboam.bot.layer2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rehoboam.core.ArbitrageService;
import io.rehoboam.core.BotRegistration;
import io.rehoboam.core.BotStatus;
import io.rehoboam.core.ExecuteRequest;
import io.rehoboam.core.config.ConfigLoader;
import io.rehoboam.core.sim.SimMarketSource;
import io.rehoboam.spi.BotHealth;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.Settings;
import io.rehoboam.spi.event.BotLogEvent;
import io.rehoboam.spi.event.BotState;
import io.rehoboam.spi.event.ExecutionEvent;
import io.rehoboam.spi.event.OpportunityFoundEvent;
import io.rehoboam.spi.event.RiskEvent;
import io.rehoboam.spi.market.Pool;
import io.rehoboam.spi.market.Token;
import io.rehoboam.spi.trade.Execution;
import io.rehoboam.spi.trade.ExecutionStatus;
import io.rehoboam.spi.trade.Leg;
import io.rehoboam.spi.trade.LegExecution;
import io.rehoboam.spi.trade.Opportunity;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The layer2 bot and executor, found by discovery, on a simulated market of two chains (an L1 and
 * an L2) in a real service: a planted price gap between the chains is found, executed through the
 * risk policy in inventory and in bridge mode, and the paper inventory moves exactly by the legs.
 */
class Layer2SimServiceTest {
  static final long L1 = 1;
  static final long L2 = 42161;
  static final ObjectMapper JSON = new ObjectMapper();

  private final Events events = new Events();
  private ArbitrageService service;
  private SimMarketSource sim;

  private void start(String risk) {
    String yaml =
        """
        sources:
          sim: {type: sim, seed: 11, pools: 120, chain_ids: [1, 42161], update_interval: 0, dislocation_probability: 0}
        risk:
        """
            + risk;
    service =
        ArbitrageService.builder()
            .config(ConfigLoader.parse(yaml, "test.yaml", Map.of()))
            .env(Map.of())
            .build();
    service.subscribe(events);
    service.initialize();
    sim = (SimMarketSource) service.marketSource("sim");
  }

  private static final String OPEN_RISK =
      "  max_trade_input: 100000000\n  max_trades_per_minute: 1000\n";

  @AfterEach
  void tearDown() {
    if (service != null) {
      service.close();
    }
  }

  static Map<String, Object> settings(String mode, Map<String, Object> extra) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("mode", mode);
    s.put(
        "chains",
        List.of(
            Map.of(
                "chain_id",
                L1,
                "source",
                "sim",
                "gas_price_gwei",
                2,
                "inventory",
                Map.of("WETH", 100, "USDC", 300000)),
            Map.of(
                "chain_id",
                L2,
                "source",
                "sim",
                "gas_price_gwei",
                "0.01",
                "l1_data_fee_wei",
                "20000000000000",
                "inventory",
                Map.of("WETH", 100, "USDC", 300000))));
    s.put("assets", List.of("WETH", "USDC"));
    s.put("start_assets", List.of("WETH"));
    s.put(
        "bridges",
        Map.of(
            "default",
            Map.of(
                "name",
                "canonical",
                "fee_bps",
                5,
                "settlement",
                "100ms",
                "haircut_bps_per_minute",
                1)));
    s.putAll(extra);
    return s;
  }

  private void run(Map<String, Object> settings) {
    service.register(BotRegistration.of("l2", "layer2", Settings.of(settings)));
    BotStatus status = service.start("l2");
    assertEquals(BotState.RUNNING, status.status(), status.toString());
  }

  private static String token(SimMarketSource sim, long chain, String symbol) {
    for (Token t : sim.tokens().values()) {
      if (t.chainId() == chain && t.symbol().equals(symbol)) {
        return t.address();
      }
    }
    throw new AssertionError("no " + symbol + " on " + chain);
  }

  /** Makes WETH about 3% dearer on the L2 by buying it with USDC in its WETH/USDC pool. */
  private void plantGap() {
    plantGap(sim);
  }

  static void plantGap(SimMarketSource sim) {
    String weth = token(sim, L2, "WETH");
    String usdc = token(sim, L2, "USDC");
    Pool pool =
        sim.pools().stream()
            .filter(p -> p.chainId() == L2 && p.has(weth) && p.has(usdc))
            .findFirst()
            .orElseThrow();
    BigInteger usdcReserve = pool.token0().equals(usdc) ? pool.reserve0() : pool.reserve1();
    assertTrue(
        !sim.swap(pool.id(), usdc, usdcReserve.divide(BigInteger.valueOf(66)), null).reverted());
  }

  /**
   * The bot's ledger in base units, from its {@code inventory} command: chain -> asset -> amount.
   */
  private Map<String, Map<String, BigInteger>> inventory() {
    int before = events.all().size();
    service.sendCommand("l2", "inventory", Map.of());
    BotLogEvent line =
        events.await(
            BotLogEvent.class,
            e -> e.message().startsWith("layer2.inventory ") && events.all().indexOf(e) >= before);
    try {
      JsonNode node = JSON.readTree(line.message().substring("layer2.inventory ".length()));
      Map<String, Map<String, BigInteger>> out = new HashMap<>();
      node.fields()
          .forEachRemaining(
              chain -> {
                Map<String, BigInteger> assets = new HashMap<>();
                chain
                    .getValue()
                    .fields()
                    .forEachRemaining(
                        a -> assets.put(a.getKey(), new BigInteger(a.getValue().asText())));
                out.put(chain.getKey(), assets);
              });
      return out;
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  static final BigInteger WETH_100 = BigInteger.TEN.pow(20);
  static final BigInteger USDC_300K = BigInteger.valueOf(300_000).multiply(BigInteger.TEN.pow(6));

  /** Executes the first opportunity the bot publishes through the service, as the API would. */
  private Execution executeFirst() {
    OpportunityFoundEvent found =
        events.await(OpportunityFoundEvent.class, e -> "l2".equals(e.botId()));
    return service.execute(
        found.opportunity().id(), new ExecuteRequest(null, false, null, "layer2"));
  }

  /** The opportunity as published (executing it moves the pools, so the bot expires it). */
  private Opportunity found(String id) {
    return events
        .await(OpportunityFoundEvent.class, e -> e.opportunity().id().equals(id))
        .opportunity();
  }

  private static BigDecimal units(BigInteger amount, int decimals) {
    return new BigDecimal(amount, decimals);
  }

  @Test
  void inventoryModeExecutesBothLegsAtOnceAndTheLedgersMoveExactlyByTheLegs() {
    start(OPEN_RISK);
    plantGap();
    run(settings("inventory", Map.of("auto_execute", false)));
    Execution execution = executeFirst();
    assertEquals(ExecutionStatus.SIMULATED, execution.status(), execution.toString());
    Opportunity o = found(execution.opportunityId());
    assertEquals("cross_layer", o.strategy());
    assertEquals(3, o.legs().size());
    assertEquals(L2, o.legs().get(0).chainId());
    assertEquals(L1, o.legs().get(1).chainId());
    assertEquals(
        List.of(ExecutionStatus.SIMULATED, ExecutionStatus.SIMULATED),
        execution.legs().stream().map(LegExecution::status).toList());
    assertEquals(List.of(L2, L1), execution.legs().stream().map(LegExecution::chainId).toList());
    // Nothing moved between finding and executing: realized is the predicted net profit.
    assertEquals(o.netProfit(), execution.realizedProfit());
    assertTrue(execution.realizedProfit().signum() > 0);
    Leg buy = o.legs().get(0);
    Leg sell = o.legs().get(1);
    Map<String, Map<String, BigInteger>> after = inventory();
    assertEquals(WETH_100.subtract(buy.amountIn()), after.get("42161").get("WETH"));
    assertEquals(USDC_300K.add(buy.amountOut()), after.get("42161").get("USDC"));
    assertEquals(USDC_300K.subtract(sell.amountIn()), after.get("1").get("USDC"));
    assertEquals(WETH_100.add(sell.amountOut()), after.get("1").get("WETH"));
    BotStatus status = service.bot("l2");
    assertTrue(status.opportunitiesFound() >= 1);
    assertEquals(BotHealth.Status.UP, status.health().status());
    assertTrue(
        status
            .health()
            .message()
            .contains(
                "inventory {1={WETH="
                    + new BigDecimal(after.get("1").get("WETH"), 18)
                        .stripTrailingZeros()
                        .toPlainString()
                    + ", USDC="),
        status.health().message());
    // The risk policy allowed it.
    assertTrue(
        !events
            .matching(
                RiskEvent.class, r -> r.decision().equals("allow") && o.id().equals(r.subject()))
            .isEmpty());
  }

  @Test
  void theBotExecutesWhatItFindsByItself() {
    start(OPEN_RISK);
    plantGap();
    run(settings("inventory", Map.of()));
    ExecutionEvent done =
        events.await(
            ExecutionEvent.class,
            e -> "l2".equals(e.botId()) && e.execution().status().isTerminal());
    assertEquals(ExecutionStatus.SIMULATED, done.execution().status(), done.execution().toString());
    assertEquals(
        found(done.execution().opportunityId()).netProfit(), done.execution().realizedProfit());
    // Executed by the bot: its total profit counts it.
    assertTrue(service.bot("l2").totalProfit().signum() > 0, service.bot("l2").toString());
  }

  @Test
  void theRiskPolicyDecidesBeforeAnythingMoves() {
    start("  max_trade_input: 1\n");
    plantGap();
    run(settings("inventory", Map.of()));
    ExecutionEvent rejected =
        events.await(
            ExecutionEvent.class,
            e -> "l2".equals(e.botId()) && e.execution().status().isTerminal());
    assertEquals(ExecutionStatus.REJECTED, rejected.execution().status());
    assertTrue(
        rejected.execution().reason().startsWith("max_trade_input"), rejected.execution().reason());
    Map<String, Map<String, BigInteger>> after = inventory();
    assertEquals(WETH_100, after.get("42161").get("WETH"));
    assertEquals(USDC_300K, after.get("1").get("USDC"));
  }

  /**
   * A refused stream (the kill switch tripped while the market keeps moving) does not flood the
   * log: the first refusal of a minute is logged, the others are counted (a summary is written at
   * the end of the minute), while every refusal is still a risk event.
   */
  @Test
  void refusalsByTheRiskPolicyAreLoggedOnceAMinuteNotOneLineEach() {
    String yaml =
        """
        sources:
          sim: {type: sim, seed: 7, pools: 300, chain_ids: [1, 42161], update_interval: 0, dislocation_probability: 0.5}
        risk: {max_trade_input: 100000000, max_trades_per_minute: 100000}
        """;
    service =
        ArbitrageService.builder()
            .config(ConfigLoader.parse(yaml, "test.yaml", Map.of()))
            .env(Map.of())
            .build();
    service.subscribe(events);
    service.initialize();
    sim = (SimMarketSource) service.marketSource("sim");
    service.risk().trip("test");
    run(settings("inventory", Map.of()));

    long refusals = 0;
    for (int round = 0; round < 60 && refusals < 10; round++) {
      sim.step(5);
      long seen = events.lastSeq();
      // A rescan says when it is done: the round's opportunities are published (and tried) by then.
      service.sendCommand("l2", "rescan", Map.of());
      events.await(BotLogEvent.class, e -> e.seq() > seen && e.message().startsWith("layer2.scan"));
      refusals =
          events.all().stream()
              .filter(
                  e ->
                      e instanceof RiskEvent r
                          && "l2".equals(r.botId())
                          && "reject".equals(r.decision()))
              .count();
    }
    assertTrue(refusals >= 10, "the bot kept trying: " + refusals + " refusals");
    List<String> lines =
        service.logs("l2", 10_000).stream().filter(l -> l.contains("not executed")).toList();
    assertEquals(1, lines.size(), "one line for the minute, not one per refusal: " + lines);
    assertTrue(lines.get(0).contains("kill_switch"), lines.get(0));
  }

  @Test
  void bridgeModeBuysBridgesSellsAndBringsTheProceedsHome() {
    start(OPEN_RISK);
    plantGap();
    run(settings("bridge", Map.of("auto_execute", false)));
    Execution submitted = executeFirst();
    assertEquals(ExecutionStatus.SUBMITTED, submitted.status(), submitted.toString());
    assertEquals(
        List.of(ExecutionStatus.SIMULATED, ExecutionStatus.SUBMITTED),
        submitted.legs().stream().map(LegExecution::status).toList());
    String executionId = submitted.id();
    ExecutionEvent done =
        events.await(
            ExecutionEvent.class,
            e -> e.execution().id().equals(executionId) && e.execution().status().isTerminal());
    Execution execution = done.execution();
    assertEquals(ExecutionStatus.SIMULATED, execution.status(), execution.toString());
    Opportunity o = found(execution.opportunityId());
    assertEquals(4, o.legs().size());
    assertEquals("bridge", o.legs().get(1).dex());
    assertEquals(o.netProfit(), execution.realizedProfit());
    assertEquals(4, execution.legs().size());
    assertTrue(
        execution.legs().stream().allMatch(l -> l.status() == ExecutionStatus.SIMULATED),
        execution.legs().toString());
    List<BotLogEvent> settled =
        events.matching(
            BotLogEvent.class,
            e ->
                e.message().startsWith("layer2.transfer ")
                    && e.message().contains("\"state\":\"settled\""));
    assertEquals(2, settled.size(), settled.toString());
    Map<String, Map<String, BigInteger>> after = inventory();
    // The buy chain spent the input and got the proceeds back less the home bridge's fee; USDC
    // left the buy chain and arrived (less the outbound fee) on the sell chain, which sold it all.
    assertEquals(
        WETH_100.subtract(o.amountIn()).add(o.amountOut()), after.get("42161").get("WETH"));
    assertEquals(USDC_300K, after.get("42161").get("USDC"));
    assertEquals(USDC_300K, after.get("1").get("USDC"));
    assertEquals(WETH_100, after.get("1").get("WETH"));
  }

  @Test
  void aSideThatFallsBelowItsLevelGetsARebalanceProposal() {
    start(OPEN_RISK);
    plantGap();
    run(settings("inventory", Map.of("rebalance_below", Map.of("USDC", 300000))));
    BotLogEvent proposal =
        events.await(BotLogEvent.class, e -> e.message().startsWith("layer2.rebalance_proposal "));
    JsonNode p;
    try {
      p = JSON.readTree(proposal.message().substring("layer2.rebalance_proposal ".length()));
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
    // The L1 sold USDC from its inventory; the L2 got USDC for its WETH: move half the gap.
    assertEquals("USDC", p.get("asset").asText());
    assertEquals(L2, p.get("from_chain").asLong());
    assertEquals(L1, p.get("to_chain").asLong());
    BigInteger l1 = new BigInteger(p.get("balance").asText());
    BigInteger l2 = new BigInteger(p.get("from_balance").asText());
    assertEquals(l2.subtract(l1).divide(BigInteger.TWO), new BigInteger(p.get("amount").asText()));
    assertEquals("canonical", p.get("bridge").asText());
    assertEquals(
        1,
        events
            .matching(BotLogEvent.class, e -> e.message().startsWith("layer2.rebalance_proposal "))
            .size());
  }

  @Test
  void findsWithoutExecutingWhenAutoExecuteIsOffAndExpiresWhatItHadOnStop() {
    start(OPEN_RISK);
    plantGap();
    run(settings("inventory", Map.of("auto_execute", false)));
    OpportunityFoundEvent found =
        events.await(OpportunityFoundEvent.class, e -> "l2".equals(e.botId()));
    assertEquals("cross_layer", found.opportunity().strategy());
    assertNotNull(found.opportunity().netProfitUsd());
    service.stop("l2");
    assertThrows(RehoboamException.class, () -> service.opportunity(found.opportunity().id()));
    assertTrue(events.matching(ExecutionEvent.class, e -> "l2".equals(e.botId())).isEmpty());
  }

  @Test
  void wrongSettingsAreRefusedNamingTheSetting() {
    start(OPEN_RISK);
    Map<String, Object> unknownSource = settings("inventory", Map.of());
    unknownSource.put(
        "chains",
        List.of(Map.of("chain_id", 1, "source", "nope"), Map.of("chain_id", 2, "source", "sim")));
    service.register(BotRegistration.of("bad1", "layer2", Settings.of(unknownSource)));
    BotStatus s1 = service.start("bad1");
    assertTrue(s1.errorMessage().contains("no market source with id 'nope'"), s1.toString());
    // The rest the settings schema refuses at registration, naming the bot and the setting.
    Map<String, Object> oneChain = settings("inventory", Map.of());
    oneChain.put("chains", List.of(Map.of("chain_id", 1, "source", "sim")));
    assertRefused("bad2", oneChain, "bot 'bad2': chains: is required");
    assertRefused(
        "bad3",
        settings("teleport", Map.of()),
        "bot 'bad3': mode: expected one of inventory, bridge");
    Map<String, Object> typo = settings("inventory", Map.of());
    typo.put(
        "chains",
        List.of(
            Map.of("chain_id", 1, "source", "sim", "gas_prize_gwei", 1),
            Map.of("chain_id", 2, "source", "sim")));
    assertRefused("bad4", typo, "bot 'bad4': chains[0].gas_prize_gwei: unknown setting");
    assertEquals(List.of("bad1"), service.bots().stream().map(BotStatus::botId).toList());
  }

  private void assertRefused(String id, Map<String, Object> settings, String message) {
    RehoboamException e =
        assertThrows(
            RehoboamException.class,
            () -> service.register(BotRegistration.of(id, "layer2", Settings.of(settings))));
    assertEquals(io.rehoboam.spi.ErrorCode.INVALID_CONFIG, e.code());
    assertTrue(e.getMessage().startsWith(message), e.getMessage());
  }
}
