package io.rehoboam.http.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rehoboam.core.ArbitrageService;
import io.rehoboam.core.events.EventSubscription;
import io.rehoboam.core.log.LogText;
import io.rehoboam.core.risk.RiskLimit;
import io.rehoboam.http.ServerSettings.AlertSettings;
import io.rehoboam.http.ServerSettings.Webhook;
import io.rehoboam.spi.event.BotState;
import io.rehoboam.spi.event.BotStatusEvent;
import io.rehoboam.spi.event.Event;
import io.rehoboam.spi.event.RiskEvent;
import io.rehoboam.spi.market.SourceHealth;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Raises alerts: a bot entering {@code error} ({@code bot_error}), the kill switch tripped by hand
 * ({@code kill_switch_tripped}) or by the daily loss limit ({@code daily_loss_limit}), a market
 * source turning unhealthy ({@code source_unhealthy}, raised again only after it was up again,
 * which is {@code source_recovered}). Each alert is a JSON object {@code {alert, severity, at,
 * message, bot_id, source_id, seq}} sent to every sink: the log (logger {@code io.rehoboam.alerts},
 * WARN) and each webhook (POST, with a timeout and retries). A sink that fails never holds up the
 * service or the other sinks: webhook deliveries run on a thread of their own and retries wait on
 * the timer. The last {@link #KEPT} alerts are kept in memory for {@code GET /api/arbitrage/alerts}
 * (see {@link #routes}).
 */
public final class Alerts implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger("io.rehoboam.alerts");

  /** Deliveries waiting beyond this are dropped (a dead receiver must not pile up memory). */
  private static final int MAX_PENDING = 1000;

  /** The most alerts {@link #recent} keeps (the oldest go first). */
  public static final int KEPT = 200;

  private final ArbitrageService service;
  private final AlertSettings settings;
  private final ScheduledExecutorService timer;
  private final Clock clock;
  private final ExecutorService delivery;
  private final Set<String> downSources = ConcurrentHashMap.newKeySet();
  private final Set<String> serviceProblems = ConcurrentHashMap.newKeySet();
  private final java.util.ArrayDeque<ObjectNode> kept = new java.util.ArrayDeque<>();
  private EventSubscription subscription;
  private ScheduledFuture<?> sourceCheck;
  private volatile boolean closed;

  public Alerts(
      ArbitrageService service,
      AlertSettings settings,
      ScheduledExecutorService timer,
      Clock clock) {
    this.service = service;
    this.settings = settings;
    this.timer = timer;
    this.clock = clock;
    this.delivery =
        new ThreadPoolExecutor(
            0,
            1,
            30,
            TimeUnit.SECONDS,
            new java.util.concurrent.LinkedBlockingQueue<>(MAX_PENDING),
            new HttpThreads("http-alerts"));
  }

  public void start() {
    subscription =
        service.subscribe(
            this::onEvent, e -> e instanceof BotStatusEvent || e instanceof RiskEvent);
    long every = settings.sourceCheckInterval().toMillis();
    sourceCheck =
        timer.scheduleWithFixedDelay(this::checkSources, every, every, TimeUnit.MILLISECONDS);
  }

  private void onEvent(Event event) {
    if (event instanceof BotStatusEvent s && s.to() == BotState.ERROR) {
      raise(
          "bot_error",
          "critical",
          "bot " + s.botId() + " entered error: " + s.reason(),
          s.botId(),
          null,
          s.seq());
    } else if (event instanceof RiskEvent r && r.decisionKind() == RiskEvent.Decision.TRIP) {
      boolean loss = RiskLimit.DAILY_LOSS_LIMIT.wireName().equals(r.limit());
      raise(
          loss ? "daily_loss_limit" : "kill_switch_tripped",
          "critical",
          (loss ? "daily loss limit hit, kill switch tripped: " : "kill switch tripped: ")
              + r.message(),
          r.botId(),
          null,
          r.seq());
    }
  }

  /**
   * Checks the service's own health: raises {@code journal_failing} when the journal stops taking
   * writes ({@code journal_recovered} when it takes them again) and {@code service_unhealthy} when
   * the service is no longer live. Runs on the timer, so it works even when event delivery does
   * not.
   */
  void checkService() {
    try {
      io.rehoboam.core.ServiceHealth health = service.health();
      for (Map.Entry<String, String> p : health.problems().entrySet()) {
        if (serviceProblems.add(p.getKey())) {
          boolean journal = p.getKey().equals("journal");
          raise(
              journal ? "journal_failing" : "service_unhealthy",
              "critical",
              p.getValue(),
              null,
              null,
              null);
        }
      }
      if (serviceProblems.contains("journal")
          && !health.problems().containsKey("journal")
          && serviceProblems.remove("journal")) {
        raise("journal_recovered", "info", "the journal takes writes again", null, null, null);
      }
    } catch (RuntimeException e) {
      log.debug("Checking the service's health failed: {}", e.toString());
    }
  }

  /**
   * Checks every market source a bot uses; raises an alert when one that was up (or new) is down.
   */
  void checkSources() {
    checkService();
    try {
      for (String id : service.marketSourceIds()) {
        if (!service.marketSourceInUse(id)) {
          continue; // idle by design: no bot uses it
        }
        SourceHealth health;
        try {
          health = service.marketSource(id).health();
        } catch (RuntimeException e) {
          health = SourceHealth.down("health check failed: " + e);
        }
        if (health.up()) {
          if (downSources.remove(id)) {
            raise(
                "source_recovered", "info", "market source " + id + " is up again", null, id, null);
          }
        } else if (downSources.add(id)) {
          raise(
              "source_unhealthy",
              "warning",
              "market source " + id + " is unhealthy: " + health.message(),
              null,
              id,
              null);
        }
      }
    } catch (RuntimeException e) {
      // The service may be closing; the next check tries again.
      log.debug("Checking market sources failed: {}", e.toString());
    }
  }

  private void raise(
      String alert, String severity, String message, String botId, String sourceId, Long seq) {
    ObjectNode body = Json.mapper().createObjectNode();
    body.put("alert", alert);
    body.put("severity", severity);
    body.put("at", clock.instant().toString());
    body.put("message", message);
    body.put("bot_id", botId);
    body.put("source_id", sourceId);
    if (seq == null) {
      body.putNull("seq");
    } else {
      body.put("seq", seq);
    }
    String json = body.toString();
    synchronized (kept) {
      if (kept.size() >= KEPT) {
        kept.pollLast();
      }
      kept.addFirst(body);
    }
    if (settings.log()) {
      log.warn("ALERT {} ({}): {}", alert, severity, LogText.escape(message));
    }
    for (Webhook hook : settings.webhooks()) {
      deliver(hook, json, alert, 0);
    }
  }

  /** {@code GET /api/arbitrage/alerts?limit=N} (scope read): the {@link #recent} alerts. */
  public java.util.List<Route> routes() {
    return java.util.List.of(
        new Route(
            io.javalin.http.HandlerType.GET,
            RestApi.BASE + "/alerts",
            io.rehoboam.http.Scope.READ,
            null,
            this::list));
  }

  private void list(io.javalin.http.Context ctx) {
    RestApi.onlyParams(ctx, java.util.List.of("limit"));
    int limit = RestApi.intParam(ctx, "limit", 50);
    if (limit < 1 || limit > KEPT) {
      throw ApiError.invalid("limit", "must be 1.." + KEPT + ", was " + limit).toException();
    }
    java.util.List<ObjectNode> alerts = recent(limit);
    Map<String, Object> body = new java.util.LinkedHashMap<>();
    body.put("alerts", alerts);
    body.put("count", alerts.size());
    RestApi.json(ctx, 200, body);
  }

  /**
   * The alerts raised since the server started, newest first: at most {@code limit} of the last
   * {@link #KEPT}, each as sent to the sinks.
   */
  public java.util.List<ObjectNode> recent(int limit) {
    synchronized (kept) {
      return kept.stream().limit(limit).map(ObjectNode::deepCopy).toList();
    }
  }

  private void deliver(Webhook hook, String json, String alert, int attempt) {
    if (closed) {
      return;
    }
    try {
      delivery.execute(() -> attempt(hook, json, alert, attempt));
    } catch (RejectedExecutionException e) {
      log.warn("Alert {} to {} dropped: too many deliveries waiting", alert, hook);
    }
  }

  private void attempt(Webhook hook, String json, String alert, int attempt) {
    String failure = post(hook, json);
    if (failure == null) {
      log.debug("Alert {} delivered to {}", alert, hook);
      return;
    }
    if (attempt >= hook.retries()) {
      log.warn(
          "Alert {} could not be delivered to {} after {} attempts: {}",
          alert,
          hook,
          attempt + 1,
          LogText.escape(failure));
      return;
    }
    long delay = hook.retryBackoff().toMillis() << Math.min(attempt, 16);
    log.info(
        "Alert {} to {} failed ({}); attempt {} in {} ms",
        alert,
        hook,
        LogText.escape(failure),
        attempt + 2,
        delay);
    try {
      timer.schedule(() -> deliver(hook, json, alert, attempt + 1), delay, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // The adapter is closing.
    }
  }

  /** One POST; null when the receiver answered 2xx, otherwise why not. */
  private static String post(Webhook hook, String json) {
    HttpURLConnection connection = null;
    try {
      connection = (HttpURLConnection) hook.url().toURL().openConnection();
      int timeout = (int) Math.min(Integer.MAX_VALUE, hook.timeout().toMillis());
      connection.setConnectTimeout(timeout);
      connection.setReadTimeout(timeout);
      connection.setRequestMethod("POST");
      connection.setDoOutput(true);
      connection.setRequestProperty("Content-Type", "application/json");
      // No keep-alive: the JDK would keep a timer thread of its own for idle connections.
      connection.setRequestProperty("Connection", "close");
      byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
      connection.setFixedLengthStreamingMode(bytes.length);
      try (OutputStream out = connection.getOutputStream()) {
        out.write(bytes);
      }
      int status = connection.getResponseCode();
      try (InputStream in =
          status >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
        if (in != null) {
          in.readNBytes(64 * 1024);
        }
      }
      return status / 100 == 2 ? null : "HTTP " + status;
    } catch (IOException | RuntimeException e) {
      return e.toString();
    } finally {
      if (connection != null) {
        connection.disconnect();
      }
    }
  }

  /** Stops raising alerts; deliveries still under way get a moment to finish. */
  @Override
  public void close() {
    closed = true;
    if (subscription != null) {
      subscription.close();
    }
    if (sourceCheck != null) {
      sourceCheck.cancel(false);
    }
    delivery.shutdown();
    try {
      if (!delivery.awaitTermination(2, TimeUnit.SECONDS)) {
        delivery.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      delivery.shutdownNow();
    }
  }
}
