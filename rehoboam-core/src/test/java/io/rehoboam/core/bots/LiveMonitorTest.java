package io.rehoboam.core.bots;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.core.book.OpportunityFilter;
import io.rehoboam.core.scan.MarketState;
import io.rehoboam.core.scan.ScanConfig;
import io.rehoboam.core.scan.ScanEngine;
import io.rehoboam.core.scan.TokenPrices;
import io.rehoboam.core.sim.Hop;
import io.rehoboam.core.sim.SimConfig;
import io.rehoboam.core.sim.SimMarketSource;
import io.rehoboam.core.testing.ManualScheduler;
import io.rehoboam.core.testing.MutableClock;
import io.rehoboam.spi.Bot;
import io.rehoboam.spi.BotHealth;
import io.rehoboam.spi.BotSpec;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.Settings;
import io.rehoboam.spi.market.PoolUpdate;
import io.rehoboam.spi.trade.Leg;
import io.rehoboam.spi.trade.Opportunity;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The live monitor against a real simulated market, with its blocking work run inline so that a
 * tick returns only after every update was scanned.
 */
class LiveMonitorTest {
  private static final Duration TTL = Duration.ofSeconds(30);

  private final MutableClock clock = MutableClock.atEpoch();
  private final ManualScheduler scheduler = new ManualScheduler(clock);

  private static SimMarketSource sim(String id, long seed, int pools) {
    return new SimMarketSource(
        id,
        SimConfig.fromSettings(
            Settings.of(
                Map.of(
                    "seed",
                    seed,
                    "pools",
                    pools,
                    "update_interval",
                    "0",
                    "dislocation_probability",
                    0.3))),
        null,
        MutableClock.atEpoch());
  }

  private Bot monitor(RecordingBotContext ctx) {
    return new LiveMonitorProvider()
        .create(new BotSpec("monitor", "live_monitor", null, ctx.settings()), ctx);
  }

  /** What the monitor's book must hold: a fresh full scan of the market as a subscriber sees it. */
  private List<Opportunity> fullScan(SimMarketSource sim, ScanConfig config, TokenPrices prices) {
    MarketState state = new MarketState();
    for (PoolUpdate update : sim.snapshot()) {
      state.apply(update);
    }
    return new ScanEngine(config, clock, prices).fullScan(state);
  }

  /** id -> (amounts, gas, legs): everything but detected_at, which is when each was found. */
  private static Map<String, String> essence(List<Opportunity> opportunities) {
    Map<String, String> out = new TreeMap<>();
    for (Opportunity o : opportunities) {
      out.put(
          o.id(),
          o.strategy()
              + " "
              + o.startToken()
              + " "
              + o.amountIn()
              + " "
              + o.amountOut()
              + " "
              + o.gasCost()
              + " "
              + o.netProfitUsd()
              + " "
              + o.legs());
    }
    return out;
  }

  @Test
  void theBookEqualsAFreshFullScanOfTheSimStateAtRandomCheckpoints() throws Exception {
    SimMarketSource sim = sim("market", 42, 400);
    Settings settings = Settings.of(Map.of("gas_price_gwei", 5, "ttl", "30s"));
    RecordingBotContext ctx = new RecordingBotContext(settings, clock, scheduler, sim);
    TokenPrices prices = sim.tokenPrices();
    ScanConfig config =
        ScanConfig.builder()
            .startTokens(List.copyOf(sim.wethByChain().values()))
            .gasPriceWei(BigInteger.valueOf(5_000_000_000L))
            .ttl(TTL)
            .sourceBot("monitor")
            .build();
    Bot bot = monitor(ctx);
    bot.start();
    Random random = new Random(7);
    int nonEmpty = 0;
    for (int checkpoint = 0; checkpoint < 10; checkpoint++) {
      sim.step(1 + random.nextInt(20));
      List<Opportunity> expected = fullScan(sim, config, prices);
      List<Opportunity> book = ctx.book.query(OpportunityFilter.all().withLimit(10_000));
      assertTrue(
          essence(expected).equals(essence(book)),
          "checkpoint "
              + checkpoint
              + ": "
              + expected.size()
              + " expected, "
              + book.size()
              + " in the book");
      List<String> expectedOrder = expected.stream().map(Opportunity::id).toList();
      List<String> bookOrder = book.stream().map(Opportunity::id).toList();
      assertEquals(
          firstDifference(expectedOrder, bookOrder),
          -1,
          "same order (net profit descending) at checkpoint " + checkpoint);
      if (!book.isEmpty()) {
        nonEmpty++;
      }
      // What was found and not expired since is exactly the book.
      assertEquals(
          essence(book),
          essence(ctx.open()),
          "events agree with the book at checkpoint " + checkpoint);
    }
    assertTrue(nonEmpty >= 3, "the market had opportunities at " + nonEmpty + " checkpoints");
    assertTrue(ctx.heartbeats > 0, "the monitor heartbeats as updates arrive");
    BotHealth health = bot.health();
    assertEquals(BotHealth.Status.UP, health.status());
    assertTrue(health.message().contains("market at sequence " + sim.sequence()), health.message());
    bot.stop(Duration.ofSeconds(1));
  }

