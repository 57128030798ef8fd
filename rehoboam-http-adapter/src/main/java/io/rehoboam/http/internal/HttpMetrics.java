package io.rehoboam.http.internal;

import io.javalin.http.Context;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Times every HTTP request: timer {@code http.server.requests} (Prometheus {@code
 * http_server_requests_seconds}) with tags {@code method}, {@code uri} (the route template, {@code
 * NOT_FOUND} when none matched, {@code REFUSED} when refused before routing) and {@code status}, as
 * a histogram with a few latency buckets.
 */
public final class HttpMetrics {
  public static final String REQUESTS = "http.server.requests";

  private static final Duration[] BUCKETS = {
    Duration.ofMillis(1),
    Duration.ofMillis(5),
    Duration.ofMillis(25),
    Duration.ofMillis(100),
    Duration.ofMillis(500),
    Duration.ofSeconds(2)
  };

  private record Key(String method, String uri, int status) {}

  private final MeterRegistry registry;

  /** The timers by method, route and status: found without building a meter id per request. */
  private final Map<Key, Timer> timers = new ConcurrentHashMap<>();

  public HttpMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Called by Javalin's request logger after each request. */
  public void record(Context ctx, Float millis) {
    Object route = ctx.attribute(Guard.ROUTE_ATTRIBUTE);
    int status = ctx.statusCode();
    // No route: either none matched, or the request was refused before routing (origin, host,
    // rate limit, shutting down).
    String uri =
        route != null ? route.toString() : status == 404 || status == 405 ? "NOT_FOUND" : "REFUSED";
    Key key = new Key(ctx.method().name(), uri, status);
    timers
        .computeIfAbsent(
            key,
            k ->
                Timer.builder(REQUESTS)
                    .description("HTTP requests")
                    .tag("method", k.method())
                    .tag("uri", k.uri())
                    .tag("status", Integer.toString(k.status()))
                    .serviceLevelObjectives(BUCKETS)
                    .register(registry))
        .record((long) (millis * 1_000_000L), TimeUnit.NANOSECONDS);
  }
}
