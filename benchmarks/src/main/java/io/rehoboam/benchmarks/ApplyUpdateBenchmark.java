package io.rehoboam.benchmarks;

import io.rehoboam.core.scan.ScanDelta;
import io.rehoboam.core.scan.ScanEngine;
import io.rehoboam.core.scan.gen.SyntheticMarket;
import java.util.concurrent.TimeUnit;
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
 * One reserve update and its incremental re-scan, {@link ScanEngine#apply}, as live monitoring runs
 * it for every pool change: both strategies (cross-venue, and cycles of length 3 from WETH). The
 * updates are ordinary moves inside each pool's fee band, so they open nothing new (the planted
 * opportunities stay in the book, re-priced when a move touches one of their pools); every update
 * is to a pool drawn uniformly, with a fresh sequence. Average time, and sample time for the tail
 * (p99).
 */
@BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx4g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Thread)
public class ApplyUpdateBenchmark {
  /**
   * Pools in the market. 2k and 20k fit the cache, so they show the update's own work; 200k (the
   * size the target is set for) does not, so each of the update's dependent reads is a trip to
   * memory ({@link MemoryLatencyBenchmark} measures one).
   */
  @Param({"2000", "20000", "200000"})
  public int size;

  @Param({"sparse", "dense"})
  public String shape;

  /**
   * {@code calm}, {@code volatile} or {@code crowded}. On the last two most pairs pay: an update to
   * a pool of a paying pair re-evaluates that pair (and the cycles through the pool) and usually
   * changes the book. The ordinary moves pull a moved pool back inside its band.
   */
  @Param({"calm", "volatile", "crowded"})
  public String regime;

  /**
   * 0: nothing to find, every delta is empty (the "nothing new" case). 10: the planted
   * opportunities, many of them WETH cycles, sit in the book and a move of any pool on one of their
   * paths re-prices it (a delta with one entry in and one out).
   */
  @Param({"10"})
  public int dislocations;

  /**
   * Prepared updates, applied round-robin. The default (65,536, about 13 MB of update objects) is
   * larger than the cache, so every update object is read from memory, which a source's freshly
   * built update never is: on a 2k market that costs about 40 ns per update. A ring that fits the
   * cache ({@code -p updates=4096}) shows the engine alone, and is only meaningful on a market no
   * larger than the ring: a smaller ring would touch a few pools only, which then stay cached. With
   * it, a pool that appears once in the ring gets the reserves it already has when the ring comes
   * round; the engine re-evaluates that update like any other (it keeps no cache of past results).
   */
  @Param({"65536"})
  public int updates;

  private ScanEngine engine;
  private ScanFixture.UpdateRing ring;
  private long nonEmptyDeltas;

  @Setup(Level.Trial)
  public void loadEngine() {
    SyntheticMarket generated = ScanFixture.market(shape, regime, size, dislocations);
    engine = ScanFixture.incrementalEngine(generated);
    ring = ScanFixture.updates(generated, updates);
  }

  @Benchmark
  public ScanDelta applyUpdateAndRescan() {
    ScanDelta delta = engine.apply(ring.next());
    if (!delta.isEmpty()) {
      nonEmptyDeltas++;
    }
    return delta;
  }

  @TearDown(Level.Trial)
  public void reportChanges() {
    // Ordinary moves open nothing, but a move of a pool on a planted cycle (say WETH/x next to a
    // dislocated x/y) re-prices that cycle: a new id enters the book and the old one leaves.
    System.out.println(
        "book: "
            + engine.book().size()
            + " opportunities; updates whose delta was not empty: "
            + nonEmptyDeltas);
  }
}
