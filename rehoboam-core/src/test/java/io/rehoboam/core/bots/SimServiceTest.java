package io.rehoboam.core.bots;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.core.ArbitrageService;
import io.rehoboam.core.BotRegistration;
import io.rehoboam.core.book.OpportunityFilter;
import io.rehoboam.core.config.ConfigLoader;
import io.rehoboam.core.scan.MarketState;
import io.rehoboam.core.scan.ScanConfig;
import io.rehoboam.core.scan.ScanEngine;
import io.rehoboam.core.scan.TokenPrices;
import io.rehoboam.core.sim.SimMarketSource;
import io.rehoboam.core.testing.EventRecorder;
import io.rehoboam.core.testing.MutableClock;
import io.rehoboam.spi.Settings;
import io.rehoboam.spi.event.BotState;
import io.rehoboam.spi.event.Event;
import io.rehoboam.spi.event.ExecutionEvent;
import io.rehoboam.spi.event.OpportunityExpiredEvent;
import io.rehoboam.spi.event.OpportunityFoundEvent;
import io.rehoboam.spi.trade.Execution;
import io.rehoboam.spi.trade.ExecutionMode;
import io.rehoboam.spi.trade.ExecutionRequest;
import io.rehoboam.spi.trade.ExecutionStatus;
import io.rehoboam.spi.trade.Opportunity;
import io.rehoboam.spi.trade.TradeExecutor;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The built-in sim source, paper executor, live monitor and real executor, found by discovery and
 * configured as a user would, running in a real service.
 */
class SimServiceTest {
  private static final String CONFIG =
      """
      sources:
        market: {type: sim, seed: 42, pools: 400, update_interval: 0, dislocation_probability: 0.3}
      executors:
        paper: {type: paper}
      risk:
        max_trade_input: 100000000
        max_trades_per_minute: 100000
      """;

  private final MutableClock clock = MutableClock.atEpoch();
  private final EventRecorder recorder = new EventRecorder();
  private ArbitrageService service;
  private SimMarketSource sim;

  private void start(String yaml, TradeExecutor... extra) {
    ArbitrageService.Builder builder =
        ArbitrageService.builder()
            .config(ConfigLoader.parse(yaml, "test.yaml", Map.of()))
            .env(Map.of())
            .clock(clock);
    for (TradeExecutor executor : extra) {
      builder.executor(executor);
    }
    service = builder.build();
    service.subscribe(recorder);
    service.initialize();
    sim = (SimMarketSource) service.marketSource("market");
  }

  private void run(String botId, String type, Map<String, Object> settings) {
    service.register(BotRegistration.of(botId, type, Settings.of(settings)));
    assertEquals(BotState.RUNNING, service.start(botId).status(), service.bot(botId).toString());
  }

  @AfterEach
  void tearDown() {
    if (service != null) {
      service.close();
    }
  }

  private static Map<String, String> essence(List<Opportunity> opportunities) {
    return opportunities.stream()
        .collect(
            Collectors.toMap(
                Opportunity::id,
                o -> o.amountIn() + " " + o.amountOut() + " " + o.gasCost() + " " + o.legs()));
  }

  /** Waits until the condition holds, checking it again after each event. */
  private void awaitTrue(BooleanSupplier condition) {
    // The recorder tests its predicate on every recorded event: check the condition once a pass.
    Event first = recorder.events().get(0);
    recorder.await(e -> e == first && condition.getAsBoolean());
  }

  /**
   * Waits (event by event: the monitor scans on a worker thread) until the service's book equals a
   * fresh full scan of the sim as it is now; returns its size.
   */
  private int awaitCaughtUp(ScanConfig config, TokenPrices prices) {
    MarketState state = new MarketState();
    sim.snapshot().forEach(state::apply);
    Map<String, String> expected = essence(new ScanEngine(config, clock, prices).fullScan(state));
    awaitTrue(
        () ->
            essence(service.opportunities(OpportunityFilter.all().withLimit(10_000)))
                .equals(expected));
    return expected.size();
  }

  @Test
  void theBuiltInsAreDiscovered() {
    start(CONFIG);
    assertTrue(service.botTypes().containsAll(List.of("live_monitor", "real_executor")));
    assertEquals(List.of("market"), service.marketSourceIds());
    assertEquals(List.of("paper"), service.executorIds());
  }

