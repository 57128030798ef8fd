package io.rehoboam.bot.layer2.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.bot.layer2.AssetMap;
import io.rehoboam.bot.layer2.BridgeTerms;
import io.rehoboam.bot.layer2.ChainCosts;
import io.rehoboam.bot.layer2.CrossLayerConfig;
import io.rehoboam.bot.layer2.CrossLayerQuote;
import io.rehoboam.bot.layer2.CrossLayerScanner;
import io.rehoboam.bot.layer2.Layer2Mode;
import io.rehoboam.core.internal.NamedThreadFactory;
import io.rehoboam.core.sim.SimConfig;
import io.rehoboam.core.sim.SimMarketSource;
import io.rehoboam.spi.Settings;
import io.rehoboam.spi.market.Pool;
import io.rehoboam.spi.market.Token;
import io.rehoboam.spi.trade.Execution;
import io.rehoboam.spi.trade.ExecutionMode;
import io.rehoboam.spi.trade.ExecutionRequest;
import io.rehoboam.spi.trade.ExecutionStatus;
import io.rehoboam.spi.trade.LegExecution;
import io.rehoboam.spi.trade.Opportunity;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A price that moved between finding and executing: caught by the pre-trade check (nothing sent),
 * or, when another trade lands after the check, a second leg that fails and leaves the first leg's
 * fill as a recorded position, unwound or held as the policy says, never a silent loss.
 */
class DeskFailedLegTest {
  static final long L1 = 1;
  static final long L2 = 42161;

  private final ScheduledThreadPoolExecutor scheduler =
      new ScheduledThreadPoolExecutor(1, new NamedThreadFactory("desk-test"));
  private final Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
  private final FakeBotContext ctx = new FakeBotContext(scheduler, clock);
  private final SimMarketSource sim =
      new SimMarketSource(
          "sim",
          SimConfig.fromSettings(
              Settings.of(
                  Map.of(
                      "seed",
                      11,
                      "pools",
                      120,
                      "chain_ids",
                      List.of(L1, L2),
                      "update_interval",
                      0,
                      "dislocation_probability",
                      0))),
          null,
          clock);

  @AfterEach
  void tearDown() {
    sim.close();
    scheduler.shutdownNow();
  }

  private String token(long chain, String symbol) {
    for (Token t : sim.tokens().values()) {
      if (t.chainId() == chain && t.symbol().equals(symbol)) {
        return t.address();
      }
    }
    throw new AssertionError(symbol);
  }

  private Pool wethUsdc(long chain) {
    String weth = token(chain, "WETH");
    String usdc = token(chain, "USDC");
    return sim.pools().stream()
        .filter(p -> p.chainId() == chain && p.has(weth) && p.has(usdc))
        .findFirst()
        .orElseThrow();
  }

  /** Buys WETH with {@code share} of the USDC reserve of {@code chain}'s first WETH/USDC pool. */
  private void pushWethUp(long chain, int share) {
    pushWethUp(wethUsdc(chain), chain, share);
  }

  /** Buys WETH with {@code share} of the pool's USDC reserve. */
  private void pushWethUp(Pool pool, long chain, int share) {
    String usdc = token(chain, "USDC");
    BigInteger reserve = pool.token0().equals(usdc) ? pool.reserve0() : pool.reserve1();
    assertTrue(
        !sim.swap(pool.id(), usdc, reserve.divide(BigInteger.valueOf(share)), null).reverted());
  }

  /** What another trader does on a chain just before this desk's next swap there lands. */
  private final Map<Long, Runnable> frontRuns = new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * A sim venue where another trader's transaction may land between the desk's pre-trade check and
   * its swap (the same block, ordered first), the one race a check cannot see.
   */
  private final class FrontRunVenue implements ChainVenue {
    private final SimVenue venue;

    FrontRunVenue(SimVenue venue) {
      this.venue = venue;
    }

    @Override
    public long chainId() {
      return venue.chainId();
    }

    @Override
    public boolean live() {
      return false;
    }

    @Override
    public java.util.concurrent.CompletableFuture<LegFill> swap(
        String poolId,
        String dex,
        String tokenIn,
        String tokenOut,
        BigInteger amountIn,
        BigInteger minAmountOut) {
      Runnable first = frontRuns.remove(venue.chainId());
      if (first != null) {
        first.run();
      }
      return venue.swap(poolId, dex, tokenIn, tokenOut, amountIn, minAmountOut);
    }

    @Override
    public Optional<BigInteger> quote(String poolId, String tokenIn, BigInteger amountIn) {
      return venue.quote(poolId, tokenIn, amountIn);
    }

    @Override
    public BigInteger balance(String token) {
      return venue.balance(token);
    }

    @Override
    public void refresh() {}

    @Override
    public void withdraw(String token, BigInteger amount) {
      venue.withdraw(token, amount);
    }

    @Override
    public void deposit(String token, BigInteger amount) {
      venue.deposit(token, amount);
    }

    @Override
    public void close() {}
  }

