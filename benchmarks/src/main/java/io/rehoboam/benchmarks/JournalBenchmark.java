package io.rehoboam.benchmarks;

import io.rehoboam.core.ExecuteRequest;
import io.rehoboam.core.book.OpportunityBook;
import io.rehoboam.core.events.EventBus;
import io.rehoboam.core.internal.ExecutionEngine;
import io.rehoboam.core.internal.NamedThreadFactory;
import io.rehoboam.core.internal.QuoteValuation;
import io.rehoboam.core.journal.Journal;
import io.rehoboam.core.risk.RiskLimits;
import io.rehoboam.core.risk.RiskPolicy;
import io.rehoboam.journal.JdbcJournal;
import io.rehoboam.spi.trade.Execution;
import io.rehoboam.spi.trade.ExecutionMode;
import io.rehoboam.spi.trade.ExecutionRequest;
import io.rehoboam.spi.trade.Leg;
import io.rehoboam.spi.trade.Opportunity;
import io.rehoboam.spi.trade.TradeExecutor;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Executions per second through the {@link ExecutionEngine} (book, claim, risk policy, executor)
 * with the journal off and on. The executor answers at once ({@code simulated}), so the score is
 * the engine's own cost and, with {@code journal=h2}, what writing ahead costs: per execution two
 * committed transactions (the attempt, then its result), each forced to disk ({@code CHECKPOINT
 * SYNC}) plus the watermark file's fsync. The data directory is a fresh temporary one (put it on
 * the disk to measure with {@code -Djava.io.tmpdir}).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Thread)
public class JournalBenchmark {
  private static final String WETH = "0x00000000000000000000000000000000000000e1";
  private static final String USDC = "0x00000000000000000000000000000000000000c2";

  /** {@code off}: no journal; {@code h2}: the default embedded journal in a data directory. */
  @Param({"off", "h2"})
  public String journal;

  private Path dataDir;
  private Journal open;
  private EventBus events;
  private OpportunityBook book;
  private ExecutionEngine engine;
  private long next;
  private final Clock clock = Clock.systemUTC();

  /** Answers every request at once with a simulated execution. */
  private static final class Instant0 implements TradeExecutor {
    @Override
    public String id() {
      return "paper";
    }

    @Override
    public ExecutionMode mode() {
      return ExecutionMode.PAPER;
    }

    @Override
    public CompletionStage<Execution> execute(ExecutionRequest r) {
      Instant now = Instant.now();
      return CompletableFuture.completedFuture(
          Execution.simulated(
                  r.executionId(),
                  r.opportunity().id(),
                  ExecutionMode.PAPER,
                  r.opportunity().netProfit(),
                  r.opportunity().netProfit(),
                  now,
                  now)
              .withRealized(r.opportunity().netProfit(), BigDecimal.ONE));
    }

    @Override
    public void close() {}
  }

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    events = new EventBus(1 << 16, new NamedThreadFactory("bench-events"), clock);
    book = new OpportunityBook(clock);
    TradeExecutor executor = new Instant0();
    if (journal.equals("h2")) {
      dataDir = Files.createTempDirectory("rehoboam-journal-bench");
      open = JdbcJournal.inDirectory(dataDir, clock);
    }
    engine =
        new ExecutionEngine(
            book,
            new RiskPolicy(RiskLimits.NONE, clock, events),
            id -> executor,
            new QuoteValuation(List::of),
            events,
            clock,
            open);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    if (open != null) {
      open.close();
      try (Stream<Path> files = Files.walk(dataDir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    events.close(Duration.ofSeconds(5));
  }

  @Benchmark
  public Execution execute() {
    String id = "op-" + next++;
    Instant now = clock.instant();
    BigInteger in = BigInteger.valueOf(1_000_000);
    BigInteger mid = BigInteger.valueOf(2_000_000);
    BigInteger out = BigInteger.valueOf(1_000_100);
    book.put(
        new Opportunity(
            id,
            "cross_venue",
            "bench",
            WETH,
            in,
            out,
            out.subtract(in),
            BigInteger.TEN,
            out.subtract(in).subtract(BigInteger.TEN),
            null,
            null,
            1,
            now,
            now.plus(Duration.ofHours(1)),
            List.of(
                new Leg(1, "uniswap_v2", "1:uniswap_v2:0xaa", WETH, USDC, in, mid),
                new Leg(1, "sushiswap", "1:sushiswap:0xbb", USDC, WETH, mid, out))));
    Execution e = engine.execute(id, ExecuteRequest.defaults(), null, null).join();
    book.remove(id);
    return e;
  }
}
