package io.rehoboam.evm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.rehoboam.core.ArbitrageService;
import io.rehoboam.core.BotRegistration;
import io.rehoboam.core.ExecuteRequest;
import io.rehoboam.core.config.ConfigLoader;
import io.rehoboam.core.internal.NamedThreadFactory;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.Settings;
import io.rehoboam.spi.event.BotState;
import io.rehoboam.spi.event.ExecutionEvent;
import io.rehoboam.spi.event.OpportunityFoundEvent;
import io.rehoboam.spi.market.MarketSource;
import io.rehoboam.spi.trade.Execution;
import io.rehoboam.spi.trade.ExecutionStatus;
import io.rehoboam.spi.trade.Leg;
import io.rehoboam.spi.trade.Opportunity;
import io.rehoboam.testsupport.AnvilNode;
import io.rehoboam.testsupport.ArbitrageWorld;
import io.rehoboam.testsupport.ChainClient;
import io.rehoboam.testsupport.UniswapV2;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The whole path on a real local chain: the evm source and executor configured in a service as a
 * user would, the built-in live_monitor finding the planted opportunities and real_executor trading
 * them through the executor contract.
 */
class EvmServiceIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String KEY_ENV = "TEST_TRADER_KEY";
  private AnvilNode node;
  private ChainClient deployer;
  private ChainClient trader;
  private ArbitrageWorld world;
  private String contract;
  private ArbitrageService service;
  private final Events events = new Events();

  @BeforeEach
  void deploy() {
    node = AnvilNode.start();
    deployer = ChainClient.connect(node, 0);
    trader = ChainClient.connect(node, 1);
    world = ArbitrageWorld.deploy(deployer);
    contract = trader.deploy(ExecutorContract.creationCode());
    deployer.transfer(
        world.base(), trader.address(), ArbitrageWorld.ONE.multiply(BigInteger.valueOf(100)));
    trader.approve(world.base(), contract, BigInteger.TWO.pow(255));
  }

  @AfterEach
  void stop() {
    if (service != null) {
      service.close();
    }
    if (trader != null) {
      trader.close();
    }
    if (deployer != null) {
      deployer.close();
    }
    if (node != null) {
      node.close();
    }
  }

  /** Two sources with disjoint pools: the cross-venue pair, and the planted cycle. */
  private Map<String, Object> config(String url) {
    Map<String, Object> cv = source(url);
    cv.put(
        "pools",
        List.of(world.baseUsdA(), Map.of("address", world.baseUsdB(), "dex", "sushiswap")));
    Map<String, Object> cy = source(url);
    cy.put("pools", List.of(world.baseX(), world.xY(), world.yBase()));
    Map<String, Object> executor = new LinkedHashMap<>();
    executor.put("type", "evm");
    executor.put("rpc_url", node.rpcUrl());
    executor.put("chain_id", 31337);
    executor.put("live", true);
    executor.put("submission", "public");
    executor.put("private_key_env", KEY_ENV);
    executor.put("contract", contract);
    executor.put("receipt_poll_interval", "10ms");
    executor.put("priority_fee_per_gas", 0);
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("sources", Map.of("cv", cv, "cy", cy));
    config.put("executors", Map.of("chain", executor));
    config.put("risk", Map.of("max_trade_input", 1_000_000_000, "max_trades_per_minute", 100_000));
    return config;
  }

  private Map<String, Object> source(String url) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("type", "evm");
    s.put("rpc_url", url);
    s.put("chain_id", 31337);
    s.put("poll_interval", "20ms");
    s.put("backoff_initial", "50ms");
    s.put("backoff_max", "200ms");
    s.put("quote_prices", Map.of(world.base(), 1));
    return s;
  }

  private void startService(Map<String, Object> config) throws Exception {
    Map<String, String> env = Map.of(KEY_ENV, node.privateKeys().get(1));
    service =
        ArbitrageService.builder()
            .config(
                ConfigLoader.parse(
                    new ObjectMapper().writeValueAsString(config), "evm-test.yaml", Map.of()))
            .env(env)
            .marketSourceProvider(new EvmMarketSourceProvider())
            .executorProvider(new EvmTradeExecutorProvider())
            .build();
    service.subscribe(events);
    service.initialize();
  }

  private void startBot(String id, String type, Map<String, Object> settings) {
    service.register(BotRegistration.of(id, type, Settings.of(settings)));
    assertEquals(BotState.RUNNING, service.start(id).status());
  }

  private void startMonitor() {
    startBot("monitor", "live_monitor", Map.of("start_tokens", List.of(world.base()), "ttl", "5m"));
  }

  private BigInteger baseBalance() {
    return trader.balanceOf(world.base(), trader.address());
  }

  /**
   * What the transaction of an execution did to the trader's base balance, read by the test from
   * the chain: the balance at the end of its block minus the balance at the end of the block before
   * (automine puts every transaction in a block of its own).
   */
  private BigInteger balanceChange(Execution execution) {
    long block = trader.awaitReceipt(execution.txHashes().get(0)).getBlockNumber().longValueExact();
    return trader
        .balanceOfAt(world.base(), trader.address(), block)
        .subtract(trader.balanceOfAt(world.base(), trader.address(), block - 1));
  }

  private static Set<String> pools(Opportunity o) {
    return o.legs().stream()
        .map(Leg::poolId)
        .map(id -> id.substring(id.indexOf(':') + 1))
        .collect(Collectors.toSet());
  }

  private Opportunity awaitFound(int from, String strategy, Set<String> pools) {
    return events
        .await(
            from,
            OpportunityFoundEvent.class,
            e ->
                e.opportunity().strategy().equals(strategy) && pools(e.opportunity()).equals(pools),
            WAIT)
        .opportunity();
  }

  private Execution awaitExecution(String opportunityId) {
    return events
        .await(
            0, ExecutionEvent.class, e -> e.execution().opportunityId().equals(opportunityId), WAIT)
        .execution();
  }

  /** The engine's prediction for the chain as it is: the same path in a fresh full scan. */
  private Opportunity predicted(String strategy, Set<String> pools) {
    return ChainWorld.scan(trader, world).stream()
        .filter(o -> o.strategy().equals(strategy) && pools(o).equals(pools))
        .findFirst()
        .orElseThrow(() -> new AssertionError("the engine sees no such opportunity"));
  }

  @Test
  void liveMonitorFindsThePlantedOpportunitiesAndRealExecutorTradesThemForExactlyTheirProfit()
      throws Exception {
    Set<String> crossPools = Set.of(world.baseUsdA(), world.baseUsdB());
    Set<String> cyclePools = Set.of(world.baseX(), world.xY(), world.yBase());
    Opportunity crossPredicted = predicted("cross_venue", crossPools);
    Opportunity cyclePredicted = predicted("cyclic", cyclePools);
    BigInteger before = baseBalance();
    // Over a WebSocket each update carries the block of its Sync log (see the restart test for
    // why polled block tags on anvil can be one block early).
    startService(config(node.wsUrl()));
    // The trader listens first: real_executor takes the opportunities published after it starts.
    startBot("trader", "real_executor", Map.of("executor", "chain", "max_in_flight", 4));
    startMonitor();
    Opportunity cross = awaitFound(0, "cross_venue", crossPools);
    Opportunity cycle = awaitFound(0, "cyclic", cyclePools);
    for (Opportunity[] pair :
        List.of(
            new Opportunity[] {cross, crossPredicted}, new Opportunity[] {cycle, cyclePredicted})) {
      assertEquals(pair[1].amountIn(), pair[0].amountIn());
      assertEquals(pair[1].amountOut(), pair[0].amountOut());
      assertEquals(pair[1].legs(), pair[0].legs());
      assertTrue(pair[0].profit().signum() > 0);
    }
    Execution crossDone = awaitExecution(cross.id());
    Execution cycleDone = awaitExecution(cycle.id());
    assertEquals(ExecutionStatus.CONFIRMED, crossDone.status(), crossDone.reason());
    assertEquals(ExecutionStatus.CONFIRMED, cycleDone.status(), cycleDone.reason());
    assertEquals(cross.profit(), balanceChange(crossDone), "cross-venue, to the wei");
    assertEquals(cycle.profit(), balanceChange(cycleDone), "cyclic, to the wei");
    assertTrue(baseBalance().compareTo(before.add(cross.profit()).add(cycle.profit())) >= 0);
    assertEquals(cross.netProfit(), crossDone.realizedProfit());
    assertEquals(cycle.netProfit(), cycleDone.realizedProfit());

    // The update path: a swap moves base/usd on venue A; the monitor finds the new dislocation at
    // the swap's block and the bot trades it.
    int mark = events.size();
    long swapBlock =
        UniswapV2.swapExactTokensForTokens(
                deployer,
                world.dexA(),
                ArbitrageWorld.ONE.multiply(BigInteger.valueOf(40_000)),
                List.of(world.usd(), world.base()))
            .getBlockNumber()
            .longValueExact();
    Opportunity moved =
        events
            .await(
                mark,
                OpportunityFoundEvent.class,
                e ->
                    e.opportunity().strategy().equals("cross_venue")
                        && e.opportunity().blockNumber() == swapBlock,
                WAIT)
            .opportunity();
    Execution movedDone = awaitExecution(moved.id());
    assertEquals(ExecutionStatus.CONFIRMED, movedDone.status(), movedDone.reason());
    assertEquals(moved.profit(), balanceChange(movedDone), "to the wei");

    RehoboamException again =
        assertThrows(
            RehoboamException.class, () -> service.execute(moved.id(), ExecuteRequest.defaults()));
    assertTrue(
        Set.of(ErrorCode.ALREADY_EXECUTED, ErrorCode.NOT_FOUND).contains(again.code()),
        again.toString());
  }

  @Test
  void aSecondAttemptOfTheSameOpportunityIsRefused() throws Exception {
    startService(config(node.rpcUrl()));
    startMonitor();
    Opportunity cross = awaitFound(0, "cross_venue", Set.of(world.baseUsdA(), world.baseUsdB()));
    BigInteger before = baseBalance();
    CompletableFuture<Execution> first =
        service.executeAsync(cross.id(), ExecuteRequest.defaults()).toCompletableFuture();
    CompletableFuture<Execution> second =
        service.executeAsync(cross.id(), ExecuteRequest.defaults()).toCompletableFuture();
    ExecutionException refused =
        assertThrows(ExecutionException.class, () -> second.get(30, TimeUnit.SECONDS));
    assertEquals(ErrorCode.ALREADY_EXECUTED, ((RehoboamException) refused.getCause()).code());
    Execution done = first.get(30, TimeUnit.SECONDS);
    assertEquals(ExecutionStatus.CONFIRMED, done.status(), done.reason());
    assertEquals(cross.profit(), baseBalance().subtract(before));
    RehoboamException later =
        assertThrows(
            RehoboamException.class, () -> service.execute(cross.id(), ExecuteRequest.defaults()));
    assertTrue(
        Set.of(ErrorCode.ALREADY_EXECUTED, ErrorCode.NOT_FOUND).contains(later.code()),
        later.toString());
  }

  @Test
  void overAWebSocketASyncLogBecomesAPublishedOpportunity() throws Exception {
    startService(config(node.wsUrl()));
    startMonitor();
    awaitFound(0, "cross_venue", Set.of(world.baseUsdA(), world.baseUsdB()));
    awaitFound(0, "cyclic", Set.of(world.baseX(), world.xY(), world.yBase()));
    Updates updates = new Updates();
    service.marketSource("cy").subscribe(updates);
    List<Long> micros = new ArrayList<>();
    List<Long> fromSync = new ArrayList<>();
    for (int i = 1; i <= 8; i++) {
      // Each swap pushes x/y further, so each gives the planted cycle a new, larger dislocation.
      String swap =
          UniswapV2.prepareSwapOnPair(
              deployer, world.xY(), world.y(), ArbitrageWorld.ONE.multiply(BigInteger.valueOf(3)));
      int mark = events.size();
      long sent = System.nanoTime();
      String hash = deployer.sendRaw(world.xY(), swap, BigInteger.ZERO);
      long block = deployer.awaitReceipt(hash).getBlockNumber().longValueExact();
      long arrived =
          events.awaitArrival(
              mark,
              OpportunityFoundEvent.class,
              e ->
                  e.opportunity().blockNumber() == block
                      && pools(e.opportunity()).contains(world.xY()),
              WAIT);
      micros.add((arrived - sent) / 1_000);
      updates.await(
          0, 1, u -> u.sequence() == block && u.pool().address().equals(world.xY()), WAIT);
      long synced =
          updates.arrivalOf(0, u -> u.sequence() == block && u.pool().address().equals(world.xY()));
      fromSync.add((arrived - synced) / 1_000);
    }
    System.out.println(
        "[measure] swap sent (eth_sendRawTransaction) to opportunity.found over a WebSocket Sync"
            + " subscription (us): "
            + micros
            + "; from the Sync log's PoolUpdate to opportunity.found (us): "
            + fromSync);
    assertTrue(service.marketSource("cy").health().up());
  }

  @Test
  void closingTheServiceLeavesNoRehoboamThreadAndNoNewNonDaemonThread() throws Exception {
    Set<Thread> nonDaemonBefore = nonDaemonThreads();
    startService(config(node.wsUrl()));
    startMonitor();
    Opportunity cross = awaitFound(0, "cross_venue", Set.of(world.baseUsdA(), world.baseUsdB()));
    assertEquals(
        ExecutionStatus.CONFIRMED, service.execute(cross.id(), ExecuteRequest.defaults()).status());
    service.close();
    service = null;
    events.awaitTrue(
        "rehoboam threads to end",
        () ->
            Thread.getAllStackTraces().keySet().stream()
                .noneMatch(
                    t ->
                        t.isAlive()
                            && t.getName().startsWith(NamedThreadFactory.PREFIX)
                            && !t.getName().startsWith(NamedThreadFactory.PREFIX + "test")),
        Duration.ofSeconds(10));
    Set<Thread> leftover = nonDaemonThreads();
    leftover.removeAll(nonDaemonBefore);
    assertEquals(Set.of(), leftover);
  }

  private static Set<Thread> nonDaemonThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && !t.isDaemon())
        .collect(Collectors.toSet());
  }

  @Test
  void whenTheNodePolledOverHttpDiesTheSourceReportsDownThenRecoversAndTradingGoesOn()
      throws Exception {
    nodeRestart(node.rpcUrl());
  }

  @Test
  void whenTheNodeFollowedOverAWebSocketDiesTheSourceReconnectsAndTradingGoesOn() throws Exception {
    nodeRestart(node.wsUrl());
  }

  private void nodeRestart(String url) throws Exception {
    startService(config(url));
    startMonitor();
    awaitFound(0, "cross_venue", Set.of(world.baseUsdA(), world.baseUsdB()));
    MarketSource cv = service.marketSource("cv");
    assertTrue(cv.health().up());

    node.stop();
    events.awaitTrue("the source to report down", () -> !cv.health().up(), WAIT);
    assertFalse(cv.health().message().isBlank());
    assertEquals(BotState.RUNNING, service.bot("monitor").status());

    node.restart();
    events.awaitTrue("the source to recover", () -> cv.health().up(), WAIT);
    int mark = events.size();
    try (ChainClient again = ChainClient.connect(node, 0)) {
      long swapBlock =
          UniswapV2.swapExactTokensForTokens(
                  again,
                  world.dexB(),
                  ArbitrageWorld.ONE.multiply(BigInteger.valueOf(5)),
                  List.of(world.base(), world.usd()))
              .getBlockNumber()
              .longValueExact();
      // A poll racing the swap's block may be answered with its state one block early (anvil).
      Opportunity next =
          events
              .await(
                  mark,
                  OpportunityFoundEvent.class,
                  e ->
                      e.opportunity().blockNumber() >= swapBlock - 1
                          && pools(e.opportunity()).contains(world.baseUsdB()),
                  WAIT)
              .opportunity();
      assertFalse(next.legs().isEmpty());
    }
    assertEquals(BotState.RUNNING, service.bot("monitor").status());
  }
}
