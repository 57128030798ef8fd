package io.rehoboam.benchmarks;

import io.rehoboam.core.ArbitrageService;
import io.rehoboam.core.book.OpportunityFilter;
import io.rehoboam.core.config.ConfigLoader;
import io.rehoboam.core.sim.SimMarketSource;
import io.rehoboam.http.HttpAdapter;
import io.rehoboam.http.ServerSettings;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * The server the load harnesses drive: a service with a sim market scanned once by a live monitor
 * (so the book holds opportunities that stay for the run: the market does not tick and they live an
 * hour), two more idle bots, behind the HTTP adapter on loopback with the rate limits off. Metrics
 * are on, as in the standalone server.
 */
final class LoadServer implements AutoCloseable {
  private static final String CONFIG =
      """
      sources:
        sim:
          type: sim
          seed: 42
          pools: 2000
          update_interval: 0
          updates_per_tick: 50
          dislocation_probability: 0.9
      executors:
        paper: {type: paper}
      bots:
        - {id: live_monitor, type: live_monitor, autostart: true, settings: {ttl: 1h}}
        - {id: monitor_b, type: live_monitor, settings: {ttl: 1h}}
        - {id: monitor_c, type: live_monitor, settings: {ttl: 1h}}
      """;

  final ArbitrageService service;
  final HttpAdapter http;

  LoadServer(int maxQueue) {
    this(maxQueue, 0);
  }

  /**
   * @param book with more than 0, a {@link BookFiller} bot adds this many opportunities to the book
   *     besides what the live monitor found
   */
  LoadServer(int maxQueue, int book) {
    io.micrometer.prometheusmetrics.PrometheusMeterRegistry registry =
        new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(
            io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT);
    service =
        ArbitrageService.builder()
            .config(ConfigLoader.parse(CONFIG, "load", Map.of()))
            .env(Map.of())
            .meterRegistry(registry)
            .provider(new BookFiller())
            .build();
    service.initialize();
    // The market moves only when told: step it until the monitor has published enough.
    SimMarketSource sim = (SimMarketSource) service.marketSource("sim");
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (service.opportunities(OpportunityFilter.all().withLimit(100)).size() < 50) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the live monitor found fewer than 50 opportunities");
      }
      sim.step(1);
      LockSupport.parkNanos(5_000_000L);
    }
    if (book > 0) {
      service.register(
          io.rehoboam.core.BotRegistration.of(
              "filler", BookFiller.TYPE, io.rehoboam.spi.Settings.of(Map.of("count", book))));
      service.start("filler");
      while (service
              .opportunities(OpportunityFilter.all().withLimit(OpportunityFilter.MAX_LIMIT))
              .size()
          < Math.min(book, OpportunityFilter.MAX_LIMIT)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the book did not fill");
        }
        LockSupport.parkNanos(5_000_000L);
      }
    }
    ServerSettings settings =
        ServerSettings.DEFAULTS
            .withPort(0)
            .withRateLimit(ServerSettings.RateLimitSettings.OFF)
            .withWebSocket(ServerSettings.WebSocketSettings.DEFAULTS.withMaxQueue(maxQueue));
    http = HttpAdapter.builder(service).settings(settings).meterRegistry(registry).build();
    http.start();
  }

  @Override
  public void close() {
    http.beginShutdown();
    service.close();
    http.close();
  }
}
