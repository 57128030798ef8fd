package io.rehoboam.journal;

import io.rehoboam.core.ArbitrageService;
import io.rehoboam.core.BotRegistration;
import io.rehoboam.core.risk.RiskLimits;
import io.rehoboam.core.sim.PaperConfig;
import io.rehoboam.core.sim.PaperTradeExecutor;
import io.rehoboam.core.sim.SimConfig;
import io.rehoboam.core.sim.SimMarketSource;
import io.rehoboam.spi.Settings;
import io.rehoboam.spi.event.ExecutionEvent;
import io.rehoboam.spi.trade.Execution;
import io.rehoboam.spi.trade.ExecutionMode;
import io.rehoboam.spi.trade.ExecutionRequest;
import io.rehoboam.spi.trade.ExecutionStatus;
import io.rehoboam.spi.trade.TradeExecutor;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The service a crash test kills: the sim market, the paper executor, a live monitor and a real
 * executor bot registered at run time, on a journal in the directory given as the first argument.
 * Executions go through paper until {@code args[1]} of them have come back simulated with a profit
 * (on a busy machine the sim market may move while one runs, and paper then fails it; those
 * failures are final executions too); every later one hangs in the executor (in the middle of its
 * execution) until the process is killed. Reports on stdout: {@code DONE <execution> <opportunity>
 * <status> <profit_usd>} once an execution is final (so journalled), {@code HANG <execution>
 * <opportunity>} once one is held in the executor (so journalled ahead).
 */
public final class CrashChild {
  private CrashChild() {}

  /** The market every run uses, the same seed for the child and the recovering parent. */
  static SimMarketSource market(ScheduledExecutorService scheduler, Clock clock) {
    return new SimMarketSource(
        "market",
        SimConfig.fromSettings(
            Settings.of(
                Map.of(
                    "seed",
                    42,
                    "pools",
                    400,
                    "update_interval",
                    "20ms",
                    "dislocation_probability",
                    0.3))),
        scheduler,
        clock);
  }

  /**
   * Sends executions through paper until {@code completing} of them came back simulated with a
   * realized profit, then holds every new one.
   */
  static final class Gated implements TradeExecutor {
    private final TradeExecutor paper;
    private final int completing;
    private final AtomicInteger simulated = new AtomicInteger();
    private final PrintStream out;

    Gated(TradeExecutor paper, int completing, PrintStream out) {
      this.paper = paper;
      this.completing = completing;
      this.out = out;
    }

    @Override
    public String id() {
      return paper.id();
    }

    @Override
    public ExecutionMode mode() {
      return paper.mode();
    }

    @Override
    public CompletionStage<Execution> execute(ExecutionRequest request) {
      if (simulated.get() >= completing) {
        synchronized (out) {
          out.println("HANG " + request.executionId() + " " + request.opportunity().id());
          out.flush();
        }
        return new CompletableFuture<>();
      }
      return paper
          .execute(request)
          .thenApply(
              x -> {
                if (x.status() == ExecutionStatus.SIMULATED && x.realizedProfitUsd() != null) {
                  simulated.incrementAndGet();
                }
                return x;
              });
    }

    @Override
    public void close() {
      paper.close();
    }
  }

  public static void main(String[] args) throws Exception {
    Path dataDir = Path.of(args[0]);
    int completing = Integer.parseInt(args[1]);
    PrintStream out = System.out;
    Clock clock = Clock.systemUTC();
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    SimMarketSource sim = market(scheduler, clock);
    ArbitrageService service =
        ArbitrageService.builder()
            .env(Map.of())
            .marketSource(sim)
            .executor(
                new Gated(
                    new PaperTradeExecutor("paper", sim, PaperConfig.defaults(), clock),
                    completing,
                    out))
            .riskLimits(new RiskLimits(null, 1_000_000, null, null, false))
            .journal(JdbcJournal.inDirectory(dataDir, clock))
            .build();
    service.subscribe(
        e -> {
          if (e instanceof ExecutionEvent ee && ee.execution().status().isTerminal()) {
            Execution x = ee.execution();
            synchronized (out) {
              out.println(
                  "DONE "
                      + x.id()
                      + " "
                      + x.opportunityId()
                      + " "
                      + x.status()
                      + " "
                      + (x.realizedProfitUsd() == null
                          ? "null"
                          : x.realizedProfitUsd().toPlainString()));
              out.flush();
            }
          }
        });
    service.initialize();
    service.register(
        BotRegistration.of(
            "monitor", "live_monitor", Settings.of(Map.of("gas_price_gwei", 5, "ttl", "30s"))));
    service.register(
        BotRegistration.of("trader", "real_executor", Settings.of(Map.of("max_in_flight", 4))));
    service.start("monitor");
    service.start("trader");
    out.println("READY");
    out.flush();
    new CountDownLatch(1).await();
  }
}
