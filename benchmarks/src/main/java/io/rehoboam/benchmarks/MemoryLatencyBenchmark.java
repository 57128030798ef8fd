package io.rehoboam.benchmarks;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The machine's floor for the incremental update: the time of one memory read that depends on the
 * previous one, at a random place of a working set of {@code megabytes}. An update of a random pool
 * in a large market is a short chain of such reads (the pool id's string, the id-to-slot table, the
 * slot's rows, the pair's row), so once the market outgrows the cache, this figure times that chain
 * length bounds the update from below whatever the code does.
 *
 * <p>A pointer chase: one int per 64-byte cache line, linked in one random cycle (Sattolo's
 * algorithm), so every read misses the previous line and no prefetcher can guess the next.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@State(Scope.Thread)
public class MemoryLatencyBenchmark {
  private static final int INTS_PER_LINE = 16;
  private static final int CHAIN = 256;

  @Param({"1", "4", "8", "16", "64", "256"})
  public int megabytes;

  private int[] next;
  private int position;

  @Setup(Level.Trial)
  public void link() {
    int lines = megabytes * 1024 * 1024 / 64;
    int[] order = new int[lines];
    for (int i = 0; i < lines; i++) {
      order[i] = i;
    }
    SplittableRandom random = new SplittableRandom(1);
    for (int i = lines - 1; i > 0; i--) {
      int j = random.nextInt(i); // Sattolo: j < i makes one cycle through every line
      int swap = order[i];
      order[i] = order[j];
      order[j] = swap;
    }
    next = new int[lines * INTS_PER_LINE];
    for (int i = 0; i < lines; i++) {
      next[order[i] * INTS_PER_LINE] = order[(i + 1) % lines] * INTS_PER_LINE;
    }
  }

  /** {@value #CHAIN} dependent reads; the score is per read. */
  @Benchmark
  @OperationsPerInvocation(CHAIN)
  public int dependentRead() {
    int[] links = next;
    int p = position;
    for (int i = 0; i < CHAIN; i++) {
      p = links[p];
    }
    position = p;
    return p;
  }
}
