package io.rehoboam.core.risk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.core.ArbitrageService;
import io.rehoboam.core.BotRegistration;
import io.rehoboam.core.ExecuteRequest;
import io.rehoboam.core.book.OpportunityFilter;
import io.rehoboam.core.config.ConfigLoader;
import io.rehoboam.core.testing.EventRecorder;
import io.rehoboam.core.testing.MutableClock;
import io.rehoboam.core.testing.RecordingExecutor;
import io.rehoboam.core.testing.ScriptedProvider;
import io.rehoboam.spi.BotContext;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.Settings;
import io.rehoboam.spi.event.ExecutionEvent;
import io.rehoboam.spi.event.RiskEvent;
import io.rehoboam.spi.trade.Execution;
import io.rehoboam.spi.trade.ExecutionStatus;
import io.rehoboam.spi.trade.Leg;
import io.rehoboam.spi.trade.Opportunity;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The risk policy and the execution rules, through the service as an application would use them.
 */
class RiskAndExecutionTest {
  private static final String WETH = "0x" + "c".repeat(40);
  private static final String USDC = "0x" + "a".repeat(40);

  private final MutableClock clock = MutableClock.atEpoch();
  private final RecordingExecutor executor = new RecordingExecutor(clock);
  private final ScriptedProvider provider = new ScriptedProvider();
  private final EventRecorder recorder = new EventRecorder();
  private ArbitrageService service;
  private BotContext publisher;

  private void start(RiskLimits limits) {
    service =
        ArbitrageService.builder()
            .env(Map.of())
            .discoverProviders(false)
            .provider(provider)
            .clock(clock)
            .executor(executor)
            .riskLimits(limits)
            .build();
    service.subscribe(recorder);
    service.initialize();
    service.register(BotRegistration.of("scout", "scripted", Settings.empty()));
    service.start("scout");
    publisher = provider.last().context;
  }

  @AfterEach
  void tearDown() {
    if (service != null) {
      service.close();
    }
  }

  /**
   * An opportunity putting in {@code inputUsd} worth of WETH (1 WETH = 1000 USD) for a net {@code
   * netUsd}.
   */
  private Opportunity opportunity(String id, long inputUsd, String netUsd) {
    BigInteger unit = BigInteger.TEN.pow(15); // 1 USD of WETH at 1000 USD per WETH
    BigInteger in = unit.multiply(BigInteger.valueOf(inputUsd));
    BigInteger gas = unit.divide(BigInteger.TEN);
    BigDecimal net = new BigDecimal(netUsd);
    BigInteger netUnits = net.multiply(new BigDecimal(unit)).toBigIntegerExact();
    BigInteger profit = netUnits.add(gas);
    BigInteger out = in.add(profit);
    BigDecimal profitUsd = net.add(new BigDecimal("0.1"));
    return new Opportunity(
        id,
        "cross_venue",
        null,
        WETH,
        in,
        out,
        profit,
        gas,
        netUnits,
        profitUsd,
        net,
        7,
        clock.instant(),
        clock.instant().plusSeconds(300),
        List.of(
            new Leg(1, "uni", "p1", WETH, USDC, in, BigInteger.valueOf(inputUsd * 1_000_000)),
            new Leg(1, "sushi", "p2", USDC, WETH, BigInteger.valueOf(inputUsd * 1_000_000), out)));
  }

  private Opportunity publish(Opportunity o) {
    publisher.publishOpportunity(o);
    return o;
  }

  private RehoboamException rejected(String id) {
    return assertThrows(
        RehoboamException.class, () -> service.execute(id, ExecuteRequest.defaults()));
  }