  @Test
  void theServiceBookFollowsAFreshFullScanOfTheSimAndTimedOutOpportunitiesLeaveIt() {
    start(CONFIG);
    TokenPrices prices = sim.tokenPrices();
    run("monitor", "live_monitor", Map.of("gas_price_gwei", 5, "ttl", "30s"));
    ScanConfig config =
        ScanConfig.builder()
            .startTokens(List.copyOf(sim.wethByChain().values()))
            .gasPriceWei(BigInteger.valueOf(5_000_000_000L))
            .ttl(Duration.ofSeconds(30))
            .build();
    int nonEmpty = 0;
    for (int checkpoint = 0; checkpoint < 4; checkpoint++) {
      sim.step(15);
      nonEmpty += awaitCaughtUp(config, prices) > 0 ? 1 : 0;
    }
    assertTrue(nonEmpty > 0, "the market had opportunities");
    List<Opportunity> book = service.opportunities(OpportunityFilter.all().withLimit(10_000));
    awaitTrue(
        () ->
            recorder.events().stream()
                    .filter(
                        x -> x instanceof OpportunityFoundEvent f && f.botId().equals("monitor"))
                    .count()
                == service.bot("monitor").opportunitiesFound());

    clock.advance(Duration.ofSeconds(30));
    assertTrue(service.opportunities(OpportunityFilter.all()).isEmpty(), "past ttl: not listed");
    Set<String> ids = book.stream().map(Opportunity::id).collect(Collectors.toSet());
    awaitTrue(
        () ->
            recorder.events().stream()
                    .filter(
                        x ->
                            x instanceof OpportunityExpiredEvent ex
                                && ex.reason().equals("expired")
                                && ids.contains(ex.opportunityId()))
                    .count()
                == ids.size());
    long twice =
        ids.stream()
            .filter(
                id ->
                    recorder.events().stream()
                            .filter(
                                x ->
                                    x instanceof OpportunityExpiredEvent ex
                                        && ex.opportunityId().equals(id))
                            .count()
                        > 1)
            .count();
    assertEquals(0, twice, "each opportunity expires once");
  }

  @Test
  void opportunitiesAreFilteredAndSortedByNetProfit() {
    start(CONFIG);
    TokenPrices prices = sim.tokenPrices();
    run("monitor", "live_monitor", Map.of());
    sim.step(40);
    awaitCaughtUp(
        ScanConfig.builder().startTokens(List.copyOf(sim.wethByChain().values())).build(), prices);
    List<Opportunity> all = service.opportunities(OpportunityFilter.all().withLimit(10_000));
    for (int i = 1; i < all.size(); i++) {
      assertTrue(
          all.get(i - 1).netProfitUsd().compareTo(all.get(i).netProfitUsd()) >= 0,
          "best first by net profit");
    }
    assertEquals(all.subList(0, 3), service.opportunities(OpportunityFilter.all().withLimit(3)));
    List<Opportunity> cycles =
        service.opportunities(new OpportunityFilter("cyclic", null, null, 10_000));
    assertTrue(cycles.stream().allMatch(o -> o.strategy().equals("cyclic")));
    assertEquals(all.stream().filter(o -> o.strategy().equals("cyclic")).count(), cycles.size());
    BigDecimal median = all.get(all.size() / 2).netProfitUsd();
    List<Opportunity> rich =
        service.opportunities(new OpportunityFilter(null, median, null, 10_000));
    assertTrue(rich.stream().allMatch(o -> o.netProfitUsd().compareTo(median) >= 0));
    assertFalse(rich.isEmpty());
    String token = all.get(0).legs().get(0).tokenOut();
    List<Opportunity> touching =
        service.opportunities(new OpportunityFilter(null, null, token, 10_000));
    assertTrue(touching.contains(all.get(0)));
    assertTrue(
        touching.stream()
            .allMatch(
                o ->
                    o.legs().stream()
                        .anyMatch(l -> l.tokenIn().equals(token) || l.tokenOut().equals(token))));
  }

  private List<Execution> executions(String botId) {
    return recorder.events().stream()
        .filter(e -> e instanceof ExecutionEvent x && botId.equals(x.botId()))
        .map(e -> ((ExecutionEvent) e).execution())
        .toList();
  }

  private static BigDecimal realizedSum(List<Execution> executions) {
    return executions.stream()
        .filter(x -> x.status() == ExecutionStatus.SIMULATED && x.realizedProfitUsd() != null)
        .map(Execution::realizedProfitUsd)
        .reduce(BigDecimal.ZERO, BigDecimal::add);
  }

  @Test
  void theRealExecutorPaperTradesWhatTheMonitorFindsAndCountsItsProfit() {
    start(CONFIG);
    run("monitor", "live_monitor", Map.of("gas_price_gwei", 5));
    run("trader", "real_executor", Map.of());
    long before = sim.sequence();
    sim.step(30);
    Event done =
        recorder.await(
            e ->
                e instanceof ExecutionEvent x
                    && x.botId().equals("trader")
                    && x.execution().status() == ExecutionStatus.SIMULATED
                    && x.execution().realizedProfit().signum() > 0);
    Execution execution = ((ExecutionEvent) done).execution();
    assertTrue(execution.realizedProfitUsd().signum() > 0, "a paper trade made money");
    assertTrue(
        sim.sequence() > before + 30,
        "the paper trade moved the sim market: a sequence of its own besides the 30 ticks");
    service.stop("trader");
    awaitTrue(
        () ->
            realizedSum(executions("trader"))
                    .setScale(
                        io.rehoboam.core.BotStatus.PROFIT_SCALE, java.math.RoundingMode.HALF_EVEN)
                    .compareTo(service.bot("trader").totalProfit())
                == 0);
    assertTrue(service.bot("trader").totalProfit().signum() > 0);
    assertTrue(
        executions("trader").stream()
            .noneMatch(
                x ->
                    x.status() == ExecutionStatus.FAILED || x.status() == ExecutionStatus.REJECTED),
        () ->
            "nothing failed or was refused: "
                + executions("trader").stream()
                    .filter(
                        x ->
                            x.status() == ExecutionStatus.FAILED
                                || x.status() == ExecutionStatus.REJECTED)
                    .toList());
  }

