package io.rehoboam.benchmarks;

import io.rehoboam.core.events.EventBus;
import io.rehoboam.core.events.EventSubscription;
import io.rehoboam.core.events.SeqEventFactory;
import io.rehoboam.spi.event.Event;
import io.rehoboam.spi.event.SystemEvent;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
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
 * dropped; this one waits (yielding) whenever the subscriber is more than half a ring behind, so
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

  private static final int LAST_SEEN = 16;

  /** Publishes between two looks at the subscriber's progress: a power of two below a ring. */
  private int checkMask;

  @Param({"65536"})
  public int capacity;

  /**
   * {@code system} (the service's clock) or {@code fixed}: a control that shows what reading the
   * clock costs per event.
   */
  @Param({"system"})
  public String clock;

  /** 1, or 0 for a control that measures the publishing side alone. */
  @Param({"1"})
  public int subscribers;

  private EventBus bus;
  private EventSubscription subscription;
  private long published;
  private long maxLag;

  /**
   * The last seq the listener saw, in the middle of its own padded array: the listener runs on the
   * subscriber's core for every event, and must not write to the cache line of the publisher's
   * {@link #published} counter (written on every publish) nor issue a store fence per event, which
   * a volatile field next to {@code published} did, so that the old harness measured that line
   * moving between the cores rather than the bus. Read only after {@code close()} has joined the
   * subscriber thread.
   */
  private final long[] lastSeen = new long[2 * LAST_SEEN + 1];

  @Setup(Level.Trial)
  public void startBus() {
    Clock busClock =
        switch (clock) {
          case "system" -> Clock.systemUTC();
          case "fixed" -> Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
          default -> throw new IllegalArgumentException("clock must be system or fixed: " + clock);
        };
    bus =
        new EventBus(
            capacity,
            r -> {
              Thread t = new Thread(r, "benchmark-bus");
              t.setDaemon(true);
              return t;
            },
            busClock);
    if (subscribers == 1) {
      subscription = bus.subscribe("benchmark", this::receive);
    } else if (subscribers != 0) {
      throw new IllegalArgumentException("subscribers must be 0 or 1: " + subscribers);
    }
    maxLag = capacity / 2;
    checkMask = Math.max(1, Math.min(1024, capacity / 4)) - 1;
  }

  private void receive(Event event) {
    lastSeen[LAST_SEEN] = event.seq();
  }

  @Benchmark
  public Event publishOneToOne() {
    Event event = bus.publish(EVENT);
    if ((++published & checkMask) == 0 && subscription != null) {
      // Dropped events count as handled, so a lapped subscriber fails the run instead of hanging.
      // Waiting yields the core: on two cores, anything else running puts publisher and
      // subscriber on one, and a spinning publisher would then starve the subscriber it waits
      // for (measured: 7-9 M/s for the rest of the fork, with the bus itself unchanged).
      while (published - subscription.delivered() - subscription.dropped() > maxLag) {
        Thread.yield();
      }
    }
    return event;
  }

  @TearDown(Level.Trial)
  public void stopBus() {
    bus.close();
    if (subscription == null) {
      return;
    }
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
              + lastSeen[LAST_SEEN]
              + ")");
    }
  }
}
