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
 * A full cross-venue scan (every pair on two or more venues, both directions) of a whole market,
 * through {@link ScanEngine#fullScan(MarketState)} as live monitoring calls it. Before each scan
 * one ordinary reserve update is applied to the market, so no answer can be reused from the
 * previous scan; that update (an array write and an index lookup) is part of the measured time and
 * is negligible next to the scan. ns per pool = score / size.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx8g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Thread)
public class FullScanCrossVenueBenchmark {
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
    scan = new ScanFixture.FullScan(shape, regime, size, ScanStrategy.CROSS_VENUE);
    int found = scan.updateAndScan().size();
    if (found < ScanFixture.DISLOCATIONS) {
      throw new IllegalStateException(
          "found " + found + " opportunities, fewer than the planted " + ScanFixture.DISLOCATIONS);
    }
  }

  @Benchmark
  public List<Opportunity> fullScanCrossVenue() {
    return scan.updateAndScan();
  }
}
