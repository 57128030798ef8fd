package io.rehoboam.benchmarks;

import io.rehoboam.core.scan.ScanDelta;
import io.rehoboam.core.scan.ScanEngine;
import io.rehoboam.core.scan.gen.SyntheticMarket;
import io.rehoboam.spi.market.PoolUpdate;
import java.util.ArrayList;
import java.util.List;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The incremental update as live monitoring runs it: a source delivers the pool changes of a block
 * as a batch and the monitor hands the batch to {@link ScanEngine#applyAll}. The same updates as
 * {@link ApplyUpdateBenchmark} (ordinary moves; on a calm market they open nothing), {@value
 * #BATCH} per batch; the score is per update.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx4g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Thread)
public class ApplyBatchBenchmark {
  /** Updates per batch: the pool changes of one busy block. */
  static final int BATCH = 64;

  @Param({"2000", "20000", "200000"})
  public int size;

  @Param({"sparse", "dense"})
  public String shape;

  /** {@code calm}, {@code volatile} or {@code crowded}; see {@link ApplyUpdateBenchmark#regime}. */
  @Param({"calm", "volatile", "crowded"})
  public String regime;

  private ScanEngine engine;
  private ScanFixture.UpdateRing ring;
  private final List<PoolUpdate> batch = new ArrayList<>(BATCH);
  private long nonEmptyDeltas;

  @Setup(Level.Trial)
  public void loadEngine() {
    SyntheticMarket generated = ScanFixture.market(shape, regime, size, 0);
    engine = ScanFixture.incrementalEngine(generated);
    ring = ScanFixture.updates(generated);
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public List<ScanDelta> applyBatch() {
    batch.clear();
    for (int i = 0; i < BATCH; i++) {
      batch.add(ring.next());
    }
    List<ScanDelta> deltas = engine.applyAll(batch);
    for (ScanDelta delta : deltas) {
      if (!delta.isEmpty()) {
        nonEmptyDeltas++;
      }
    }
    return deltas;
  }

  @TearDown(Level.Trial)
  public void reportChanges() {
    if (nonEmptyDeltas > 0 && regime.equals("calm")) {
      throw new IllegalStateException(
          nonEmptyDeltas
              + " updates changed a calm market's book; on a calm market this benchmark measures"
              + " updates that do not");
    }
    System.out.println("updates whose delta was not empty: " + nonEmptyDeltas);
  }
}