  @Test
  void anAllowedExecutionRunsOnceAndIsReported() {
    start(RiskLimits.NONE);
    publish(opportunity("o1", 100, "2.5"));
    Execution e = service.execute("o1", ExecuteRequest.defaults());
    assertEquals(ExecutionStatus.SIMULATED, e.status());
    assertEquals(1, executor.requests.size());
    ExecutionEvent event = (ExecutionEvent) recorder.await(ev -> ev instanceof ExecutionEvent);
    assertEquals(e.id(), event.execution().id());
    RehoboamException again = rejected("o1");
    assertEquals(ErrorCode.ALREADY_EXECUTED, again.code());
    assertEquals(1, executor.requests.size(), "never a second execution");
  }

  @Test
  void anExecutedOpportunityStaysAlreadyExecutedAfterItExpiredOrLeftTheBook() {
    start(RiskLimits.NONE);
    publish(opportunity("o1", 100, "2.5"));
    service.execute("o1", ExecuteRequest.defaults());
    clock.advance(Duration.ofSeconds(301));
    assertEquals(ErrorCode.ALREADY_EXECUTED, rejected("o1").code());
    recorder.await(
        ev ->
            ev instanceof io.rehoboam.spi.event.OpportunityExpiredEvent x
                && x.opportunityId().equals("o1"));
    assertTrue(service.opportunities(OpportunityFilter.all()).isEmpty(), "gone from the book");
    assertEquals(ErrorCode.ALREADY_EXECUTED, rejected("o1").code());
    assertEquals(1, executor.requests.size());
  }

  @Test
  void unknownExpiredAndOversizedRequestsAreRefusedWithTheirCodes() {
    start(RiskLimits.NONE);
    assertEquals(ErrorCode.NOT_FOUND, rejected("nope").code());
    Opportunity o = publish(opportunity("o2", 100, "2.5"));
    RehoboamException tooMuch =
        assertThrows(
            RehoboamException.class,
            () ->
                service.execute(
                    "o2", new ExecuteRequest(o.amountIn().add(BigInteger.ONE), false, null, null)));
    assertEquals(ErrorCode.INVALID_ARGUMENT, tooMuch.code());
    assertTrue(tooMuch.getMessage().startsWith("amount"), tooMuch.getMessage());
    RehoboamException badExecutor =
        assertThrows(
            RehoboamException.class,
            () -> service.execute("o2", new ExecuteRequest(null, false, null, "warp")));
    assertEquals(ErrorCode.NOT_FOUND, badExecutor.code());
    clock.advance(Duration.ofSeconds(300));
    assertEquals(ErrorCode.EXPIRED, rejected("o2").code());
    assertTrue(service.opportunities(OpportunityFilter.all()).isEmpty(), "expired is not listed");
    assertTrue(executor.requests.isEmpty());
  }