  /**
   * After a market-wide move most pairs pay on several pools; the monitor still publishes, per
   * token pair (cyclic: per start token and route), at most {@code max_per_pair} opportunities,
   * sharing no pool, in the book and in the events.
   */
  @Test
  void onAVolatileMarketAtMostMaxPerPairArePublishedPerPair() throws Exception {
    SimMarketSource sim =
        new SimMarketSource(
            "market",
            SimConfig.fromSettings(
                Settings.of(
                    Map.of("seed", 3, "pools", 800, "update_interval", "0", "regime", "volatile"))),
            null,
            MutableClock.atEpoch());
    RecordingBotContext ctx =
        new RecordingBotContext(Settings.of(Map.of("max_per_pair", 2)), clock, scheduler, sim);
    TokenPrices prices = sim.tokenPrices();
    Bot bot = monitor(ctx);
    bot.start();
    ScanConfig config =
        ScanConfig.builder()
            .startTokens(List.copyOf(sim.wethByChain().values()))
            .ttl(TTL)
            .sourceBot("monitor")
            .maxPerPair(2)
            .build();
    int largestGroup = 0;
    for (int checkpoint = 0; checkpoint < 5; checkpoint++) {
      sim.step(5);
      List<Opportunity> book = ctx.book.query(OpportunityFilter.all().withLimit(10_000));
      assertEquals(
          essence(fullScan(sim, config, prices)),
          essence(book),
          "the book is the full scan's selection at checkpoint " + checkpoint);
      assertEquals(essence(book), essence(ctx.open()), "events agree");
      Map<String, List<Opportunity>> groups = new HashMap<>();
      for (Opportunity o : book) {
        java.util.TreeSet<String> pairs = new java.util.TreeSet<>();
        for (Leg leg : o.legs()) {
          String a = leg.tokenIn();
          String b = leg.tokenOut();
          pairs.add(a.compareTo(b) < 0 ? a + "/" + b : b + "/" + a);
        }
        groups
            .computeIfAbsent(o.strategy() + o.startToken() + pairs, k -> new ArrayList<>())
            .add(o);
      }
      for (List<Opportunity> group : groups.values()) {
        assertTrue(group.size() <= 2, "at most max_per_pair per pair: " + group.size());
        java.util.Set<String> pools = new java.util.HashSet<>();
        group.forEach(o -> o.legs().forEach(l -> assertTrue(pools.add(l.poolId()), "shared pool")));
        largestGroup = Math.max(largestGroup, group.size());
      }
      assertTrue(groups.size() >= 20, "a volatile market has many paying pairs: " + groups.size());
    }
    assertEquals(2, largestGroup, "some pair pays twice on disjoint pools");
    bot.stop(Duration.ofSeconds(1));
  }

