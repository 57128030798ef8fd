package io.rehoboam.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.spi.event.SystemEvent;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * An OutOfMemoryError on a service thread, or a dead event delivery thread, makes the service
 * unhealthy (not live) instead of leaving it half-alive and green.
 */
class LivenessTest {
  private static ArbitrageService service() {
    ArbitrageService s = ArbitrageService.builder().env(Map.of()).discoverProviders(false).build();
    s.initialize();
    return s;
  }

  @Test
  void anOutOfMemoryErrorInAnEventListenerMakesTheServiceNotLive() throws Exception {
    try (ArbitrageService service = service()) {
      assertTrue(service.health().live());
      CountDownLatch second = new CountDownLatch(1);
      service.subscribe(
          e -> {
            if (e instanceof SystemEvent s && s.kind().equals("first")) {
              throw new OutOfMemoryError("Java heap space (simulated)");
            }
            if (e instanceof SystemEvent s && s.kind().equals("second")) {
              second.countDown();
            }
          },
          e -> true);
      service.publishSystemEvent("first", "x");
      service.publishSystemEvent("second", "y");
      assertTrue(second.await(10, TimeUnit.SECONDS), "the subscription goes on");
      ServiceHealth health = service.health();
      assertFalse(health.live(), health.toString());
      assertTrue(health.problems().get("memory").contains("OutOfMemoryError"), health.toString());
    }
  }

  /** An error whose message cannot be built: logging it fails too, as it may without memory. */
  private static final class Unprintable extends OutOfMemoryError {
    private static final long serialVersionUID = 1L;

    @Override
    public String getMessage() {
      throw new OutOfMemoryError("no memory to describe the error");
    }
  }

  @Test
  void aDeadDeliveryThreadMakesTheServiceNotLive() {
    try (ArbitrageService service = service()) {
      service.subscribe(
          e -> {
            if (e instanceof SystemEvent s && s.kind().equals("fatal")) {
              throw new Unprintable();
            }
          },
          e -> true);
      service.publishSystemEvent("fatal", "x");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!service.health().problems().containsKey("events") && System.nanoTime() < deadline) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
      }
      ServiceHealth health = service.health();
      assertFalse(health.live(), health.toString());
      assertTrue(health.problems().get("events").contains("died"), health.toString());
      assertEquals(
          true, health.problems().containsKey("memory"), "the error was an OutOfMemoryError");
    }
  }
}
