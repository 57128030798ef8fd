package io.rehoboam.core.bots;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.core.testing.ManualScheduler;
import io.rehoboam.core.testing.MutableClock;
import io.rehoboam.spi.Bot;
import io.rehoboam.spi.BotContext;
import io.rehoboam.spi.BotSpec;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.LogLevel;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.Settings;
import io.rehoboam.spi.Subscription;
import io.rehoboam.spi.market.MarketSource;
import io.rehoboam.spi.trade.Execution;
import io.rehoboam.spi.trade.ExecutionMode;
import io.rehoboam.spi.trade.ExecutionStatus;
import io.rehoboam.spi.trade.Leg;
import io.rehoboam.spi.trade.Opportunity;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The real executor's own max_trades_per_minute paces the trades it sends: an opportunity that was
 * gone before anything was sent (expired, unknown, already executed) is no trade and leaves its
 * place to the next one. Without that, on the default server most of the pace went to opportunities
 * the book had already dropped and the bot traded a sixth of its pace.
 */
class RealExecutorPaceTest {
  private static final String WETH = "0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2";
  private static final String USDC = "0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48";

  private final MutableClock clock = MutableClock.atEpoch();
  private final ManualScheduler scheduler = new ManualScheduler(clock);

  /** The engine's side for an executor bot: executes at once, or refuses ids that are gone. */
  private final class ExecutingContext implements BotContext {
    final Set<String> gone;
    final List<String> sent = new CopyOnWriteArrayList<>();
    final List<String> logs = new CopyOnWriteArrayList<>();
    Consumer<Opportunity> listener;

    ExecutingContext(Set<String> gone) {
      this.gone = gone;
    }

    @Override
    public String botId() {
      return "trader";
    }

    @Override
    public Settings settings() {
      return Settings.of(Map.of("max_trades_per_minute", 2));
    }

    @Override
    public ScheduledExecutorService scheduler() {
      return scheduler;
    }

    @Override
    public Executor blockingExecutor() {
      return Runnable::run;
    }

    @Override
    public Clock clock() {
      return clock;
    }

    @Override
    public MarketSource marketSource(String sourceId) {
      throw new RehoboamException(ErrorCode.NOT_FOUND, "no market source " + sourceId);
    }

    @Override
    public List<String> marketSourceIds() {
      return List.of();
    }

    @Override
    public void publishOpportunity(Opportunity opportunity) {}

    @Override
    public void publishOpportunity(Opportunity opportunity, String executorId) {}

    @Override
    public void expireOpportunity(String opportunityId, String reason) {}

    @Override
    public void publishExecution(Execution execution) {}

    @Override
    public Subscription onOpportunity(Consumer<Opportunity> listener) {
      this.listener = listener;
      return () -> {};
    }

    @Override
    public Subscription registerExecutor(io.rehoboam.spi.trade.TradeExecutor executor) {
      throw new UnsupportedOperationException("an executor bot owns no executor");
    }

    @Override
    public java.util.Map<String, String> env() {
      return Map.of();
    }

    @Override
    public io.rehoboam.spi.trade.ExecutionUpdates executionUpdates() {
      return e -> {
        throw new UnsupportedOperationException("the engine reports this bot's executions");
      };
    }

    @Override
    public CompletionStage<Execution> execute(
        String opportunityId, BigInteger amountIn, String executorId) {
      if (gone.contains(opportunityId)) {
        return CompletableFuture.failedFuture(
            new RehoboamException(ErrorCode.EXPIRED, "opportunity " + opportunityId + " expired"));
      }
      sent.add(opportunityId);
      return CompletableFuture.completedFuture(
          new Execution(
              "ex-" + opportunityId,
              opportunityId,
              ExecutionMode.PAPER,
              ExecutionStatus.SIMULATED,
              null,
              List.of(),
              null,
              BigInteger.TEN,
              BigInteger.TEN,
              BigDecimal.ONE,
              clock.instant(),
              clock.instant(),
              List.of()));
    }

    @Override
    public void heartbeat() {}

    @Override
    public void recordActivity() {}

    @Override
    public void log(LogLevel level, String message) {
      logs.add(message);
    }

    @Override
    public void reportProcess(String commandLine, long pid) {}

    @Override
    public void reportFailure(String reason, Throwable cause) {}

    @Override
    public void reportCompleted(String reason) {}
  }

  private Opportunity opportunity(String id) {
    BigInteger in = BigInteger.valueOf(1_000_000);
    BigInteger out = in.add(BigInteger.valueOf(510));
    return new Opportunity(
        id,
        "cross_venue",
        null,
        WETH,
        in,
        out,
        out.subtract(in),
        BigInteger.TEN,
        BigInteger.valueOf(500),
        new BigDecimal("1.25"),
        BigDecimal.ONE,
        7,
        clock.instant(),
        clock.instant().plusSeconds(30),
        List.of(
            new Leg(1, "uni", "p1", WETH, USDC, in, BigInteger.valueOf(2_000)),
            new Leg(1, "sushi", "p2", USDC, WETH, BigInteger.valueOf(2_000), out)));
  }

  private Bot bot;

  private ExecutingContext start(Set<String> gone) throws Exception {
    ExecutingContext ctx = new ExecutingContext(gone);
    bot =
        new RealExecutorProvider()
            .create(new BotSpec("trader", "real_executor", null, ctx.settings()), ctx);
    bot.start();
    return ctx;
  }

  @Test
  void opportunitiesGoneBeforeExecutionDoNotUseThePace() throws Exception {
    ExecutingContext ctx = start(Set.of("gone-1", "gone-2", "gone-3"));

    for (String id : List.of("gone-1", "ok-1", "gone-2", "gone-3", "ok-2", "ok-3")) {
      ctx.listener.accept(opportunity(id));
    }

    assertEquals(List.of("ok-1", "ok-2"), ctx.sent, "two trades a minute, none lost to misses");
    clock.advance(Duration.ofSeconds(61));
    ctx.listener.accept(opportunity("ok-4"));
    assertEquals(List.of("ok-1", "ok-2", "ok-4"), ctx.sent, "a new minute, a new place");
    String health = bot.health().message();
    assertTrue(
        health.contains("gone before execution (expired, unknown or already executed) 3"), health);
  }

  @Test
  void thePaceStillCapsTheTradesSent() throws Exception {
    ExecutingContext ctx = start(Set.of());

    for (int i = 1; i <= 5; i++) {
      ctx.listener.accept(opportunity("ok-" + i));
    }

    assertEquals(List.of("ok-1", "ok-2"), ctx.sent);
    String health = bot.health().message();
    assertTrue(health.contains("skipped at its own max_trades_per_minute 3"), health);
  }
}