  private static int firstDifference(List<String> a, List<String> b) {
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      if (!a.get(i).equals(b.get(i))) {
        return i;
      }
    }
    return a.size() == b.size() ? -1 : Math.min(a.size(), b.size());
  }

  @Test
  void anOpportunityInvalidatedByATradeLeavesTheBookWithAReasonNamingThePool() throws Exception {
    SimMarketSource sim = sim("market", 42, 400);
    RecordingBotContext ctx = new RecordingBotContext(Settings.empty(), clock, scheduler, sim);
    Bot bot = monitor(ctx);
    bot.start();
    while (ctx.book.size() == 0) {
      sim.tick();
      assertTrue(sim.sequence() < 500, "an opportunity within 500 ticks");
    }
    Opportunity best = ctx.book.query(OpportunityFilter.all()).get(0);
    assertEquals("monitor", best.sourceBot());
    assertEquals(clock.instant().plus(TTL), best.expiresAt(), "default ttl is 30 s");
    // Someone takes it: the optimal trade closes the gap.
    Leg first = best.legs().get(0);
    List<Hop> route = best.legs().stream().map(l -> new Hop(l.poolId(), l.tokenIn())).toList();
    sim.executeLegs(route, best.amountIn(), null);
    assertTrue(ctx.book.find(best.id()).isEmpty(), "it left the book");
    RecordingBotContext.Expiry expiry =
        ctx.expired.stream()
            .filter(e -> e.opportunityId().equals(best.id()))
            .findFirst()
            .orElseThrow();
    assertTrue(
        expiry.reason().contains("pool ") && expiry.reason().contains("changed at sequence"),
        expiry.reason());
    assertTrue(
        best.legs().stream().anyMatch(l -> expiry.reason().contains(l.poolId())),
        "the reason names one of its pools: " + expiry.reason() + " first leg " + first.poolId());
    bot.stop(Duration.ofSeconds(1));
  }

  @Test
  void stoppingExpiresWhatItPublishedAndUnsubscribes() throws Exception {
    SimMarketSource sim = sim("market", 42, 400);
    RecordingBotContext ctx = new RecordingBotContext(Settings.empty(), clock, scheduler, sim);
    Bot bot = monitor(ctx);
    bot.start();
    while (ctx.book.size() == 0) {
      sim.tick();
      assertTrue(sim.sequence() < 500, "an opportunity within 500 ticks");
    }
    int published = ctx.found.size();
    bot.stop(Duration.ofSeconds(1));
    assertEquals(0, ctx.book.size(), "nothing it published stays in the book");
    assertTrue(ctx.expired.stream().anyMatch(e -> e.reason().equals("monitor stopped")));
    sim.step(50);
    assertEquals(published, ctx.found.size(), "nothing published after stop");
  }

  @Test
  void opportunitiesPastTheirTimeToLiveAreNotExpiredTwice() throws Exception {
    SimMarketSource sim = sim("market", 42, 400);
    RecordingBotContext ctx =
        new RecordingBotContext(Settings.of(Map.of("ttl", "5s")), clock, scheduler, sim);
    Bot bot = monitor(ctx);
    bot.start();
    while (ctx.book.size() == 0) {
      sim.tick();
    }
    List<String> ids =
        ctx.book.query(OpportunityFilter.all()).stream().map(Opportunity::id).toList();
    clock.advance(Duration.ofSeconds(5));
    assertTrue(ctx.book.query(OpportunityFilter.all()).isEmpty(), "past ttl: not listed");
    int expiredBefore = ctx.expired.size();
    sim.step(60);
    bot.stop(Duration.ofSeconds(1));
    assertTrue(
        ctx.expired.subList(expiredBefore, ctx.expired.size()).stream()
            .noneMatch(e -> ids.contains(e.opportunityId())),
        "the service purges timed-out opportunities; the monitor does not expire them again");
  }

  @Test
  void monitorsSeveralSourcesEachWithItsOwnEngine() throws Exception {
    SimMarketSource a = sim("a", 1, 200);
    SimMarketSource b = sim("b", 2, 200);
    RecordingBotContext ctx = new RecordingBotContext(Settings.empty(), clock, scheduler, a, b);
    Bot bot = monitor(ctx);
    bot.start();
    for (int i = 0; i < 300 && !(touches(ctx, a) && touches(ctx, b)); i++) {
      a.tick();
      b.tick();
    }
    assertTrue(touches(ctx, a), "found opportunities in a");
    assertTrue(touches(ctx, b), "found opportunities in b");
    String message = bot.health().message();
    assertTrue(message.contains("a at sequence") && message.contains("b at sequence"), message);
    bot.stop(Duration.ofSeconds(1));
  }

  private static boolean touches(RecordingBotContext ctx, SimMarketSource sim) {
    return ctx.found.stream().anyMatch(o -> sim.pool(o.legs().get(0).poolId()).isPresent());
  }

  @Test
  void onlyTheConfiguredSourcesStrategiesAndStartTokensAreScanned() throws Exception {
    SimMarketSource a = sim("a", 42, 400);
    SimMarketSource b = sim("b", 2, 200);
    RecordingBotContext ctx =
        new RecordingBotContext(
            Settings.of(Map.of("sources", List.of("a"), "strategies", List.of("cyclic"))),
            clock,
            scheduler,
            a,
            b);
    Bot bot = monitor(ctx);
    bot.start();
    for (int i = 0; i < 80; i++) {
      a.tick();
      b.tick();
    }
    assertFalse(ctx.found.isEmpty(), "cycles were found in a");
    assertTrue(ctx.found.stream().allMatch(o -> o.strategy().equals("cyclic")));
    assertFalse(touches(ctx, b), "b is not monitored");
    String weth = a.wethByChain().get(1L);
    assertTrue(
        ctx.found.stream().allMatch(o -> o.startToken().equals(weth)), "cycles start in WETH");
    bot.stop(Duration.ofSeconds(1));
  }

  @Test
  void badSettingsAndUnknownSourcesAreConfigErrorsNamingTheSetting() {
    SimMarketSource sim = sim("market", 42, 200);
    Map<Map<String, Object>, String> cases =
        Map.of(
            Map.of("sources", List.of("nowhere")), "sources",
            Map.of("strategies", List.of("triangular")), "strategy",
            Map.of("max_cycle_length", 5), "max_cycle_length",
            Map.of("max_per_pair", 0), "max_per_pair",
            Map.of("ttl", "soon"), "ttl",
            Map.of("gas_price_gwei", -1), "gas_price_gwei",
            Map.of("min_profit", "lots"), "min_profit",
            Map.of("min_profit_base_units", 0), "min_profit_base_units");
    cases.forEach(
        (settings, field) -> {
          RecordingBotContext ctx =
              new RecordingBotContext(Settings.of(settings), clock, scheduler, sim);
          RehoboamException e = assertThrows(RehoboamException.class, () -> monitor(ctx));
          assertEquals(ErrorCode.INVALID_CONFIG, e.code(), e.getMessage());
          assertTrue(e.getMessage().startsWith(field), settings + " -> " + e.getMessage());
        });
    RecordingBotContext none = new RecordingBotContext(Settings.empty(), clock, scheduler);
    RehoboamException e = assertThrows(RehoboamException.class, () -> monitor(none));
    assertEquals(ErrorCode.INVALID_CONFIG, e.code());
    assertTrue(e.getMessage().contains("no market source"), e.getMessage());
  }

  @Test
  void aStartThatFailsOnOneSourceLeavesNoSubscriptionOnTheOthers() {
    SimMarketSource open = sim("a", 42, 400);
    SimMarketSource closed = sim("b", 2, 200);
    RecordingBotContext ctx =
        new RecordingBotContext(Settings.empty(), clock, scheduler, open, closed);
    Bot bot = monitor(ctx);
    closed.close();
    RehoboamException e = assertThrows(RehoboamException.class, bot::start);
    assertEquals(ErrorCode.SHUTTING_DOWN, e.code());
    int heartbeats = ctx.heartbeats;
    open.step(100);
    assertEquals(heartbeats, ctx.heartbeats, "a is no longer fed to the failed instance");
    assertTrue(ctx.found.stream().noneMatch(o -> o.blockNumber() > 1), "nothing after the failure");
  }

  @Test
  void unknownSettingsAreRefusedByTheSchemaNamingThem() {
    io.rehoboam.spi.RehoboamException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            io.rehoboam.spi.RehoboamException.class,
            () ->
                new io.rehoboam.core.bots.LiveMonitorProvider()
                    .settingsSchema()
                    .validate(Settings.of(Map.of("colour", "blue")), Map.of()));
    assertEquals(io.rehoboam.spi.ErrorCode.INVALID_CONFIG, e.code());
    assertTrue(
        e.getMessage().startsWith("colour: unknown setting (known: sources,"), e::getMessage);
  }

  /** The real sim market, whose reported health the test switches as a lost node would. */
  private static final class FlakySource implements io.rehoboam.spi.market.MarketSource {
    private final SimMarketSource sim;
    volatile io.rehoboam.spi.market.SourceHealth health;

    FlakySource(SimMarketSource sim) {
      this.sim = sim;
      this.health = io.rehoboam.spi.market.SourceHealth.up(null);
    }

    @Override
    public String id() {
      return sim.id();
    }

    @Override
    public io.rehoboam.spi.Subscription subscribe(
        java.util.function.Consumer<PoolUpdate> listener) {
      return sim.subscribe(listener);
    }

    @Override
    public Map<String, io.rehoboam.spi.market.Token> tokens() {
      return sim.tokens();
    }

    @Override
    public java.util.Optional<java.math.BigDecimal> quotePrice(String tokenAddress) {
      return sim.quotePrice(tokenAddress);
    }

    @Override
    public io.rehoboam.spi.market.SourceHealth health() {
      return health;
    }

    @Override
    public void close() {
      sim.close();
    }
  }

  @Test
  void aSourceThatLostItsNodeMakesTheMonitorUnhealthyUntilItIsBack() throws Exception {
    FlakySource source = new FlakySource(sim("market", 42, 200));
    RecordingBotContext ctx = new RecordingBotContext(Settings.empty(), clock, scheduler, source);
    Bot bot = monitor(ctx);
    bot.start();
    assertEquals(io.rehoboam.spi.BotHealth.Status.UP, bot.health().status());
    source.health = io.rehoboam.spi.market.SourceHealth.down("connection refused; retrying in 2 s");
    io.rehoboam.spi.BotHealth down = bot.health();
    assertEquals(io.rehoboam.spi.BotHealth.Status.DOWN, down.status());
    assertEquals("source market is down: connection refused; retrying in 2 s", down.message());
    source.health = io.rehoboam.spi.market.SourceHealth.up(clock.instant());
    assertEquals(io.rehoboam.spi.BotHealth.Status.UP, bot.health().status());
    bot.stop(Duration.ofSeconds(1));
  }
}
