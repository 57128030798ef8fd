package io.rehoboam.benchmarks;

import io.rehoboam.core.events.EventBus;
import io.rehoboam.core.events.EventSubscription;
import io.rehoboam.core.events.SeqEventFactory;
import io.rehoboam.core.internal.NamedThreadFactory;
import io.rehoboam.spi.event.Event;
import io.rehoboam.spi.event.SystemEvent;
import java.time.Clock;
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
 * One publisher to one subscriber through {@link EventBus}: events per second that the subscriber
 * actually receives. The bus never blocks a publisher and drops the oldest events of a subscriber
 * that falls a ring behind, so a free-running publisher would measure how fast events can be
 * dropped; this one waits (spinning) whenever the subscriber is more than half a ring behind, so
 * the score is the lossless one-to-one rate. A run that drops anything fails at tear-down.
 *
 * <p>Each event is built by the factory on the publishing thread and stamped by the bus's clock
 * (the system clock, as in the service), so the figure includes allocating the event and reading
 * the clock.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Thread)
public class EventBusBenchmark {
  private static final SeqEventFactory<SystemEvent> EVENT =
      (seq, at) -> new SystemEvent(seq, at, "benchmark", "event");

  /** How many publishes pass between two looks at the subscriber's progress. */
  private static final int CHECK_EVERY = 1024;

  @Param({"65536"})
  public int capacity;

  private EventBus bus;
  private EventSubscription subscription;
  private long published;
  private long maxLag;
  private volatile long lastSeen;

  @Setup(Level.Trial)
  public void startBus() {
    bus = new EventBus(capacity, new NamedThreadFactory("benchmark-bus"), Clock.systemUTC());
    subscription = bus.subscribe("benchmark", this::receive);
    maxLag = capacity / 2;
  }

  private void receive(Event event) {
    lastSeen = event.seq();
  }

  @Benchmark
  public Event publishOneToOne() {
    Event event = bus.publish(EVENT);
    if (++published % CHECK_EVERY == 0) {
      while (published - subscription.delivered() > maxLag) {
        Thread.onSpinWait();
      }
    }
    return event;
  }

  @TearDown(Level.Trial)
  public void stopBus() {
    bus.close();
    if (subscription.dropped() > 0 || bus.totalDropped() > 0) {
      throw new IllegalStateException(
          "the subscriber dropped "
              + subscription.dropped()
              + " of "
              + published
              + " events; the score is not a lossless rate");
    }
    if (subscription.delivered() != published) {
      throw new IllegalStateException(
          "delivered "
              + subscription.delivered()
              + " of "
              + published
              + " events (last seq "
              + lastSeen
              + ")");
    }
  }
}
