package io.rehoboam.http.internal;

import static io.javalin.http.HandlerType.GET;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.rehoboam.core.ArbitrageService;
import io.rehoboam.core.BotStatus;
import io.rehoboam.core.ServiceHealth;
import io.rehoboam.http.Scope;
import io.rehoboam.spi.event.BotState;
import io.rehoboam.spi.market.SourceHealth;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The operations endpoints: {@code GET /health} (readiness, 503 when not ready; the bots' and
 * sources' details for callers with scope read), {@code GET /health/live} (liveness), {@code GET
 * /metrics} (Prometheus text format, scope read) and {@code GET /openapi.json}.
 */
public final class OpsApi {
  public static final String OPENAPI_RESOURCE = "/io/rehoboam/http/openapi.yaml";
  public static final String PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final ArbitrageService service;
  private final PrometheusMeterRegistry registry;
  private final Guard guard;
  private final BooleanSupplier shuttingDown;
  private final String openApi;

  public OpsApi(
      ArbitrageService service,
      PrometheusMeterRegistry registry,
      Guard guard,
      BooleanSupplier shuttingDown,
      java.util.function.Supplier<Map<String, Object>> cluster) {
    this.cluster = cluster;
    this.service = service;
    this.registry = registry;
    this.guard = guard;
    this.shuttingDown = shuttingDown;
    this.openApi = Json.write(openApiDocument());
  }

  /** The OpenAPI document (from the YAML resource), as JSON. */
  public static JsonNode openApiDocument() {
    try (InputStream in = OpsApi.class.getResourceAsStream(OPENAPI_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(OPENAPI_RESOURCE + " is missing from the adapter's jar");
      }
      JsonNode document = new YAMLMapper().readTree(in);
      addCommonResponses(document);
      return document;
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + OPENAPI_RESOURCE, e);
    }
  }

  private static final List<String> METHODS =
      List.of("get", "put", "post", "delete", "patch", "head", "options");

  /**
   * Lists on every operation the statuses any request can get, besides its own: 400 (a malformed
   * request), 401 and 403 (on operations that need a key), 405, 408, 413 and 415 (on operations
   * that take a body), 414, 429, 431, 500 and 503. An operation's own entry for a status wins.
   */
  static void addCommonResponses(JsonNode document) {
    boolean securedByDefault = document.path("security").size() > 0;
    document
        .path("paths")
        .fields()
        .forEachRemaining(
            path ->
                path.getValue()
                    .fields()
                    .forEachRemaining(
                        operation -> {
                          if (!METHODS.contains(operation.getKey())
                              || !(operation.getValue() instanceof ObjectNode op)) {
                            return;
                          }
                          JsonNode security = op.get("security");
                          boolean secured =
                              security == null ? securedByDefault : security.size() > 0;
                          boolean body = op.has("requestBody") || operation.getKey().equals("post");
                          ObjectNode responses = op.withObjectProperty("responses");
                          add(responses, "400", "BadRequest");
                          if (secured) {
                            add(responses, "401", "Unauthenticated");
                            add(responses, "403", "Forbidden");
                          }
                          add(responses, "405", "MethodNotAllowed");
                          add(responses, "408", "RequestTimeout");
                          if (body) {
                            add(responses, "413", "PayloadTooLarge");
                            add(responses, "415", "UnsupportedMediaType");
                          }
                          add(responses, "414", "UriTooLong");
                          add(responses, "429", "RateLimited");
                          add(responses, "431", "HeadersTooLarge");
                          add(responses, "500", "Internal");
                          add(responses, "503", "Unavailable");
                        }));
  }

  private static void add(ObjectNode responses, String status, String component) {
    if (!responses.has(status)) {
      responses.putObject(status).put("$ref", "#/components/responses/" + component);
    }
  }

  public List<Route> routes() {
    return List.of(
        new Route(GET, "/health", null, null, this::health),
        new Route(GET, "/health/live", null, null, this::live),
        new Route(GET, "/metrics", Scope.READ, null, this::metrics),
        new Route(GET, "/openapi.json", null, null, this::openApi));
  }

  /**
   * Up while the service can do its work; 503 {@code down} once it cannot and only a restart
   * repairs it (an OutOfMemoryError, a dead event delivery thread).
   */
  private void live(Context ctx) {
    ServiceHealth health = service.health();
    if (health.live()) {
      RestApi.json(ctx, 200, Map.of("status", "up"));
      return;
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", "down");
    if (seesDetails(ctx)) {
      body.put("problems", List.copyOf(health.problems().values()));
    }
    RestApi.json(ctx, 503, body);
  }

  /**
   * Ready when the server is not shutting down, every market source a bot uses is up, and every bot
   * that should run (desired state running) runs.
   */
  /** The cluster's membership and ownership for {@code /health}, or null outside a cluster. */
  private final java.util.function.Supplier<Map<String, Object>> cluster;

  private void health(Context ctx) {
    List<Map<String, Object>> bots = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    if (shuttingDown.getAsBoolean()) {
      problems.add("the server is shutting down");
    }
    ServiceHealth own = service.health();
    problems.addAll(own.problems().values());
    for (BotStatus bot : service.bots()) {
      Map<String, Object> b = new LinkedHashMap<>();
      b.put("bot_id", bot.botId());
      b.put("status", bot.status());
      b.put("desired_state", bot.desiredState());
      b.put("health", bot.health());
      bots.add(b);
      // A bot another server of a cluster runs is not this server's problem.
      if (bot.desiredState() == BotState.RUNNING
          && bot.status() != BotState.RUNNING
          && service.runsHere(bot.botId())) {
        problems.add("bot " + bot.botId() + " is " + bot.status().wireName());
      }
    }
    List<Map<String, Object>> sources = new ArrayList<>();
    for (String id : service.marketSourceIds()) {
      SourceHealth h;
      try {
        h = service.marketSource(id).health();
      } catch (RuntimeException e) {
        h = SourceHealth.down("health check failed: " + e);
      }
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("source_id", id);
      s.put("up", h.up());
      s.put("last_update", h.lastUpdate());
      s.put("message", h.message());
      boolean inUse = service.marketSourceInUse(id);
      s.put("in_use", inUse);
      sources.add(s);
      if (!h.up() && inUse) {
        problems.add("source " + id + " is down: " + h.message());
      }
    }
    boolean ready = problems.isEmpty();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", ready ? "ready" : "not_ready");
    body.put("live", own.live());
    body.put("ready", ready);
    if (seesDetails(ctx)) {
      body.put("problems", problems);
      body.put("bots", bots);
      body.put("sources", sources);
      if (cluster != null) {
        body.put("cluster", cluster.get());
      }
    }
    RestApi.json(ctx, ready ? 200 : 503, body);
  }

  /**
   * Details for callers with scope read. Without a header on a server with keys: the summary only
   * (a load balancer's probe needs no key); a header that is there must be valid.
   */
  private boolean seesDetails(Context ctx) {
    if (guard.access().keysRequired() && ctx.header("Authorization") == null) {
      return false;
    }
    return guard.authenticate(ctx).allows(Scope.READ);
  }

  private void metrics(Context ctx) {
    ctx.status(200).contentType(PROMETHEUS_CONTENT_TYPE).result(registry.scrape());
  }

  private void openApi(Context ctx) {
    ctx.status(200).contentType("application/json").result(openApi);
  }
}