  @Test
  void sixteenThreadsExecutingTheSameOpportunityProduceExactlyOneExecution() throws Exception {
    start(RiskLimits.NONE);
    publish(opportunity("race", 100, "2.5"));
    int threads = 16;
    CyclicBarrier barrier = new CyclicBarrier(threads);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    ConcurrentLinkedQueue<ErrorCode> refusals = new ConcurrentLinkedQueue<>();
    AtomicInteger successes = new AtomicInteger();
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        futures.add(
            pool.submit(
                () -> {
                  barrier.await();
                  try {
                    service.execute("race", ExecuteRequest.defaults());
                    successes.incrementAndGet();
                  } catch (RehoboamException e) {
                    refusals.add(e.code());
                  }
                  return null;
                }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(1, successes.get());
    assertEquals(1, executor.requests.size());
    assertEquals(threads - 1, refusals.size());
    assertTrue(
        refusals.stream().allMatch(c -> c == ErrorCode.ALREADY_EXECUTED), refusals.toString());
  }

  @Test
  void theSameIdempotencyKeyReturnsTheSameExecution() throws Exception {
    start(RiskLimits.NONE);
    publish(opportunity("k1", 100, "2.5"));
    publish(opportunity("k2", 100, "2.5"));
    ExecuteRequest keyed = new ExecuteRequest(null, false, "client-key-1", null);
    List<CompletableFuture<Execution>> calls = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      calls.add(service.executeAsync("k1", keyed).toCompletableFuture());
    }
    Execution first = calls.get(0).get();
    for (CompletableFuture<Execution> c : calls) {
      assertEquals(first.id(), c.get().id());
    }
    assertEquals(1, executor.requests.size());
    RehoboamException reused =
        assertThrows(RehoboamException.class, () -> service.execute("k2", keyed));
    assertEquals(ErrorCode.CONFLICT, reused.code());
    assertTrue(reused.getMessage().contains("idempotency_key"));
  }

  @Test
  void aDryRunSimulatesWithoutClaimingTheOpportunity() {
    start(RiskLimits.NONE);
    publish(opportunity("d1", 100, "2.5"));
    Execution dry = service.execute("d1", new ExecuteRequest(null, true, null, null));
    assertEquals(ExecutionStatus.SIMULATED, dry.status());
    assertTrue(executor.requests.get(0).dryRun());
    Execution real = service.execute("d1", ExecuteRequest.defaults());
    assertFalse(real.id().equals(dry.id()));
    assertEquals(2, executor.requests.size());
  }

  @Test
  void maxTradeInputBlocksOnlyWhatIsAboveIt() {
    start(new RiskLimits(new BigDecimal("500"), null, null, null, false));
    publish(opportunity("small", 500, "1"));
    publish(opportunity("big", 501, "1"));
    assertEquals(
        ExecutionStatus.SIMULATED, service.execute("small", ExecuteRequest.defaults()).status());
    RehoboamException e = rejected("big");
    assertEquals(ErrorCode.RISK_REJECTED, e.code());
    assertTrue(e.getMessage().contains("max_trade_input"), e.getMessage());
    // Executing less than the optimum fits under the cap.
    BigInteger half = opportunity("x", 250, "1").amountIn();
    assertEquals(
        ExecutionStatus.SIMULATED,
        service.execute("big", new ExecuteRequest(half, false, null, null)).status());
    RiskEvent reject =
        (RiskEvent)
            recorder.await(ev -> ev instanceof RiskEvent r && r.decision().equals("reject"));
    assertEquals("max_trade_input", reject.limit());
    assertEquals("big", reject.subject());
    ExecutionEvent rejectedExecution =
        (ExecutionEvent)
            recorder.await(
                ev ->
                    ev instanceof ExecutionEvent x
                        && x.execution().status() == ExecutionStatus.REJECTED);
    assertTrue(rejectedExecution.execution().reason().startsWith("max_trade_input"));
  }

  @Test
  void maxTradesPerMinuteIsASlidingWindow() {
    start(new RiskLimits(null, 2, null, null, false));
    for (int i = 1; i <= 4; i++) {
      publish(opportunity("t" + i, 100, "1"));
    }
    service.execute("t1", ExecuteRequest.defaults());
    clock.advance(Duration.ofSeconds(20));
    service.execute("t2", ExecuteRequest.defaults());
    RehoboamException third = rejected("t3");
    assertEquals(ErrorCode.RISK_REJECTED, third.code());
    assertTrue(third.getMessage().contains("max_trades_per_minute"));
    clock.advance(Duration.ofSeconds(41)); // t1 left the window, t2 did not
    service.execute("t3", ExecuteRequest.defaults());
    assertEquals(ErrorCode.RISK_REJECTED, rejected("t4").code());
  }

  @Test
  void minNetProfitRefusesThinOpportunities() {
    start(new RiskLimits(null, null, null, new BigDecimal("2"), false));
    publish(opportunity("thin", 100, "1.99"));
    publish(opportunity("fat", 100, "2"));
    RehoboamException e = rejected("thin");
    assertTrue(e.getMessage().contains("min_net_profit"), e.getMessage());
    assertEquals(
        ExecutionStatus.SIMULATED, service.execute("fat", ExecuteRequest.defaults()).status());
  }

  @Test
  void theKillSwitchStopsExecutionImmediatelyUntilResetAndIsReported() {
    start(RiskLimits.NONE);
    publish(opportunity("a", 100, "1"));
    publish(opportunity("b", 100, "1"));
    service.risk().trip("operator says stop");
    RehoboamException e = rejected("a");
    assertEquals(ErrorCode.RISK_REJECTED, e.code());
    assertTrue(e.getMessage().contains("kill_switch"), e.getMessage());
    assertTrue(executor.requests.isEmpty());
    recorder.await(ev -> ev instanceof RiskEvent r && r.decision().equals("trip"));
    service.risk().reset("operator resumes");
    recorder.await(ev -> ev instanceof RiskEvent r && r.decision().equals("reset"));
    assertEquals(
        ExecutionStatus.SIMULATED, service.execute("a", ExecuteRequest.defaults()).status());
  }

  @Test
  void realizedLossesBeyondTheDailyLimitTripTheKillSwitch() {
    start(new RiskLimits(null, null, new BigDecimal("10"), null, false));
    for (String id : List.of("l1", "l2", "l3")) {
      publish(opportunity(id, 100, "1"));
    }
    executor.realizedUsd = new BigDecimal("-6");
    service.execute("l1", ExecuteRequest.defaults());
    assertFalse(service.risk().isTripped());
    service.execute("l2", ExecuteRequest.defaults());
    assertTrue(service.risk().isTripped(), "12 of losses passed the 10 limit");
    RiskEvent trip =
        (RiskEvent) recorder.await(ev -> ev instanceof RiskEvent r && r.decision().equals("trip"));
    assertEquals("daily_loss_limit", trip.limit());
    assertTrue(rejected("l3").getMessage().contains("kill_switch"));
  }

  @Test
  void theRiskSectionIsReadFromConfigurationWithPreciseErrors() {
    var config =
        ConfigLoader.parse(
            "risk:\n  max_trade_input: 250\n  max_trades_per_minute: 5\n", "r.yaml", Map.of());
    RiskLimits limits = RiskLimits.from(config.risk(), config.source());
    assertEquals(0, new BigDecimal("250").compareTo(limits.maxTradeInput()));
    assertEquals(5, limits.maxTradesPerMinute());
    assertEquals(RiskLimits.DEFAULT.dailyLossLimit(), limits.dailyLossLimit());
    var bad = ConfigLoader.parse("risk:\n  max_trade_inptu: 250\n", "r.yaml", Map.of());
    RehoboamException e =
        assertThrows(RehoboamException.class, () -> RiskLimits.from(bad.risk(), bad.source()));
    assertEquals(ErrorCode.INVALID_CONFIG, e.code());
    assertTrue(
        e.getMessage().startsWith("r.yaml: risk: unknown key 'max_trade_inptu'"), e.getMessage());
    var wrongType =
        ConfigLoader.parse("risk:\n  max_trades_per_minute: many\n", "r.yaml", Map.of());
    RehoboamException t =
        assertThrows(
            RehoboamException.class, () -> RiskLimits.from(wrongType.risk(), wrongType.source()));
    assertTrue(t.getMessage().startsWith("r.yaml: risk.max_trades_per_minute"), t.getMessage());
  }

  @Test
  void aBotExecutesThroughTheSamePolicyAndItsProfitIsCounted() throws Exception {
    start(RiskLimits.NONE);
    publish(opportunity("b1", 100, "3.5"));
    Execution e = publisher.execute("b1", null, null).toCompletableFuture().get();
    assertSame(ExecutionStatus.SIMULATED, e.status());
    assertEquals(0, new BigDecimal("3.5").compareTo(service.bot("scout").totalProfit()));
    assertEquals(1, service.opportunities(OpportunityFilter.all()).size());
    assertEquals("scout", service.opportunities(OpportunityFilter.all()).get(0).sourceBot());
  }
}
