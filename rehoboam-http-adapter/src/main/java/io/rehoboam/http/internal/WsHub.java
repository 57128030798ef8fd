package io.rehoboam.http.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import io.rehoboam.core.ArbitrageService;
import io.rehoboam.core.ExecuteRequest;
import io.rehoboam.core.events.EventSubscription;
import io.rehoboam.core.log.LogText;
import io.rehoboam.http.Scope;
import io.rehoboam.http.ServerSettings.WebSocketSettings;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.event.Event;
import io.rehoboam.spi.event.OpportunityFoundEvent;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebSocket {@code /ws/arbitrage}: one subscription to the service fans every event out to the
 * connected clients (each through its own bounded {@link WsClient} queue), keeps the last events
 * for clients that reconnect with {@code resume_from}, sends heartbeats and answers client messages
 * (subscribe, unsubscribe, ping and the control commands).
 *
 * <p>Server messages besides events: {@code hello} (first, with {@code last_seq}), {@code gap}
 * (resume no longer possible for a range), {@code heartbeat}, {@code pong}, {@code result} (of a
 * command, with the client's {@code id}) and {@code error} (a message that could not be read).
 */
public final class WsHub implements AutoCloseable {
  public static final String PATH = "/ws/arbitrage";

  private static final Logger log = LoggerFactory.getLogger(WsHub.class);

  private static final List<String> MESSAGE_TYPES =
      List.of(
          "ping",
          "subscribe",
          "unsubscribe",
          "start_bot",
          "stop_bot",
          "execute",
          "start_monitoring",
          "stop_monitoring",
          "trip_kill_switch",
          "reset_kill_switch",
          "change_risk_limits",
          "change_bot_settings",
          "bot_command");

  /** The audit action of each control and execute command. */
  private static final Map<String, String> ACTIONS =
      Map.of(
          "start_bot", "start_bot",
          "stop_bot", "stop_bot",
          "execute", "execute",
          "start_monitoring", "start_monitoring",
          "stop_monitoring", "stop_monitoring",
          "trip_kill_switch", "trip_kill_switch",
          "reset_kill_switch", "reset_kill_switch",
          "change_risk_limits", "change_risk_limits",
          "change_bot_settings", "change_bot_settings",
          "bot_command", "bot_command");

  private static final long DEFAULT_COMMAND_WAIT_MS = 2000;

  private static final CompletionStage<Object> DONE = CompletableFuture.completedFuture(null);

  private record Recent(long seq, String type, String botId, String json) {}

  /** A handshake the upgrade check let through, until its connection opens. */
  private record Admitted(Principal principal, String address, long atNanos) {}

  /**
   * Javalin hands the connection no attribute set by the upgrade check, so the check's outcome is
   * kept here by handshake: the client's Sec-WebSocket-Key and its address and port, unique per TCP
   * connection.
   */
  private final Map<String, Admitted> admitted = new ConcurrentHashMap<>();

  private final ArbitrageService service;
  private final WebSocketSettings settings;
  private final ScheduledExecutorService timer;
  private final Clock clock;
  private final BooleanSupplier shuttingDown;
  private final Guard guard;
  private final SocketAbort abort;
  private final ReadableAmounts readable;
  private final Map<String, WsClient> clients = new ConcurrentHashMap<>();

  /**
   * Where the commands that block run (a bot command waiting for its reply, a settings change
   * restarting the bot): not on the WebSocket's threads.
   */
  private final java.util.concurrent.ThreadPoolExecutor blocking = blockingPool();

  private final Object lock = new Object();
  private final ArrayDeque<Recent> recent = new ArrayDeque<>();
  private long lastSeq;
  private EventSubscription subscription;
  private ScheduledFuture<?> heartbeat;

  public WsHub(
      ArbitrageService service,
      WebSocketSettings settings,
      ScheduledExecutorService timer,
      Clock clock,
      BooleanSupplier shuttingDown,
      Guard guard,
      SocketAbort abort) {
    this.abort = abort;
    this.service = service;
    this.readable = new ReadableAmounts(service);
    this.settings = settings;
    this.timer = timer;
    this.clock = clock;
    this.shuttingDown = shuttingDown;
    this.guard = guard;
  }

  /**
   * Records that the upgrade check let this handshake through as {@code principal}; its connection
   * gets that principal.
   */
  public void admit(io.javalin.http.Context ctx, Principal principal) {
    long now = System.nanoTime();
    admitted
        .values()
        .removeIf(a -> now - a.atNanos() > TimeUnit.MINUTES.toNanos(1)); // handshakes never opened
    admitted.put(
        handshake(
            ctx.header("Sec-WebSocket-Key"),
            new java.net.InetSocketAddress(ctx.req().getRemoteAddr(), ctx.req().getRemotePort())),
        new Admitted(principal, ctx.ip(), now));
  }

  private static String handshake(String key, java.net.SocketAddress remote) {
    String where =
        remote instanceof java.net.InetSocketAddress inet
            ? inet.getAddress().getHostAddress() + ":" + inet.getPort()
            : String.valueOf(remote);
    return key + "|" + where;
  }

  private static java.util.concurrent.ThreadPoolExecutor blockingPool() {
    java.util.concurrent.ThreadPoolExecutor pool =
        new java.util.concurrent.ThreadPoolExecutor(
            4,
            4,
            30,
            TimeUnit.SECONDS,
            new java.util.concurrent.LinkedBlockingQueue<>(),
            new HttpThreads("ws-command"));
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  /** Subscribes to the service's events and starts the heartbeat. */
  public void start() {
    subscription = service.subscribe(this::onEvent);
    long every = settings.heartbeatInterval().toMillis();
    heartbeat = timer.scheduleAtFixedRate(this::heartbeat, every, every, TimeUnit.MILLISECONDS);
  }

  /** The handlers of the WebSocket endpoint. */
  public void configure(WsConfig ws) {
    ws.onConnect(ctx -> connect(ctx));
    ws.onMessage(ctx -> onMessage(clients.get(ctx.sessionId()), ctx.message()));
    ws.onBinaryMessage(
        ctx -> {
          WsClient client = clients.get(ctx.sessionId());
          if (client != null) {
            client.send(
                error(null, ApiError.invalid("message", "binary messages are not supported")));
          }
        });
    ws.onClose(ctx -> disconnected(ctx.sessionId(), "closed " + ctx.status()));
    ws.onError(
        ctx ->
            disconnected(
                ctx.sessionId(), "error " + (ctx.error() == null ? "" : ctx.error().toString())));
  }

  /**
   * Reads the connect parameters ({@code resume_from}, {@code topics}) before the upgrade, so a bad
   * one is a plain 400.
   */
  public static void checkUpgrade(io.javalin.http.Context ctx) {
    resumeFrom(ctx.queryParam("resume_from"));
    topicsParam(ctx.queryParam("topics"));
  }

  private static Long resumeFrom(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      long seq = Long.parseLong(text.trim());
      if (seq < 0) {
        throw new NumberFormatException();
      }
      return seq;
    } catch (NumberFormatException e) {
      throw ApiError.invalid("resume_from", "expected a seq (an integer >= 0)").toException();
    }
  }

  private static Topics topicsParam(String text) {
    if (text == null || text.isBlank()) {
      return Topics.everything();
    }
    List<String> names = new ArrayList<>();
    for (String part : text.split(",")) {
      if (!part.isBlank()) {
        names.add(part.trim());
      }
    }
    return Topics.none().plus(Topics.validate(names, "topics"));
  }

  private void connect(WsContext ctx) {
    Long resume = resumeFrom(ctx.queryParam("resume_from"));
    Topics topics = topicsParam(ctx.queryParam("topics"));
    Admitted admission =
        admitted.remove(
            handshake(ctx.header("Sec-WebSocket-Key"), ctx.session.getRemoteSocketAddress()));
    if (admission == null) {
      // The upgrade check admits every connection it lets through; without that nothing may be
      // done on this one.
      log.warn("WebSocket client {} was not admitted by the upgrade check", ctx.sessionId());
      ctx.closeSession(WsClient.POLICY_VIOLATION, "not authenticated");
      return;
    }
    Principal principal = admission.principal();
    WsClient client =
        new WsClient(
            ctx.sessionId(),
            ctx.session,
            principal,
            admission.address(),
            topics,
            settings.maxQueue(),
            settings.maxQueueBytes(),
            timer,
            settings.closeTimeout().toMillis(),
            abort);
    if (shuttingDown.getAsBoolean()) {
      client.close(WsClient.GOING_AWAY, "server shutting down", false);
      return;
    }
    boolean start;
    synchronized (lock) {
      // Under the lock no event can slip between the replay and the live stream.
      start = client.enqueue(hello(topics));
      if (resume != null) {
        replay(client, resume);
      }
      clients.put(client.id(), client);
    }
    if (start) {
      client.drain();
    }
    log.debug(
        "WebSocket client {} connected as {} (resume_from {})",
        client.id(),
        principal.keyId(),
        resume);
  }

  private String hello(Topics topics) {
    ObjectNode hello = Json.mapper().createObjectNode();
    hello.put("type", "hello");
    hello.put("at", clock.instant().toString());
    hello.put("last_seq", lastSeq);
    hello.set("topics", Json.mapper().valueToTree(topics.names()));
    hello.put("heartbeat_interval_ms", settings.heartbeatInterval().toMillis());
    hello.put("max_queue", settings.maxQueue());
    return hello.toString();
  }

  /** Called under {@link #lock}. */
  private void replay(WsClient client, long resumeFrom) {
    Recent oldest = recent.peekFirst();
    long firstKept = oldest == null ? lastSeq + 1 : oldest.seq();
    if (resumeFrom > lastSeq) {
      client.enqueue(
          gap(
              resumeFrom,
              null,
              null,
              "seq "
                  + resumeFrom
                  + " is newer than the last event "
                  + lastSeq
                  + " (did the server restart?); re-read the state over REST"));
    } else if (resumeFrom + 1 < firstKept) {
      client.enqueue(
          gap(
              resumeFrom,
              resumeFrom + 1,
              firstKept - 1,
              "events "
                  + (resumeFrom + 1)
                  + ".."
                  + (firstKept - 1)
                  + " are no longer in the replay buffer (server.ws.replay_buffer); re-read the"
                  + " state over REST"));
    }
    Topics topics = client.topics();
    List<String> missed = new ArrayList<>();
    for (Recent r : recent) {
      if (r.seq() > resumeFrom && topics.matches(r.type(), r.botId())) {
        missed.add(r.json());
      }
    }
    long missedBytes = 0;
    for (String m : missed) {
      missedBytes += m.length();
    }
    client.allowReplay(missed.size() + 1, missedBytes);
    missed.forEach(client::enqueue);
  }

  /**
   * An event as sent: a found opportunity with the readable amounts and token symbols of {@code GET
   * /api/arbitrage/opportunities} beside its base units.
   */
  private ObjectNode encode(Event event) {
    ObjectNode json = Json.event(event);
    if (event instanceof OpportunityFoundEvent found) {
      json.set("opportunity", readable.opportunity(found.opportunity()));
    }
    return json;
  }

  private static String gap(long resumeFrom, Long fromSeq, Long toSeq, String message) {
    ObjectNode gap = Json.mapper().createObjectNode();
    gap.put("type", "gap");
    gap.put("resume_from", resumeFrom);
    gap.put("from_seq", fromSeq);
    gap.put("to_seq", toSeq);
    gap.put("message", message);
    return gap.toString();
  }

  private void onEvent(Event event) {
    String json = encode(event).toString();
    List<WsClient> toDrain = new ArrayList<>();
    synchronized (lock) {
      if (settings.replayBuffer() > 0) {
        if (recent.size() >= settings.replayBuffer()) {
          recent.pollFirst();
        }
        recent.addLast(new Recent(event.seq(), event.type(), event.botId(), json));
      }
      lastSeq = Math.max(lastSeq, event.seq());
      for (WsClient client : clients.values()) {
        if (client.topics().matches(event.type(), event.botId()) && client.enqueue(json)) {
          toDrain.add(client);
        }
      }
    }
    toDrain.forEach(WsClient::drain);
  }

  private void heartbeat() {
    long seq;
    synchronized (lock) {
      seq = lastSeq;
    }
    ObjectNode beat = Json.mapper().createObjectNode();
    beat.put("type", "heartbeat");
    beat.put("at", clock.instant().toString());
    beat.put("last_seq", seq);
    String text = beat.toString();
    for (WsClient client : clients.values()) {
      client.send(text);
    }
  }

  private void disconnected(String sessionId, String why) {
    WsClient client = clients.remove(sessionId);
    if (client != null) {
      client.disconnected();
      log.debug("WebSocket client {} gone: {}", sessionId, LogText.escape(why));
    }
    synchronized (clients) {
      clients.notifyAll();
    }
  }

  /** Waits until every client has gone; false when some are still there after {@code timeout}. */
  public boolean awaitNoClients(java.time.Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (clients) {
      while (!clients.isEmpty()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(clients, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return clients.isEmpty();
        }
      }
      return true;
    }
  }

  // ---------------------------------------------------------------- client messages

  private void onMessage(WsClient client, String text) {
    if (client == null) {
      return;
    }
    JsonNode id = null;
    String type = null;
    try {
      JsonBody message;
      try {
        message = JsonBody.parse(text);
      } catch (ApiError.Failure f) {
        client.send(
            error(
                null,
                ApiError.invalid("message", f.error().message().replaceFirst("^body: ", ""))));
        return;
      }
      id = messageId(message.node().get("id"));
      type = message.text("type");
      if (type == null || type.isBlank()) {
        throw ApiError.invalid(
                "type", "is required (one of " + String.join(", ", MESSAGE_TYPES) + ")")
            .toException();
      }
      if (!MESSAGE_TYPES.contains(type)) {
        throw ApiError.invalid(
                "type",
                "unknown message type '"
                    + type
                    + "' (known: "
                    + String.join(", ", MESSAGE_TYPES)
                    + ")")
            .toException();
      }
      guard.limitMessage(client.principal(), client.address());
      String action = ACTIONS.get(type);
      if (action == null) {
        handle(client, id, type, message);
      } else {
        handleAudited(client, id, type, action, message);
      }
    } catch (RuntimeException e) {
      client.send(
          type != null && MESSAGE_TYPES.contains(type)
              ? result(id, type, e)
              : error(id, ApiError.of(e)));
    }
  }

  /**
   * The message's {@code id}, echoed in every answer to it: absent, null, an integer or a text of
   * at most {@link Limits#MESSAGE_ID_CHARS} characters.
   */
  private static JsonNode messageId(JsonNode id) {
    if (id == null
        || id.isNull()
        || id.isIntegralNumber() && id.canConvertToLong()
        || id.isTextual() && id.asText().length() <= Limits.MESSAGE_ID_CHARS) {
      return id;
    }
    throw ApiError.invalid(
            "id",
            "expected an integer or a text of at most "
                + Limits.MESSAGE_ID_CHARS
                + " characters (it is echoed in the answer)")
        .toException();
  }

  /** A control or execute command: scope check and audit record around it. */
  private void handleAudited(
      WsClient client, JsonNode id, String type, String action, JsonBody message) {
    JsonNode targetNode =
        message.node().has("bot_id")
            ? message.node().get("bot_id")
            : message.node().get("opportunity_id");
    String target = targetNode == null || !targetNode.isTextual() ? null : targetNode.asText();
    Principal principal = client.principal();
    try {
      guard.access().authorize(principal, type.equals("execute") ? Scope.EXECUTE : Scope.CONTROL);
      CompletionStage<?> done = handle(client, id, type, message);
      done.whenComplete(
          (value, failure) -> {
            if (failure == null) {
              guard.audit().record(principal, client.address(), "ws", action, target, "ok", 200);
            } else {
              ApiError error = ApiError.of(failure);
              guard
                  .audit()
                  .record(
                      principal,
                      client.address(),
                      "ws",
                      action,
                      target,
                      error.code(),
                      error.status());
            }
          });
    } catch (RuntimeException e) {
      // Converted once: an internal error is logged once, under the reference its answer shows.
      ApiError error = ApiError.of(e);
      guard
          .audit()
          .record(principal, client.address(), "ws", action, target, error.code(), error.status());
      throw error.toException();
    }
  }

  /** Handles a message; the stage completes when a command's result was sent. */
  private CompletionStage<?> handle(WsClient client, JsonNode id, String type, JsonBody message) {
    switch (type) {
      case "ping" -> {
        ObjectNode pong = Json.mapper().createObjectNode();
        pong.put("type", "pong");
        pong.set("id", id);
        pong.put("at", clock.instant().toString());
        client.send(pong.toString());
        return DONE;
      }
      case "subscribe", "unsubscribe" -> {
        message.allowOnly(List.of("type", "id", "topics"));
        List<String> names = message.textList("topics");
        if (names == null || names.isEmpty()) {
          throw ApiError.invalid("topics", "is required (a list of topics)").toException();
        }
        Topics.validate(names, "topics");
        Topics before = client.topics();
        boolean subscribe = type.equals("subscribe");
        Topics after = subscribe ? before.plus(names) : before.minus(names);
        if (after.size() > Limits.TOPICS_PER_CLIENT) {
          throw ApiError.invalid(
                  "topics",
                  "at most "
                      + Limits.TOPICS_PER_CLIENT
                      + " topics per connection (subscribed to "
                      + before.size()
                      + ")")
              .toException();
        }
        client.topics(after);
        // What changed, not the whole list: a reply stays as small as its request.
        List<String> changed =
            names.stream()
                .distinct()
                .filter(n -> subscribe ? !before.contains(n) : before.contains(n))
                .sorted()
                .toList();
        Map<String, Object> result = new java.util.LinkedHashMap<>();
        result.put(subscribe ? "added" : "removed", changed);
        result.put("count", after.size());
        client.send(success(id, type, result));
        return DONE;
      }
      case "start_bot" -> {
        message.allowOnly(List.of("type", "id", "bot_id", "settings"));
        String botId = Limits.check("bot_id", message.requiredText("bot_id"), Limits.BOT_ID_CHARS);
        Map<String, Object> overrides = message.objectMap("settings");
        return command(client, id, type, () -> service.startAsync(botId, overrides));
      }
      case "stop_bot" -> {
        message.allowOnly(List.of("type", "id", "bot_id"));
        String botId = Limits.check("bot_id", message.requiredText("bot_id"), Limits.BOT_ID_CHARS);
        return command(client, id, type, () -> service.stopAsync(botId));
      }
      case "execute" -> {
        message.allowOnly(
            List.of(
                "type",
                "id",
                "opportunity_id",
                "amount",
                "dry_run",
                "idempotency_key",
                "executor"));
        String opportunityId =
            Limits.check(
                "opportunity_id",
                message.requiredText("opportunity_id"),
                Limits.OPPORTUNITY_ID_CHARS);
        ExecuteRequest request =
            new ExecuteRequest(
                message.baseUnits("amount"),
                message.bool("dry_run", false),
                Limits.check(
                    "idempotency_key",
                    message.text("idempotency_key"),
                    Limits.IDEMPOTENCY_KEY_CHARS),
                Limits.check("executor", message.text("executor"), Limits.EXECUTOR_ID_CHARS));
        return command(client, id, type, () -> service.executeAsync(opportunityId, request));
      }
      case "start_monitoring" -> {
        message.allowOnly(List.of("type", "id"));
        return command(
            client,
            id,
            type,
            () -> {
              service.startMonitoring();
              return CompletableFuture.completedFuture(
                  Map.of("monitoring", service.isMonitoring()));
            });
      }
      case "stop_monitoring" -> {
        message.allowOnly(List.of("type", "id"));
        return command(
            client,
            id,
            type,
            () -> {
              service.stopMonitoring();
              return CompletableFuture.completedFuture(
                  Map.of("monitoring", service.isMonitoring()));
            });
      }
      case "trip_kill_switch", "reset_kill_switch" -> {
        message.allowOnly(List.of("type", "id", "reason"));
        String reason = message.text("reason");
        String by = client.principal().keyId();
        return command(
            client,
            id,
            type,
            () ->
                CompletableFuture.completedFuture(
                    type.equals("trip_kill_switch")
                        ? service.tripKillSwitch(reason, by)
                        : service.resetKillSwitch(reason, by)));
      }
      case "bot_command" -> {
        message.allowOnly(List.of("type", "id", "bot_id", "command", "payload", "wait_ms"));
        String botId = Limits.check("bot_id", message.requiredText("bot_id"), Limits.BOT_ID_CHARS);
        String command = message.requiredText("command");
        Map<String, Object> payload = message.objectMap("payload");
        long waitMs = waitMs(message.node().get("wait_ms"));
        return command(
            client,
            id,
            type,
            () ->
                CompletableFuture.supplyAsync(
                    () ->
                        service.command(
                            botId, command, payload, java.time.Duration.ofMillis(waitMs)),
                    blocking));
      }
      case "change_bot_settings" -> {
        message.allowOnly(List.of("type", "id", "bot_id", "settings"));
        String botId = Limits.check("bot_id", message.requiredText("bot_id"), Limits.BOT_ID_CHARS);
        Map<String, Object> changes = message.objectMap("settings");
        if (changes == null) {
          throw ApiError.invalid("settings", "is required (an object of settings)").toException();
        }
        String by = client.principal().keyId();
        // Validating and restarting the bot blocks: not on the WebSocket's thread.
        return command(
            client,
            id,
            type,
            () ->
                CompletableFuture.supplyAsync(
                    () -> service.changeSettings(botId, changes, by), blocking));
      }
      case "change_risk_limits" -> {
        message.allowOnly(List.of("type", "id", "limits"));
        Map<String, Object> limits = message.objectMap("limits");
        if (limits == null) {
          throw ApiError.invalid("limits", "is required (an object of limits)").toException();
        }
        Map<String, Object> changes = new java.util.LinkedHashMap<>();
        limits.forEach(
            (k, v) ->
                changes.put(k, v instanceof Number n ? new java.math.BigDecimal(n.toString()) : v));
        String by = client.principal().keyId();
        return command(
            client,
            id,
            type,
            () -> CompletableFuture.completedFuture(service.changeRiskLimits(changes, by)));
      }
      default -> throw new IllegalStateException("unhandled message type " + type);
    }
  }

  /** A bot command's {@code wait_ms}: absent is 2000, else an integer 0..30000. */
  private static long waitMs(JsonNode node) {
    if (node == null || node.isNull()) {
      return DEFAULT_COMMAND_WAIT_MS;
    }
    if (!node.isIntegralNumber() || !node.canConvertToLong()) {
      throw ApiError.invalid("wait_ms", "expected milliseconds 0..30000 but was " + node)
          .toException();
    }
    long waitMs = node.asLong();
    if (waitMs < 0 || waitMs > 30_000) {
      throw ApiError.invalid("wait_ms", "must be 0..30000, was " + waitMs).toException();
    }
    return waitMs;
  }

  /** Runs a control command without blocking the WebSocket thread; answers with its result. */
  private CompletionStage<?> command(
      WsClient client, JsonNode id, String type, Supplier<CompletionStage<?>> action) {
    if (shuttingDown.getAsBoolean()) {
      throw new RehoboamException(ErrorCode.SHUTTING_DOWN, "the server is shutting down");
    }
    CompletableFuture<Object> answered = new CompletableFuture<>();
    action
        .get()
        .whenComplete(
            (value, failure) -> {
              if (failure == null) {
                client.send(success(id, type, value));
                answered.complete(value);
              } else {
                // Converted once: the audit record reuses this error rather than logging again.
                ApiError error = ApiError.of(failure);
                client.send(result(id, type, error.toException()));
                answered.completeExceptionally(error.toException());
              }
            });
    return answered;
  }

  private static String success(JsonNode id, String command, Object value) {
    ObjectNode result = Json.mapper().createObjectNode();
    result.put("type", "result");
    result.set("id", id);
    result.put("command", command);
    result.put("ok", true);
    result.set("result", Json.mapper().valueToTree(value));
    return result.toString();
  }

  private static String result(JsonNode id, String command, Throwable failure) {
    ObjectNode result = Json.mapper().createObjectNode();
    result.put("type", "result");
    result.set("id", id);
    result.put("command", command);
    result.put("ok", false);
    result.set("error", Json.mapper().valueToTree(ApiError.of(failure).body().get("error")));
    return result.toString();
  }

  private static String error(JsonNode id, ApiError error) {
    ObjectNode out = Json.mapper().createObjectNode();
    out.put("type", "error");
    out.set("id", id);
    out.set("error", Json.mapper().valueToTree(error.body().get("error")));
    return out.toString();
  }

  /** The number of connected clients. */
  public int clientCount() {
    return clients.size();
  }

  /**
   * Closes every client with 1001 and {@code reason} once it has received what is already queued
   * for it, stops the heartbeat and the subscription. Idempotent.
   */
  public void closeAll(String reason) {
    if (heartbeat != null) {
      heartbeat.cancel(false);
    }
    for (WsClient client : clients.values()) {
      client.close(WsClient.GOING_AWAY, reason, true);
    }
  }

  @Override
  public void close() {
    closeAll("server shutting down");
    if (subscription != null) {
      subscription.close();
    }
    blocking.shutdownNow();
  }
}
