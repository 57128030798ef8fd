package io.rehoboam.core.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.core.testing.ManualScheduler;
import io.rehoboam.core.testing.MutableClock;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.ProviderContext;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.Settings;
import io.rehoboam.spi.Subscription;
import io.rehoboam.spi.market.MarketSource;
import io.rehoboam.spi.market.PoolUpdate;
import io.rehoboam.spi.market.SourceHealth;
import io.rehoboam.spi.market.Token;
import io.rehoboam.spi.trade.ExecutionMode;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The {@code sim} and {@code paper} providers as the service calls them. */
class SimProvidersTest {
  private final MutableClock clock = MutableClock.atEpoch();
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final Map<String, MarketSource> sources = new LinkedHashMap<>();

  /** The engine's side as the service hands it to providers: its scheduler, clock and sources. */
  private final ProviderContext context =
      new ProviderContext() {
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
          MarketSource s = sources.get(sourceId);
          if (s == null) {
            throw new RehoboamException(
                ErrorCode.NOT_FOUND, "no market source with id '" + sourceId + "'");
          }
          return s;
        }

        @Override
        public List<String> marketSourceIds() {
          return new ArrayList<>(sources.keySet());
        }

        @Override
        public java.util.Map<String, String> env() {
          return java.util.Map.of();
        }

        @Override
        public io.rehoboam.spi.trade.ExecutionUpdates executionUpdates() {
          return e -> {
            throw new UnsupportedOperationException("no execution is in flight here");
          };
        }
      };

  private SimMarketSource addSim(String id) {
    MarketSource source =
        new SimMarketSourceProvider()
            .create(id, Settings.of(Map.of("pools", 100, "seed", 1)), context);
    sources.put(id, source);
    return (SimMarketSource) source;
  }

  @Test
  void theSimProviderBuildsASourceTickingOnTheEnginesScheduler() {
    SimMarketSource sim = addSim("market");
    assertEquals("sim", new SimMarketSourceProvider().type());
    assertEquals("market", sim.id());
    assertEquals(100, sim.pools().size());
    List<PoolUpdate> seen = new ArrayList<>();
    sim.subscribe(seen::add);
    scheduler.advance(java.time.Duration.ofMillis(500));
    assertEquals(3, sim.sequence(), "default interval 250ms");
    RehoboamException e =
        assertThrows(
            RehoboamException.class,
            () ->
                new SimMarketSourceProvider()
                    .create("bad", Settings.of(Map.of("pools", -1)), context));
    assertEquals(ErrorCode.INVALID_CONFIG, e.code());
    assertTrue(e.getMessage().startsWith("pools"), e.getMessage());
  }

  @Test
  void thePaperProviderTradesOnTheOnlySimSourceOrTheNamedOne() {
    PaperTradeExecutorProvider provider = new PaperTradeExecutorProvider();
    assertEquals("paper", provider.type());
    RehoboamException none =
        assertThrows(
            RehoboamException.class, () -> provider.create("paper", Settings.empty(), context));
    assertEquals(ErrorCode.INVALID_CONFIG, none.code());
    assertTrue(none.getMessage().startsWith("source: no sim source"), none.getMessage());

    sources.put("chain", new NotASim());
    SimMarketSource a = addSim("a");
    PaperTradeExecutor only =
        (PaperTradeExecutor) provider.create("paper", Settings.empty(), context);
    assertSame(a, only.market());
    assertEquals(ExecutionMode.PAPER, only.mode());

    SimMarketSource b = addSim("b");
    RehoboamException several =
        assertThrows(
            RehoboamException.class, () -> provider.create("paper", Settings.empty(), context));
    assertTrue(several.getMessage().contains("several sim sources (a, b)"), several.getMessage());
    PaperTradeExecutor named =
        (PaperTradeExecutor)
            provider.create(
                "paper", Settings.of(Map.of("source", "b", "slippage_bps", 25)), context);
    assertSame(b, named.market());
    assertEquals(25, named.config().slippageBps());

    RehoboamException notSim =
        assertThrows(
            RehoboamException.class,
            () -> provider.create("paper", Settings.of(Map.of("source", "chain")), context));
    assertEquals(ErrorCode.INVALID_CONFIG, notSim.code());
    assertTrue(notSim.getMessage().contains("'chain' is not a sim source"), notSim.getMessage());
    RehoboamException unknown =
        assertThrows(
            RehoboamException.class,
            () -> provider.create("paper", Settings.of(Map.of("source", "nowhere")), context));
    assertEquals(ErrorCode.INVALID_CONFIG, unknown.code());
    assertTrue(unknown.getMessage().startsWith("source: "), unknown.getMessage());
  }

  /** A market source of another kind (a chain, say). */
  private static final class NotASim implements MarketSource {
    @Override
    public String id() {
      return "chain";
    }

    @Override
    public Subscription subscribe(Consumer<PoolUpdate> listener) {
      return () -> {};
    }

    @Override
    public Map<String, Token> tokens() {
      return Map.of();
    }

    @Override
    public Optional<BigDecimal> quotePrice(String tokenAddress) {
      return Optional.empty();
    }

    @Override
    public SourceHealth health() {
      return SourceHealth.down("not connected");
    }

    @Override
    public void close() {}
  }
}
