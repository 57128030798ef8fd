package io.rehoboam.benchmarks;

import io.rehoboam.core.scan.MarketState;
import io.rehoboam.core.scan.ScanEngine;
import io.rehoboam.core.scan.ScanStrategy;
import io.rehoboam.spi.trade.Opportunity;
import java.util.List;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * A full cyclic scan (every WETH -> x -> y -> WETH cycle, length 3) of a whole market through
 * {@link ScanEngine#fullScan(MarketState)}, with one ordinary reserve update applied before each
 * scan so nothing can be reused from the previous one.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx4g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Thread)
public class FullScanCyclicBenchmark {
  @Param({"2000", "20000", "200000"})
  public int size;

  @Param({"sparse", "dense"})
  public String shape;

  /**
   * {@code calm}, {@code volatile} or {@code crowded} ({@link
   * io.rehoboam.core.scan.gen.MarketRegime}).
   */
  @Param({"calm", "volatile", "crowded"})
  public String regime;

  private ScanFixture.FullScan scan;

  @Setup(Level.Trial)
  public void buildMarket() {
    scan = new ScanFixture.FullScan(shape, regime, size, ScanStrategy.CYCLIC);
  }

  @Benchmark
  public List<Opportunity> fullScanCyclic() {
    return scan.updateAndScan();
  }
}
