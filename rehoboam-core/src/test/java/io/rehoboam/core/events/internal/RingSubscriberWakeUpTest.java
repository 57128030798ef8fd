package io.rehoboam.core.events.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.rehoboam.core.events.EventBus;
import io.rehoboam.core.internal.NamedThreadFactory;
import io.rehoboam.spi.event.SystemEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The park/unpark handshake: a parked subscriber is woken by the next publish, every time. */
class RingSubscriberWakeUpTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @Test
  void aParkedSubscriberIsWokenByEachLaterPublish() throws Exception {
    Clock clock = Clock.fixed(Instant.parse("2024-05-01T12:00:00Z"), ZoneOffset.UTC);
    try (EventBus bus = new EventBus(16, new NamedThreadFactory("events-wake-test"), clock)) {
      BlockingQueue<Long> received = new LinkedBlockingQueue<>();
      RingSubscriber sub = (RingSubscriber) bus.subscribe("sleepy", e -> received.add(e.seq()));

      for (int round = 1; round <= 50; round++) {
        awaitParked(sub);
        bus.publish((seq, at) -> new SystemEvent(seq, at, "tick", ""));
        Long seq = received.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertEquals((long) round, seq, "round " + round);
      }
      // The count is published after each batch, right after the listener returns.
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (sub.delivered() < 50 && System.nanoTime() - deadline < 0) {
        Thread.yield();
      }
      assertEquals(50, sub.delivered());
      assertTrue(received.isEmpty());
    }
  }

  private static void awaitParked(RingSubscriber sub) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (!sub.isParked()) {
      if (System.nanoTime() - deadline > 0) {
        fail("subscriber never parked");
      }
      Thread.yield();
    }
  }
}
