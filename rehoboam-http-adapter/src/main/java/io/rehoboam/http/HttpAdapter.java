package io.rehoboam.http;

import io.javalin.Javalin;
import io.javalin.http.HttpResponseException;
import io.javalin.router.Endpoint;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.rehoboam.backtest.jobs.BacktestJobs;
import io.rehoboam.core.ArbitrageService;
import io.rehoboam.http.internal.Access;
import io.rehoboam.http.internal.Alerts;
import io.rehoboam.http.internal.Analyses;
import io.rehoboam.http.internal.ApiError;
import io.rehoboam.http.internal.Audit;
import io.rehoboam.http.internal.BacktestApi;
import io.rehoboam.http.internal.Dashboard;
import io.rehoboam.http.internal.Guard;
import io.rehoboam.http.internal.HeaderDeadline;
import io.rehoboam.http.internal.HttpErrors;
import io.rehoboam.http.internal.HttpMetrics;
import io.rehoboam.http.internal.HttpThreads;
import io.rehoboam.http.internal.Json;
import io.rehoboam.http.internal.JsonErrorHandler;
import io.rehoboam.http.internal.NoSessionFilter;
import io.rehoboam.http.internal.OpsApi;
import io.rehoboam.http.internal.Principal;
import io.rehoboam.http.internal.RateLimiter;
import io.rehoboam.http.internal.RestApi;
import io.rehoboam.http.internal.Route;
import io.rehoboam.http.internal.SocketAbort;
import io.rehoboam.http.internal.WsHub;
import io.rehoboam.spi.Checks;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import jakarta.servlet.DispatcherType;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.StatisticsHandler;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts an {@link ArbitrageService} on HTTP: the REST endpoints under {@code /api/arbitrage}, the
 * WebSocket {@code /ws/arbitrage}, with the JSON shapes of the data contract, and the operations
 * endpoints {@code /health}, {@code /health/live}, {@code /metrics} and {@code /openapi.json}, and
 * the web dashboard at {@code /} (module {@code rehoboam-dashboard}, under a strict
 * Content-Security-Policy).
 *
 * <p>Security (see {@link ServerSettings}): API keys with scopes (401 without a valid key, 403
 * without the scope), rate limits per key and per client address (429 with Retry-After), browser
 * origins closed unless listed, HTTPS/WSS with a keystore, an audit record of every control and
 * execute action, and alerts to the log and webhooks.
 *
 * <pre>{@code
 * try (HttpAdapter http = HttpAdapter.builder(service).settings(ServerSettings.from(config)).build()) {
 *   http.start();
 *   System.out.println("listening on " + http.uri());
 *   ...
 * }
 * }</pre>
 *
 * <p>The adapter does not own the service: {@link #close()} stops the server, not the service. For
 * a graceful stop call {@link #beginShutdown()} (requests get 503 from then on), close the service
 * (its bots stop, its last events still reach the WebSocket clients), then {@link #close()}
 * (clients are closed with 1001 and a reason). Thread-safe. Every thread it starts is named {@code
 * rehoboam-http-...} and is gone after {@link #close()}.
 */
public final class HttpAdapter implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HttpAdapter.class);
  private static final java.util.Set<String> HTTP_METHODS =
      java.util.Set.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS");

  private final ArbitrageService service;
  private final ServerSettings settings;
  private final Clock clock;
  private final PrometheusMeterRegistry registry;
  private final BacktestJobs backtests;
  private Alerts alerts;
  private Analyses analyses;
  private Guard guard;
  private List<Route> routes = List.of();
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile boolean shuttingDown;
  private ScheduledThreadPoolExecutor timer;
  private WsHub hub;
  private volatile ServerConnector connector;
  private Javalin app;
  private InetAddress address;

  private final java.util.function.Supplier<Map<String, Object>> cluster;

  private HttpAdapter(Builder b) {
    this.service = b.service;
    this.settings = b.settings;
    this.clock = b.clock;
    this.registry =
        b.registry != null ? b.registry : new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    this.backtests = b.backtests;
    this.cluster = b.cluster;
  }

  public static Builder builder(ArbitrageService service) {
    return new Builder(service);
  }

  /**
   * Binds and starts serving. Call once.
   *
   * @throws RehoboamException INVALID_CONFIG when {@code server.bind} is beyond loopback without
   *     API keys or the TLS keystore cannot be read, CONFLICT when already started, INTERNAL when
   *     the port cannot be bound (the message names the address)
   */
  public HttpAdapter start() {
    if (!started.compareAndSet(false, true)) {
      throw new RehoboamException(ErrorCode.CONFLICT, "the HTTP adapter was already started");
    }
    address = settings.listenAddress();
    SslContextFactory.Server tls = settings.tls() == null ? null : tls(settings.tls());
    timer = new ScheduledThreadPoolExecutor(1, new HttpThreads("http-timer"));
    timer.setRemoveOnCancelPolicy(true);
    RateLimiter perKey = new RateLimiter(settings.rateLimit().perKey(), clock);
    RateLimiter perAddress = new RateLimiter(settings.rateLimit().perAddress(), clock);
    timer.scheduleWithFixedDelay(
        () -> {
          perKey.sweep();
          perAddress.sweep();
        },
        1,
        1,
        TimeUnit.MINUTES);
    guard =
        new Guard(new Access(settings), perKey, perAddress, settings.cors(), new Audit(service));
    hub =
        new WsHub(
            service,
            settings.webSocket(),
            timer,
            clock,
            () -> shuttingDown,
            guard,
            new SocketAbort(() -> connector));
    RestApi rest = new RestApi(service, settings.maxBodyBytes(), settings.timeouts().body());
    OpsApi ops = new OpsApi(service, registry, guard, () -> shuttingDown, cluster);
    HttpMetrics httpMetrics = new HttpMetrics(registry);
    alerts = new Alerts(service, settings.alerts(), timer, clock);
    List<Route> all = new ArrayList<>(rest.routes());
    all.addAll(alerts.routes());
    all.addAll(ops.routes());
    analyses = new Analyses(service);
    all.add(analyses.route());
    all.addAll(
        new BacktestApi(backtests, settings.maxBodyBytes(), settings.timeouts().body()).routes());
    routes = List.copyOf(all);
    QueuedThreadPool pool = new QueuedThreadPool(64, 4, 60_000);
    pool.setName("rehoboam-http");
    pool.setDaemon(true);
    // Our own Jetty server, only so that its scheduler thread is named like every other thread of
    // the library (Javalin's default server names it Scheduler-<hash>).
    Server server =
        new Server(pool, new ScheduledExecutorScheduler("rehoboam-http-scheduler", true), null);
    server.insertHandler(new StatisticsHandler()); // lets stop() finish requests in flight
    // Our own connector (Javalin adds none then), HTTP or, with a keystore, HTTPS (and so WSS)
    // only: its limits are ours.
    ServerSettings.TimeoutSettings timeouts = settings.timeouts();
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    // While a request is being read (its body) or answered, no more than this without progress.
    http.setIdleTimeout(timeouts.body().toMillis());
    ServerConnector listener;
    if (tls != null) {
      SecureRequestCustomizer secure = new SecureRequestCustomizer();
      // The certificate names the server; clients that connect by another name (an IP) still
      // verify it themselves. Jetty's own SNI host check would refuse them with 400.
      secure.setSniHostCheck(false);
      http.addCustomizer(secure);
      listener =
          new ServerConnector(
              server,
              new SslConnectionFactory(tls, HttpVersion.HTTP_1_1.asString()),
              new HttpConnectionFactory(http));
    } else {
      listener = new ServerConnector(server, new HttpConnectionFactory(http));
    }
    listener.setHost(address.getHostAddress());
    listener.setPort(settings.port());
    listener.setIdleTimeout(timeouts.idle().toMillis());
    server.addConnector(listener);
    connector = listener;
    server.setErrorHandler(new JsonErrorHandler());
    HeaderDeadline headerDeadline = new HeaderDeadline(timeouts.header());
    long sweepMillis = headerDeadline.period().toMillis();
    timer.scheduleWithFixedDelay(
        () -> headerDeadline.sweep(listener.getConnectedEndPoints()),
        sweepMillis,
        sweepMillis,
        TimeUnit.MILLISECONDS);
    ServerSettings.WebSocketSettings ws = settings.webSocket();
    try {
      hub.start();
      app =
          Javalin.create(
              config -> {
                config.startup.showJavalinBanner = false;
                config.startup.showOldJavalinVersionWarning = false;
                config.startup.startupWatcherEnabled = false;
                config.http.maxRequestSize = settings.maxBodyBytes();
                config.http.prefer405over404 = true;
                config.jetty.host = address.getHostAddress();
                config.jetty.port = settings.port();
                config.unsafe.jettyInternal.server = server;
                config.jetty.timeoutStatus = 408;
                config.jetty.modifyServletContextHandler(
                    context -> {
                      // No HTTP sessions at all (Javalin asks for one on every WebSocket
                      // upgrade), and JSON error pages for what the servlet layer answers itself.
                      context.addFilter(
                          NoSessionFilter.class, "/*", EnumSet.of(DispatcherType.REQUEST));
                      context.setErrorHandler(new JsonErrorHandler());
                    });
                config.jetty.modifyWebSocketServletFactory(
                    factory -> {
                      factory.setIdleTimeout(ws.idleTimeout());
                      factory.setMaxTextMessageSize(ws.maxMessageBytes());
                      factory.setMaxBinaryMessageSize(ws.maxMessageBytes());
                    });
                config.routes.before(
                    ctx -> {
                      if (shuttingDown) {
                        throw shuttingDownError().toException();
                      }
                      guard.before(ctx);
                    });
                config.requestLogger.http(httpMetrics::record);
                config.routes.exception(
                    HttpResponseException.class, (e, ctx) -> respond(ctx, fromJavalin(e, ctx)));
                config.routes.exception(Exception.class, (e, ctx) -> respond(ctx, ApiError.of(e)));
                config.routes.wsBeforeUpgrade(
                    WsHub.PATH,
                    ctx -> {
                      if (shuttingDown) {
                        throw shuttingDownError().toException();
                      }
                      Principal principal = guard.upgrade(ctx);
                      WsHub.checkUpgrade(ctx);
                      hub.admit(ctx, principal);
                    });
                config.routes.ws(WsHub.PATH, hub::configure);
                Dashboard.configure(config);
                for (Route route : routes) {
                  config.routes.addEndpoint(
                      new Endpoint(route.method(), route.path(), guard.wrap(route)));
                }
              });
      app.start();
      alerts.start();
      analyses.start();
    } catch (RuntimeException e) {
      close();
      if (e instanceof RehoboamException re) {
        throw re;
      }
      throw new RehoboamException(
          ErrorCode.INTERNAL,
          "cannot listen on "
              + address.getHostAddress()
              + ":"
              + settings.port()
              + ": "
              + (e.getMessage() == null ? e.toString() : e.getMessage()),
          e);
    }
    log.info("HTTP adapter listening on {} (WebSocket {})", uri(), webSocketUri());
    return this;
  }

  private static void respond(io.javalin.http.Context ctx, ApiError error) {
    if (error.status() == 408) {
      ctx.header("Connection", "close"); // what is left of a late body is not worth waiting for
    }
    if ("websocket".equalsIgnoreCase(ctx.header("Upgrade"))) {
      // A refused WebSocket upgrade: Javalin writes no result for it, so the body goes out here.
      byte[] body = Json.write(error.body()).getBytes(StandardCharsets.UTF_8);
      ctx.res().setStatus(error.status());
      ctx.res().setContentType("application/json");
      ctx.res().setContentLength(body.length);
      try {
        ctx.res().getOutputStream().write(body);
        ctx.res().flushBuffer();
      } catch (java.io.IOException e) {
        log.debug("Answering a refused WebSocket upgrade failed: {}", e.toString());
      }
      return;
    }
    RestApi.json(ctx, error.status(), error.body());
  }

  private static ApiError shuttingDownError() {
    return new ApiError(503, ErrorCode.SHUTTING_DOWN.name(), "the server is shutting down", null);
  }

  /** Javalin's own refusals (no such endpoint, wrong method, body too large) in our shape. */
  private static ApiError fromJavalin(HttpResponseException e, io.javalin.http.Context ctx) {
    return switch (e.getStatus()) {
      case 404 ->
          new ApiError(
              404,
              ErrorCode.NOT_FOUND.name(),
              "no endpoint " + ctx.method() + " " + clip(ctx.path()),
              null);
      case 405 ->
          new ApiError(
              405,
              "METHOD_NOT_ALLOWED",
              "method " + ctx.method() + " is not allowed on " + clip(ctx.path()),
              null);
      case 503 ->
          new ApiError(503, ErrorCode.SHUTTING_DOWN.name(), "the server is shutting down", null);
      default -> HttpErrors.of(e.getStatus(), e.getMessage());
    };
  }

  private static String clip(String text) {
    return text.length() <= 200 ? text : text.substring(0, 200) + "...";
  }

  private static SslContextFactory.Server tls(ServerSettings.TlsSettings tls) {
    KeyStore keyStore;
    try (java.io.InputStream in = java.nio.file.Files.newInputStream(tls.keystore())) {
      keyStore = KeyStore.getInstance(tls.keystoreType());
      keyStore.load(in, tls.keystorePassword().toCharArray());
    } catch (java.io.IOException | java.security.GeneralSecurityException e) {
      throw new RehoboamException(
          ErrorCode.INVALID_CONFIG,
          "server.tls.keystore: cannot read "
              + tls.keystore()
              + " as "
              + tls.keystoreType()
              + " with the password from keystore_password_env: "
              + e.getMessage(),
          e);
    }
    SslContextFactory.Server factory = new SslContextFactory.Server();
    factory.setKeyStore(keyStore);
    factory.setKeyStorePassword(tls.keystorePassword());
    factory.setKeyManagerPassword(tls.keystorePassword());
    return factory;
  }

  /**
   * Every HTTP route the server serves, as {@code METHOD /path} with Javalin's (and OpenAPI's)
   * {@code {param}} syntax, read from the running router.
   */
  public List<String> routes() {
    requireStarted();
    return app.unsafe.internalRouter.allHttpHandlers().stream()
        .filter(e -> HTTP_METHODS.contains(e.endpoint.method.name()))
        .map(e -> e.endpoint.method.name() + " " + e.endpoint.path)
        .sorted()
        .toList();
  }

  /** The registry behind {@code GET /metrics}. */
  public PrometheusMeterRegistry meterRegistry() {
    return registry;
  }

  /** The port the server listens on (the real one when 0 was configured). */
  public int port() {
    requireStarted();
    return app.port();
  }

  /** {@code http://<bind>:<port>}, or {@code https://...} with TLS. */
  public URI uri() {
    requireStarted();
    return URI.create(
        (settings.tls() == null ? "http" : "https") + "://" + hostForUri() + ":" + port());
  }

  /** {@code ws://<bind>:<port>/ws/arbitrage}, or {@code wss://...} with TLS. */
  public URI webSocketUri() {
    requireStarted();
    return URI.create(
        (settings.tls() == null ? "ws" : "wss") + "://" + hostForUri() + ":" + port() + WsHub.PATH);
  }

  private String hostForUri() {
    String host = address.getHostAddress();
    return host.contains(":") ? "[" + host + "]" : host;
  }

  /** The number of connected WebSocket clients. */
  public int webSocketClients() {
    return hub == null ? 0 : hub.clientCount();
  }

  /**
   * From now on every request is answered 503 and WebSocket commands are refused; events still flow
   * to connected clients. Idempotent.
   */
  public void beginShutdown() {
    shuttingDown = true;
  }

  public boolean isShuttingDown() {
    return shuttingDown;
  }

  /**
   * Closes every WebSocket client with 1001 and a reason, waits (up to {@code
   * server.ws.close_timeout}) for them to go, stops the server and its threads. Does not close the
   * service. Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    shuttingDown = true;
    if (alerts != null) {
      alerts.close();
    }
    if (analyses != null) {
      analyses.close();
    }
    if (hub != null) {
      hub.close();
      Duration wait = settings.webSocket().closeTimeout();
      if (!hub.awaitNoClients(wait)) {
        log.warn("Some WebSocket clients did not close within {}", wait);
      }
    }
    if (app != null) {
      try {
        app.stop();
      } catch (RuntimeException e) {
        log.warn("Stopping the HTTP server failed", e);
      }
    }
    if (timer != null) {
      timer.shutdownNow();
      try {
        if (!timer.awaitTermination(5, TimeUnit.SECONDS)) {
          log.warn("The HTTP adapter's timer did not stop");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    log.info("HTTP adapter stopped");
  }

  private void requireStarted() {
    if (app == null) {
      throw new RehoboamException(ErrorCode.CONFLICT, "the HTTP adapter is not started");
    }
  }

  /** Builds an {@link HttpAdapter}. */
  public static final class Builder {
    private final ArbitrageService service;
    private ServerSettings settings = ServerSettings.DEFAULTS;
    private Clock clock = Clock.systemUTC();
    private PrometheusMeterRegistry registry;
    private BacktestJobs backtests;
    private java.util.function.Supplier<Map<String, Object>> cluster;

    private Builder(ArbitrageService service) {
      this.service = Checks.notNull(service, "service");
    }

    /** The server settings (default {@link ServerSettings#DEFAULTS}). */
    public Builder settings(ServerSettings settings) {
      this.settings = Checks.notNull(settings, "settings");
      return this;
    }

    /** Stamps hello, heartbeat and pong messages (default system UTC). */
    public Builder clock(Clock clock) {
      this.clock = Checks.notNull(clock, "clock");
      return this;
    }

    /**
     * The registry {@code GET /metrics} shows and HTTP request timings go to. Pass the same
     * registry to {@code ArbitrageService.builder().meterRegistry(...)} to see the service's meters
     * there too. Default: a registry of the adapter's own with the HTTP timings only.
     */
    public Builder meterRegistry(PrometheusMeterRegistry registry) {
      this.registry = Checks.notNull(registry, "registry");
      return this;
    }

    /**
     * Serves these backtests under {@code /api/arbitrage/backtests} (submit, progress, reports).
     * The adapter does not close them. Default: none (those routes answer 404 saying so).
     */
    public Builder backtests(BacktestJobs backtests) {
      this.backtests = Checks.notNull(backtests, "backtests");
      return this;
    }

    /**
     * Shows a cluster's membership and ownership under {@code cluster} in {@code /health} (to
     * callers with scope read). Default: none (one server alone).
     */
    public Builder cluster(java.util.function.Supplier<Map<String, Object>> cluster) {
      this.cluster = Checks.notNull(cluster, "cluster");
      return this;
    }

    public HttpAdapter build() {
      return new HttpAdapter(this);
    }
  }
}