  @Test
  void theRealExecutorHonoursItsFilterAndTheRiskPolicyWithoutFloodingItsLog() {
    start(CONFIG);
    run("monitor", "live_monitor", Map.of());
    run("cycles", "real_executor", Map.of("strategies", List.of("cyclic")));
    sim.step(30);
    awaitTrue(() -> !executions("cycles").isEmpty());
    service.stop("cycles");
    for (Execution x : executions("cycles")) {
      assertTrue(x.opportunityId().startsWith("cy-"), "only cycles: " + x.opportunityId());
    }

    service.risk().trip("test");
    run("blocked", "real_executor", Map.of());
    sim.step(30);
    awaitTrue(
        () ->
            service
                .bot("blocked")
                .health()
                .message()
                .matches(".*rejected by the risk policy [1-9]\\d{1,}.*"));
    assertTrue(
        executions("blocked").stream().allMatch(x -> x.status() == ExecutionStatus.REJECTED));
    List<String> logs = service.logs("blocked", 1000);
    long rejectionLines =
        logs.stream().filter(l -> l.contains("rejected by the risk policy")).count();
    assertTrue(
        rejectionLines >= 1 && rejectionLines <= 3, "a few lines, not one per refusal: " + logs);
    service.stop("blocked");

    service.risk().reset("test");
    run("picky", "real_executor", Map.of("min_profit", 1_000_000_000));
    sim.step(30);
    awaitTrue(() -> service.bot("picky").health().message().matches(".*filtered out [1-9].*"));
    assertTrue(executions("picky").isEmpty(), "nothing clears a billion");
  }

  /** An executor whose executions finish only when the test lets them. */
  private final class GateExecutor implements TradeExecutor {
    final List<ExecutionRequest> requests = new CopyOnWriteArrayList<>();
    final List<CompletableFuture<Execution>> pending = new CopyOnWriteArrayList<>();

    @Override
    public String id() {
      return "gate";
    }

    @Override
    public ExecutionMode mode() {
      return ExecutionMode.PAPER;
    }

    @Override
    public CompletionStage<Execution> execute(ExecutionRequest request) {
      requests.add(request);
      CompletableFuture<Execution> result = new CompletableFuture<>();
      pending.add(result);
      return result;
    }

    void releaseAll() {
      for (int i = 0; i < pending.size(); i++) {
        ExecutionRequest r = requests.get(i);
        pending
            .get(i)
            .complete(
                Execution.simulated(
                        r.executionId(),
                        r.opportunity().id(),
                        ExecutionMode.PAPER,
                        r.opportunity().netProfit(),
                        r.opportunity().netProfit(),
                        clock.instant(),
                        clock.instant())
                    .withRealized(r.opportunity().netProfit(), r.opportunity().netProfitUsd()));
      }
    }

    @Override
    public void close() {}
  }

  @Test
  void whileItsExecutionsAreInFlightTheRealExecutorSkipsRatherThanQueues() {
    GateExecutor gate = new GateExecutor();
    start(CONFIG, gate);
    run("monitor", "live_monitor", Map.of());
    run("trader", "real_executor", Map.of("executor", "gate", "max_in_flight", 2, "max_input", 1));
    sim.step(30);
    awaitTrue(
        () -> service.bot("trader").health().message().matches(".*skipped while busy [1-9].*"));
    assertEquals(2, gate.requests.size(), "two in flight, the rest skipped");
    for (ExecutionRequest r : gate.requests) {
      Opportunity o = r.opportunity();
      assertTrue(r.amountIn() != null && r.amountIn().compareTo(o.amountIn()) < 0, "capped input");
      BigDecimal value =
          o.profitUsd()
              .multiply(new BigDecimal(r.amountIn()))
              .divide(new BigDecimal(o.profit()), java.math.MathContext.DECIMAL64);
      assertTrue(value.compareTo(BigDecimal.ONE) <= 0, "worth at most max_input: " + value);
    }
    gate.releaseAll();
    sim.step(30);
    awaitTrue(() -> gate.requests.size() > 2);
    assertTrue(service.bot("trader").totalProfit().signum() > 0, "released executions counted");
  }
}