  private record Setup(
      Desk desk, Opportunity opportunity, CrossLayerQuote quote, Map<Long, ChainVenue> venues) {}

  private Setup setup(Layer2Settings.FailurePolicy policy) {
    AssetMap assets =
        new AssetMap(
            Map.of(
                "WETH", Map.of(L1, token(L1, "WETH"), L2, token(L2, "WETH")),
                "USDC", Map.of(L1, token(L1, "USDC"), L2, token(L2, "USDC"))));
    BridgeTerms bridge =
        new BridgeTerms(
            "canonical", 5, BigInteger.ZERO, 100_000, Duration.ofMinutes(10), BigDecimal.ONE);
    CrossLayerConfig config =
        new CrossLayerConfig(
            assets,
            List.of(
                new ChainCosts(
                    L1, BigInteger.valueOf(2_000_000_000L), 120_000, BigInteger.ZERO, "WETH"),
                new ChainCosts(
                    L2, BigInteger.valueOf(10_000_000L), 120_000, BigInteger.ZERO, "WETH")),
            Map.of("default", bridge),
            Layer2Mode.INVENTORY,
            List.of("WETH"),
            BigInteger.ONE);
    Map<String, BigInteger> start = new HashMap<>();
    BigInteger weth = BigInteger.TEN.pow(20);
    BigInteger usdc = BigInteger.valueOf(300_000_000_000L);
    Map<Long, ChainVenue> venues = new LinkedHashMap<>();
    for (long chain : List.of(L1, L2)) {
      start.clear();
      start.put(token(chain, "WETH"), weth);
      start.put(token(chain, "USDC"), usdc);
      venues.put(chain, new FrontRunVenue(new SimVenue(chain, sim, start, Runnable::run)));
    }
    Layer2Settings settings =
        new Layer2Settings(
            Layer2Mode.INVENTORY,
            "layer2",
            false,
            Duration.ofSeconds(30),
            0,
            policy,
            100,
            List.of(),
            Map.of(),
            List.of(),
            Map.of(),
            List.of(),
            Map.of(),
            BigInteger.ONE,
            null,
            Map.of(),
            null,
            0);
    Desk desk =
        new Desk(ctx, settings, config, venues, assets.asMap(), a -> a.equals("WETH") ? 18 : 6);
    pushWethUp(L2, 30);
    CrossLayerScanner scanner = new CrossLayerScanner(config);
    sim.snapshot().forEach(scanner::apply);
    CrossLayerQuote q =
        scanner
            .scanAll(
                new CrossLayerScanner.Inputs() {
                  @Override
                  public OptionalInt decimals(long chainId, String token) {
                    return OptionalInt.of(sim.tokens().get(token).decimals());
                  }

                  @Override
                  public Optional<BigDecimal> quotePrice(long chainId, String token) {
                    return sim.quotePrice(token);
                  }

                  @Override
                  public BigInteger available(long chainId, String token) {
                    return venues.get(chainId).balance(token);
                  }
                })
            .get(0);
    Opportunity o =
        new Opportunity(
            desk.nextOpportunityId(),
            "cross_layer",
            "desk-test",
            q.startTokenBuy(),
            q.amountIn(),
            q.returned(),
            q.returned().subtract(q.amountIn()),
            q.otherCosts(),
            q.netProfit(),
            null,
            null,
            q.sequence(),
            clock.instant(),
            clock.instant().plusSeconds(30),
            q.legs());
    desk.remember(o, q);
    return new Setup(desk, o, q, venues);
  }

  private static Execution execute(Setup s) {
    return s.desk()
        .execute(
            new ExecutionRequest("ex-1", s.opportunity(), null, false, null), ExecutionMode.PAPER)
        .join();
  }

  /**
   * The price moved between finding and executing (another trader closed the gap first): the desk's
   * check of both legs on the latest state, as a bot simulates its transactions before sending
   * them, sees that the sell leg would miss its minimum and sends nothing. No leg fills, so nothing
   * is unwound and nothing is lost (before, the buy leg filled and was unwound at once for two pool
   * fees: the sim's 10-40 USD losses).
   */
  @Test
  void aPriceThatMovedBeforeSendingIsCaughtByThePreTradeCheckAndNothingTrades() {
    Setup s = setup(Layer2Settings.FailurePolicy.UNWIND);
    CrossLayerQuote q = s.quote();
    pushWethUp(sim.pool(q.sellPool().id()).orElseThrow(), L1, 30);
    long sequence = sim.sequence();
    Execution e = execute(s);
    assertEquals(ExecutionStatus.FAILED, e.status(), e.toString());
    assertTrue(e.reason().startsWith("not sent: the price moved since the quote"), e.reason());
    assertTrue(e.reason().contains("leg 1 on chain 1 would give"), e.reason());
    assertEquals(null, e.realizedProfit(), "nothing traded, nothing realized");
    assertEquals(List.of(), e.legs(), "no leg was sent");
    assertEquals(sequence, sim.sequence(), "the market did not change");
    assertEquals(0, s.desk().positions().size());
    for (long chain : List.of(L1, L2)) {
      assertEquals(BigInteger.TEN.pow(20), s.venues().get(chain).balance(token(chain, "WETH")));
      assertEquals(
          BigInteger.valueOf(300_000_000_000L),
          s.venues().get(chain).balance(token(chain, "USDC")));
    }
  }

