package io.rehoboam.benchmarks;

import io.rehoboam.core.scan.ScanEngine;
import io.rehoboam.core.scan.ScanStrategy;
import io.rehoboam.core.scan.gen.SyntheticMarket;
import io.rehoboam.spi.market.PoolUpdate;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The scan benchmarks' operations timed by the CPU time of the thread that runs them, not the wall
 * clock: on a machine shared with other work, the wall clock measures the scheduler, while the CPU
 * time of the scanning thread stays close to what the operation costs on an idle machine (it still
 * grows a little with cache contention). Same markets and updates as the JMH benchmarks ({@link
 * ScanFixture}); not a replacement for them on a quiet machine.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.rehoboam.benchmarks.ScanCpu \
 *     --shape sparse --regime volatile --size 200000 --scans 10 --updates 20000
 * </pre>
 *
 * <p>Prints, per operation, the minimum and median CPU time over rounds: a full cross-venue scan, a
 * full cyclic scan (length 3 from WETH), and one {@code ScanEngine.apply} with its incremental
 * re-scan (both strategies), averaged over rounds of {@code --updates} updates after as many of
 * warm-up, and the same through {@code applyAll} in batches of 64.
 */
public final class ScanCpu {
  private ScanCpu() {}

  public static void main(String[] args) {
    String shape = "sparse";
    String regime = "volatile";
    int size = 200_000;
    int scans = 10;
    int updates = 20_000;
    int rounds = 5;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--shape" -> shape = args[i + 1];
        case "--regime" -> regime = args[i + 1];
        case "--size" -> size = Integer.parseInt(args[i + 1]);
        case "--scans" -> scans = Integer.parseInt(args[i + 1]);
        case "--updates" -> updates = Integer.parseInt(args[i + 1]);
        case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    String market = shape + " " + regime + " " + size;

    for (ScanStrategy strategy : List.of(ScanStrategy.CROSS_VENUE, ScanStrategy.CYCLIC)) {
      ScanFixture.FullScan fixture = new ScanFixture.FullScan(shape, regime, size, strategy);
      double[] ms = new double[scans];
      int reported = 0;
      for (int i = 0; i < 2 + scans; i++) {
        long start = threads.getCurrentThreadCpuTime();
        reported = fixture.updateAndScan().size();
        long cpu = threads.getCurrentThreadCpuTime() - start;
        if (i >= 2) {
          ms[i - 2] = cpu / 1e6;
        }
      }
      Arrays.sort(ms);
      System.out.printf(
          "%s full scan %s: cpu min %.3f ms, median %.3f ms over %d scans, %d reported%n",
          market, strategy.id(), ms[0], ms[scans / 2], scans, reported);
    }

    SyntheticMarket generated = ScanFixture.market(shape, regime, size, ScanFixture.DISLOCATIONS);
    ScanFixture.UpdateRing ring = ScanFixture.updates(generated);
    for (boolean batched : new boolean[] {false, true}) {
      ScanEngine engine = ScanFixture.incrementalEngine(generated);
      double[] ns = new double[rounds];
      long changed = 0;
      for (int r = -1; r < rounds; r++) {
        List<PoolUpdate> batch = new ArrayList<>(64);
        long start = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < updates; i++) {
          if (batched) {
            batch.add(ring.next());
            if (batch.size() == 64 || i == updates - 1) {
              changed += engine.applyAll(batch).stream().filter(d -> !d.isEmpty()).count();
              batch.clear();
            }
          } else if (!engine.apply(ring.next()).isEmpty()) {
            changed++;
          }
        }
        long cpu = threads.getCurrentThreadCpuTime() - start;
        if (r >= 0) {
          ns[r] = (double) cpu / updates;
        }
      }
      Arrays.sort(ns);
      System.out.printf(
          "%s %s: cpu per update min %.0f ns, median %.0f ns over %d rounds of %d;"
              + " %d of %d deltas not empty; book %d%n",
          market,
          batched ? "applyAll (batches of 64)" : "apply",
          ns[0],
          ns[rounds / 2],
          rounds,
          updates,
          changed,
          (long) (rounds + 1) * updates,
          engine.book().size());
    }
  }
}
