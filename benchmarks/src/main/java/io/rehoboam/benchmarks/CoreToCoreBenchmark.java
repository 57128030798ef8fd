package io.rehoboam.benchmarks;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Control;

/**
 * The machine's cost of handing a cache line from one core to the other and back: two threads take
 * turns flipping one flag. The event bus hands every event from the publisher's core to the
 * subscriber's, so its one-to-one rate follows this figure; on a virtual machine it changes with
 * where the host runs the two virtual CPUs.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@State(Scope.Group)
public class CoreToCoreBenchmark {
  private final AtomicBoolean flag = new AtomicBoolean();

  /** One round trip: wait for false, set true (the pong side does the opposite). */
  @Benchmark
  @Group("pingPong")
  public void ping(Control control) {
    while (!control.stopMeasurement && !flag.compareAndSet(false, true)) {
      Thread.onSpinWait();
    }
  }

  @Benchmark
  @Group("pingPong")
  public void pong(Control control) {
    while (!control.stopMeasurement && !flag.compareAndSet(true, false)) {
      Thread.onSpinWait();
    }
  }
}