  @Test
  void aSecondLegRevertedByAPriceMoveIsUnwoundAndTheLossIsRecorded() {
    Setup s = setup(Layer2Settings.FailurePolicy.UNWIND);
    CrossLayerQuote q = s.quote();
    assertEquals(L2, q.buyChain());
    // Someone closes the gap on L1 first (buys WETH there) in the block the sell leg lands in,
    // after the check: the sell leg's minimum is not met.
    frontRuns.put(L1, () -> pushWethUp(sim.pool(q.sellPool().id()).orElseThrow(), L1, 30));
    Execution e = execute(s);
    assertEquals(ExecutionStatus.FAILED, e.status(), e.toString());
    List<LegExecution> legs = e.legs();
    assertEquals(ExecutionStatus.SIMULATED, legs.get(0).status());
    assertEquals(ExecutionStatus.REVERTED, legs.get(1).status());
    assertTrue(legs.get(1).reason().startsWith("INSUFFICIENT_OUTPUT_AMOUNT"), legs.get(1).reason());
    // The unwind swapped the bought USDC back into WETH on the buy chain.
    assertEquals(3, legs.get(2).index());
    assertEquals(ExecutionStatus.SIMULATED, legs.get(2).status());
    assertTrue(e.reason().contains("unwound on chain 42161"), e.reason());
    // Two pool fees and gas: a loss, recorded as such.
    assertTrue(e.realizedProfit().signum() < 0, e.toString());
    BigInteger weth2 = s.venues().get(L2).balance(q.startTokenBuy());
    assertEquals(BigInteger.TEN.pow(20).add(e.realizedProfit()).add(q.gasCost()), weth2);
    assertEquals(
        BigInteger.valueOf(300_000_000_000L), s.venues().get(L2).balance(q.otherTokenBuy()));
    Desk.Position p = s.desk().positions().get(0);
    assertEquals(PositionState.UNWOUND, p.state());
    assertEquals("unwind", p.policy());
    assertEquals(q.bought(), p.amount());
    assertEquals(0, s.desk().openPositions());
    assertTrue(
        ctx.logs.stream()
            .anyMatch(
                l -> l.startsWith("INFO layer2.position ") && l.contains("\"state\":\"unwound\"")),
        ctx.logs.toString());
  }

  @Test
  void underTheHoldPolicyTheFilledLegIsKeptAsAnOpenPosition() {
    Setup s = setup(Layer2Settings.FailurePolicy.HOLD);
    CrossLayerQuote q = s.quote();
    frontRuns.put(L1, () -> pushWethUp(sim.pool(q.sellPool().id()).orElseThrow(), L1, 30));
    Execution e = execute(s);
    assertEquals(ExecutionStatus.FAILED, e.status());
    assertEquals(2, e.legs().size());
    assertTrue(e.reason().contains("held (policy hold)"), e.reason());
    Desk.Position p = s.desk().positions().get(0);
    assertEquals(PositionState.OPEN, p.state());
    assertEquals(L2, p.chainId());
    assertEquals("USDC", p.asset());
    assertEquals(q.bought(), p.amount());
    assertEquals(1, s.desk().openPositions());
    assertEquals(
        BigInteger.valueOf(300_000_000_000L).add(q.bought()),
        s.venues().get(L2).balance(q.otherTokenBuy()));
    assertTrue(
        ctx.logs.stream()
            .anyMatch(
                l -> l.startsWith("WARN layer2.position ") && l.contains("\"state\":\"open\"")));
  }

  @Test
  void whenBothLegsRevertNothingMovesAndNoPositionIsLeft() {
    Setup s = setup(Layer2Settings.FailurePolicy.UNWIND);
    CrossLayerQuote q = s.quote();
    frontRuns.put(L1, () -> pushWethUp(sim.pool(q.sellPool().id()).orElseThrow(), L1, 30));
    // And the buy chain moves against the buy leg as well.
    frontRuns.put(
        L2,
        () -> {
          Pool pool = sim.pool(q.buyPool().id()).orElseThrow();
          String weth = token(L2, "WETH");
          BigInteger reserve = pool.token0().equals(weth) ? pool.reserve0() : pool.reserve1();
          sim.swap(pool.id(), weth, reserve.divide(BigInteger.valueOf(30)), null);
        });
    Execution e = execute(s);
    assertEquals(ExecutionStatus.REVERTED, e.status(), e.toString());
    assertEquals(0, s.desk().positions().size());
    assertEquals(BigInteger.TEN.pow(20), s.venues().get(L2).balance(q.startTokenBuy()));
  }
}
