package io.rehoboam.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rehoboam.core.ArbitrageService;
import io.rehoboam.core.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A service given a meter registry records what it does there, and removes it when closed. */
class ServiceMetricsTest {
  private static final String CONFIG =
      """
      sources:
        market: {type: sim, seed: 7, pools: 400, update_interval: 20ms, dislocation_probability: 0.5}
      executors:
        paper: {type: paper}
      risk:
        max_trade_input: 100000000
        max_trades_per_minute: 100000
      bots:
        - {id: monitor, type: live_monitor, autostart: true}
        - {id: trader, type: real_executor, autostart: true, settings: {max_input: 5000}}
      """;

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private ArbitrageService service;

  @AfterEach
  void tearDown() {
    if (service != null) {
      service.close();
    }
  }

  @Test
  void theServiceRecordsBotsOpportunitiesExecutionsRiskAndScansThenRemovesItsMeters() {
    service =
        ArbitrageService.builder()
            .config(ConfigLoader.parse(CONFIG, "test.yaml", Map.of()))
            .env(Map.of())
            .meterRegistry(registry)
            .build();
    assertTrue(registry.getMeters().isEmpty(), "nothing before initialize");

    service.initialize();

    awaitTrue(() -> gauge(RehoboamMeters.BOTS, "state", "running") == 2.0);
    assertEquals(0.0, gauge(RehoboamMeters.BOTS, "state", "error"));
    awaitTrue(() -> counter(RehoboamMeters.OPPORTUNITIES_FOUND, "strategy", null) > 0);
    awaitTrue(() -> counter(RehoboamMeters.EXECUTIONS, "status", "simulated") > 0);
    Timer scans =
        registry
            .find(RehoboamMeters.SCAN_LATENCY)
            .tag("bot", "monitor")
            .tag("source", "market")
            .timer();
    assertTrue(scans != null && scans.count() > 0, "scans are timed");
    assertTrue(scans.totalTime(java.util.concurrent.TimeUnit.NANOSECONDS) > 0);
    Gauge profit = registry.find(RehoboamMeters.REALIZED_PROFIT).gauge();
    awaitTrue(() -> profit.value() != 0.0);
    FunctionCounter drops = registry.find(RehoboamMeters.EVENT_DROPS).functionCounter();
    assertEquals(service.eventDrops(), (long) drops.count());

    service.risk().trip("test");

    awaitTrue(() -> counter(RehoboamMeters.RISK_TRIPS, "limit", "kill_switch") == 1);
    awaitTrue(() -> counter(RehoboamMeters.RISK_REJECTIONS, "limit", "kill_switch") > 0);
    assertEquals(2.0, gauge(RehoboamMeters.BOTS, "state", "running"));

    service.close();

    assertNull(registry.find(RehoboamMeters.BOTS).gauge(), "a closed service is not reported");
    assertTrue(registry.getMeters().isEmpty(), registry.getMetersAsString());
  }

  @Test
  void withoutARegistryNoMicrometerClassIsLoaded() throws Exception {
    // The service's classes and their dependencies, minus Micrometer: an application that embeds
    // core without Micrometer.
    List<java.net.URL> urls = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      if (!entry.contains("micrometer") && !entry.contains("HdrHistogram")) {
        urls.add(Path.of(entry).toUri().toURL());
      }
    }
    try (java.net.URLClassLoader loader =
        new java.net.URLClassLoader(
            urls.toArray(java.net.URL[]::new), ClassLoader.getPlatformClassLoader())) {
      Class<?> meterRegistry = null;
      try {
        meterRegistry = loader.loadClass("io.micrometer.core.instrument.MeterRegistry");
      } catch (ClassNotFoundException expected) {
        // as intended: Micrometer is not there
      }
      assertNull(meterRegistry, "the loader hides Micrometer");
      Path config = Files.createTempFile("rehoboam-no-metrics", ".yaml");
      Files.writeString(config, CONFIG);
      Class<?> service = loader.loadClass(ArbitrageService.class.getName());
      Class<?> builder = loader.loadClass(ArbitrageService.Builder.class.getName());
      Class<?> loaderClass = loader.loadClass(ConfigLoader.class.getName());
      Class<?> configClass = loader.loadClass("io.rehoboam.core.config.RehoboamConfig");
      var lookup = java.lang.invoke.MethodHandles.publicLookup();
      Object parsed =
          lookup
              .findStatic(
                  loaderClass,
                  "load",
                  java.lang.invoke.MethodType.methodType(configClass, Path.class, Map.class))
              .invoke(config, Map.of());
      Object b =
          lookup
              .findStatic(service, "builder", java.lang.invoke.MethodType.methodType(builder))
              .invoke();
      lookup
          .findVirtual(
              builder, "config", java.lang.invoke.MethodType.methodType(builder, configClass))
          .invoke(b, parsed);
      lookup
          .findVirtual(builder, "env", java.lang.invoke.MethodType.methodType(builder, Map.class))
          .invoke(b, Map.of());
      AutoCloseable running =
          (AutoCloseable)
              lookup
                  .findVirtual(builder, "build", java.lang.invoke.MethodType.methodType(service))
                  .invoke(b);
      try {
        lookup
            .findVirtual(service, "initialize", java.lang.invoke.MethodType.methodType(void.class))
            .invoke(running);
        Object bots =
            lookup
                .findVirtual(service, "bots", java.lang.invoke.MethodType.methodType(List.class))
                .invoke(running);
        assertEquals(2, ((List<?>) bots).size());
      } catch (Throwable t) {
        throw new AssertionError(t);
      } finally {
        running.close();
      }
    } catch (Throwable t) {
      if (t instanceof Exception e) {
        throw e;
      }
      throw new AssertionError(t);
    }
  }

  private double gauge(String name, String tag, String value) {
    Gauge g = registry.find(name).tag(tag, value).gauge();
    return g == null ? -1 : g.value();
  }

  /** The sum over every counter of this name, or of those with {@code tag=value}. */
  private double counter(String name, String tag, String value) {
    var search = registry.find(name);
    if (value != null) {
      search = search.tag(tag, value);
    }
    return search.counters().stream().mapToDouble(Counter::count).sum();
  }

  private static void awaitTrue(BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 30 s");
      }
      LockSupport.parkNanos(5_000_000L);
    }
  }
}
