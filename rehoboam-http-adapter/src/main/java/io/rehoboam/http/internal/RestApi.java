package io.rehoboam.http.internal;

import static io.javalin.http.HandlerType.DELETE;
import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.rehoboam.core.ArbitrageService;
import io.rehoboam.core.BotRegistration;
import io.rehoboam.core.BotStatus;
import io.rehoboam.core.ExecuteRequest;
import io.rehoboam.core.book.OpportunityFilter;
import io.rehoboam.core.config.BotConfig;
import io.rehoboam.core.config.ConfigLoader;
import io.rehoboam.core.config.RehoboamConfig;
import io.rehoboam.core.history.ExecutionPage;
import io.rehoboam.core.history.ExecutionQuery;
import io.rehoboam.core.history.PnlQuery;
import io.rehoboam.http.Scope;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.Settings;
import io.rehoboam.spi.trade.Execution;
import io.rehoboam.spi.trade.ExecutionStatus;
import io.rehoboam.spi.trade.Opportunity;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The REST endpoints under {@code /api/arbitrage}: thin translations of HTTP into {@link
 * ArbitrageService} calls. Every handler answers JSON; every failure goes through {@link ApiError}.
 */
public final class RestApi {
  static final String BASE = "/api/arbitrage";

  /** Fields of POST /bots: the configuration's bot keys. */
  private static final List<String> REGISTER_FIELDS =
      List.of("id", "type", "name", "autostart", "restart", "settings", "schedule");

  private static final List<String> START_FIELDS = List.of("settings");
  private static final List<String> EXECUTE_FIELDS =
      List.of("opportunity_id", "amount", "dry_run", "executor");
  private static final int DEFAULT_LIMIT = 100;
  private static final int MAX_LIMIT = 10_000;
  private static final int DEFAULT_LOG_LINES = 100;
  private static final int MAX_LOG_LINES = 10_000;
  private static final String BODY_SOURCE = "body";

  /** {@code body: bots[<id>].} as the configuration parser prefixes a bot's errors. */
  private static final Pattern BOT_PREFIX =
      Pattern.compile("^" + BODY_SOURCE + ": bots\\[[^\\]]*\\]\\.");

  private static final Pattern BOT_LEVEL_PREFIX =
      Pattern.compile("^" + BODY_SOURCE + ": bots\\[[^\\]]*\\]: ");

  private final ArbitrageService service;
  private final JsonPages pages = new JsonPages();
  private final long maxBodyBytes;
  private final java.time.Duration bodyTimeout;
  private final ReadableAmounts readable;

  public RestApi(ArbitrageService service, long maxBodyBytes) {
    this(service, maxBodyBytes, null);
  }

  /**
   * @param bodyTimeout the most time a request body may take to arrive (null for no limit)
   */
  public RestApi(ArbitrageService service, long maxBodyBytes, java.time.Duration bodyTimeout) {
    this.service = service;
    this.maxBodyBytes = maxBodyBytes;
    this.bodyTimeout = bodyTimeout;
    this.readable = new ReadableAmounts(service);
  }

  /** The endpoints with the scope each needs and the audit action of those that change things. */
  public List<Route> routes() {
    return List.of(
        new Route(GET, BASE + "/opportunities", Scope.READ, null, this::opportunities),
        new Route(GET, BASE + "/strategies", Scope.READ, null, this::strategies),
        new Route(GET, BASE + "/whoami", Scope.READ, null, this::whoami),
        new Route(GET, BASE + "/bots", Scope.READ, null, this::bots),
        new Route(POST, BASE + "/bots", Scope.CONTROL, "register_bot", this::registerBot),
        new Route(GET, BASE + "/bots/{bot_id}", Scope.READ, null, this::bot),
        new Route(
            DELETE, BASE + "/bots/{bot_id}", Scope.CONTROL, "unregister_bot", this::unregisterBot),
        new Route(GET, BASE + "/bots/{bot_id}/logs", Scope.READ, null, this::logs),
        new Route(POST, BASE + "/bots/{bot_id}/start", Scope.CONTROL, "start_bot", this::startBot),
        new Route(POST, BASE + "/bots/{bot_id}/stop", Scope.CONTROL, "stop_bot", this::stopBot),
        new Route(
            POST, BASE + "/bots/{bot_id}/command", Scope.CONTROL, "bot_command", this::botCommand),
        new Route(
            POST,
            BASE + "/bots/{bot_id}/settings",
            Scope.CONTROL,
            "change_bot_settings",
            this::changeSettings),
        new Route(POST, BASE + "/execute", Scope.EXECUTE, "execute", this::execute),
        new Route(GET, BASE + "/executions", Scope.READ, null, this::executions),
        new Route(GET, BASE + "/executions/{execution_id}", Scope.READ, null, this::execution),
        new Route(GET, BASE + "/pnl", Scope.READ, null, this::pnl),
        new Route(GET, BASE + "/risk", Scope.READ, null, this::risk),
        new Route(
            POST,
            BASE + "/risk/kill-switch/trip",
            Scope.CONTROL,
            "trip_kill_switch",
            this::tripKillSwitch),
        new Route(
            POST,
            BASE + "/risk/kill-switch/reset",
            Scope.CONTROL,
            "reset_kill_switch",
            this::resetKillSwitch),
        new Route(POST, BASE + "/risk/limits", Scope.CONTROL, "change_risk_limits", this::limits),
        new Route(
            POST,
            BASE + "/monitoring/start",
            Scope.CONTROL,
            "start_monitoring",
            this::startMonitoring),
        new Route(
            POST,
            BASE + "/monitoring/stop",
            Scope.CONTROL,
            "stop_monitoring",
            this::stopMonitoring));
  }

  private void opportunities(Context ctx) {
    int limit = intParam(ctx, "limit", DEFAULT_LIMIT);
    if (limit < 1 || limit > MAX_LIMIT) {
      throw ApiError.invalid("limit", "must be 1.." + MAX_LIMIT + ", was " + limit).toException();
    }
    BigDecimal minProfit = decimalParam(ctx, "min_profit");
    OpportunityFilter filter =
        new OpportunityFilter(
            textParam(ctx, "strategy"), minProfit, textParam(ctx, "token"), limit);
    List<Opportunity> found = service.opportunities(filter);
    PreparedJson.send(ctx, pages.json(filter, found, readable::opportunities));
  }

  private void strategies(Context ctx) {
    json(ctx, 200, Map.of("strategies", service.strategies()));
  }

  /** Who the caller is and what it may do: the dashboard greys out what the key cannot do. */
  private void whoami(Context ctx) {
    Principal principal = ctx.attribute(Guard.PRINCIPAL_ATTRIBUTE);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("key_id", principal.keyId());
    body.put("anonymous", principal.anonymous());
    body.put(
        "scopes",
        java.util.Arrays.stream(Scope.values())
            .filter(principal::allows)
            .map(Scope::wireName)
            .toList());
    json(ctx, 200, body);
  }

  private void bots(Context ctx) {
    json(ctx, 200, Map.of("bots", service.bots()));
  }

  /** The status, and the settings of its current (or next) run with sensitive ones masked. */
  private void bot(Context ctx) {
    String botId = botId(ctx);
    ObjectNode body = Json.mapper().valueToTree(service.bot(botId));
    body.set("settings", Json.mapper().valueToTree(service.botSettings(botId)));
    body.set("run_overrides", Json.mapper().valueToTree(service.botRunOverrides(botId)));
    json(ctx, 200, body);
  }

  private void registerBot(Context ctx) {
    JsonBody body = body(ctx).allowOnly(REGISTER_FIELDS);
    body.requiredText("id");
    body.requiredText("type");
    body.text("name");
    body.bool("autostart", false);
    Map<String, Object> settings = body.objectMap("settings");
    ctx.attribute(Guard.TARGET_ATTRIBUTE, body.text("id"));
    // The settings go to the service as parsed (exact numbers, however large): the provider's
    // settings schema judges them, naming the bot and the field. The rest is read like the file.
    ObjectNode withoutSettings = body.node().deepCopy();
    withoutSettings.remove("settings");
    BotConfig bot = parseBot(withoutSettings);
    BotStatus status =
        service.register(
            new BotRegistration(
                bot.id(),
                bot.type(),
                bot.name(),
                bot.autostart(),
                bot.restart(),
                settings == null ? Settings.empty() : Settings.of(settings),
                bot.schedule()));
    if (bot.autostart()) {
      service.startAsync(bot.id());
    }
    json(ctx, 201, status);
  }

  /**
   * Reads a bot the way the configuration file does, so the REST body and the {@code bots} section
   * accept exactly the same keys and values (restart policy, durations, ...).
   */
  private static BotConfig parseBot(ObjectNode bot) {
    ObjectNode document = Json.mapper().createObjectNode();
    ArrayNode bots = document.putArray("bots");
    bots.add(bot);
    RehoboamConfig parsed;
    try {
      // JSON is YAML, taken literally: a client never reads the server's environment through
      // ${...}; the service lays ARB_ overrides over it itself.
      parsed = ConfigLoader.parseLiteral(Json.write(document), BODY_SOURCE);
    } catch (RehoboamException e) {
      String message = e.getMessage() == null ? "" : e.getMessage();
      message = BOT_PREFIX.matcher(message).replaceFirst("");
      message = BOT_LEVEL_PREFIX.matcher(message).replaceFirst(BODY_SOURCE + ": ");
      throw new RehoboamException(ErrorCode.INVALID_ARGUMENT, message, e);
    }
    return parsed.bots().get(0);
  }

  private void unregisterBot(Context ctx) {
    json(ctx, 200, service.unregister(botId(ctx)));
  }

  private void logs(Context ctx) {
    String botId = botId(ctx);
    int lines = intParam(ctx, "lines", DEFAULT_LOG_LINES);
    if (lines < 0 || lines > MAX_LOG_LINES) {
      throw ApiError.invalid("lines", "must be 0.." + MAX_LOG_LINES + ", was " + lines)
          .toException();
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("bot_id", botId);
    body.put("lines", service.logs(botId, lines));
    json(ctx, 200, body);
  }

  private void startBot(Context ctx) {
    String botId = botId(ctx);
    JsonBody body = body(ctx).allowOnly(START_FIELDS);
    Map<String, Object> overrides = body.objectMap("settings");
    json(ctx, 200, service.start(botId, overrides));
  }

  /**
   * A command to a running bot: {@code {"type": "inventory", "payload": {...}, "wait_ms": 2000}};
   * the bot's reply lines.
   */
  private void botCommand(Context ctx) {
    String botId = botId(ctx);
    JsonBody body = body(ctx).allowOnly(List.of("type", "payload", "wait_ms"));
    String type = body.requiredText("type");
    Map<String, Object> payload = body.objectMap("payload");
    long waitMs = body.node().path("wait_ms").asLong(DEFAULT_COMMAND_WAIT_MS);
    if (body.node().has("wait_ms") && !body.node().get("wait_ms").canConvertToLong()) {
      throw ApiError.invalid("wait_ms", "expected milliseconds 0..30000").toException();
    }
    if (waitMs < 0 || waitMs > 30_000) {
      throw ApiError.invalid("wait_ms", "must be 0..30000, was " + waitMs).toException();
    }
    json(ctx, 200, service.command(botId, type, payload, java.time.Duration.ofMillis(waitMs)));
  }

  private static final long DEFAULT_COMMAND_WAIT_MS = 2000;

  /** {@code {"settings": {...}}}: validated, kept, and a running bot restarted with them. */
  private void changeSettings(Context ctx) {
    String botId = botId(ctx);
    JsonBody body = body(ctx).allowOnly(List.of("settings"));
    Map<String, Object> changes = body.objectMap("settings");
    if (changes == null) {
      throw ApiError.invalid("settings", "is required (an object of settings)").toException();
    }
    json(ctx, 200, service.changeSettings(botId, changes, who(ctx)));
  }

  private void stopBot(Context ctx) {
    String botId = botId(ctx);
    body(ctx).requireEmpty();
    json(ctx, 200, service.stop(botId));
  }

  private void execute(Context ctx) {
    JsonBody body = body(ctx).allowOnly(EXECUTE_FIELDS);
    String opportunityId =
        Limits.check(
            "opportunity_id", body.requiredText("opportunity_id"), Limits.OPPORTUNITY_ID_CHARS);
    ctx.attribute(Guard.TARGET_ATTRIBUTE, opportunityId);
    ExecuteRequest request =
        new ExecuteRequest(
            body.baseUnits("amount"),
            body.bool("dry_run", false),
            ctx.header("Idempotency-Key"), // bounded by ExecuteRequest
            Limits.check("executor", body.text("executor"), Limits.EXECUTOR_ID_CHARS));
    Execution execution = service.execute(opportunityId, request);
    json(ctx, 200, execution);
  }

  private static final List<String> EXECUTIONS_PARAMS =
      List.of("bot_id", "strategy", "status", "from", "to", "cursor", "limit");
  private static final List<String> PNL_PARAMS =
      List.of("bot_id", "strategy", "from", "to", "bucket");

  /** The trade history, newest first, a page at a time. */
  private void executions(Context ctx) {
    onlyParams(ctx, EXECUTIONS_PARAMS);
    ExecutionQuery query =
        new ExecutionQuery(
            textParam(ctx, "bot_id"),
            textParam(ctx, "strategy"),
            statusParam(ctx),
            instantParam(ctx, "from"),
            instantParam(ctx, "to"),
            textParam(ctx, "cursor"),
            intParam(ctx, "limit", ExecutionQuery.DEFAULT_LIMIT));
    ExecutionPage page = service.executions(query);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("executions", readable.executions(page.executions()));
    body.put("count", page.executions().size());
    body.put("next_cursor", page.nextCursor());
    json(ctx, 200, body);
  }

  private void execution(Context ctx) {
    json(ctx, 200, readable.execution(service.execution(ctx.pathParam("execution_id"))));
  }

  /** Profit and loss: totals, per bot, per strategy and a bucketed series. */
  private void pnl(Context ctx) {
    onlyParams(ctx, PNL_PARAMS);
    String bucket = textParam(ctx, "bucket");
    PnlQuery query =
        new PnlQuery(
            textParam(ctx, "bot_id"),
            textParam(ctx, "strategy"),
            instantParam(ctx, "from"),
            instantParam(ctx, "to"),
            bucket == null ? PnlQuery.Bucket.HOUR : PnlQuery.Bucket.parse(bucket));
    json(ctx, 200, service.pnl(query));
  }

  private void risk(Context ctx) {
    json(ctx, 200, service.riskState());
  }

  private void tripKillSwitch(Context ctx) {
    JsonBody body = body(ctx).allowOnly(List.of("reason"));
    ctx.attribute(Guard.TARGET_ATTRIBUTE, "kill_switch");
    json(ctx, 200, service.tripKillSwitch(body.text("reason"), who(ctx)));
  }

  private void resetKillSwitch(Context ctx) {
    JsonBody body = body(ctx).allowOnly(List.of("reason"));
    ctx.attribute(Guard.TARGET_ATTRIBUTE, "kill_switch");
    json(ctx, 200, service.resetKillSwitch(body.text("reason"), who(ctx)));
  }

  /** Changes limits: {@code {"max_trades_per_minute": 60, "min_net_profit": null, ...}}. */
  private void limits(Context ctx) {
    JsonBody body = body(ctx);
    Map<String, Object> changes = new LinkedHashMap<>();
    body.node()
        .fields()
        .forEachRemaining(
            e -> {
              JsonNode v = e.getValue();
              if (v.isNull()) {
                changes.put(e.getKey(), null);
              } else if (v.isNumber()) {
                changes.put(e.getKey(), v.decimalValue());
              } else if (v.isTextual()) {
                changes.put(e.getKey(), v.asText());
              } else {
                throw ApiError.invalid(e.getKey(), "expected a number or null").toException();
              }
            });
    ctx.attribute(Guard.TARGET_ATTRIBUTE, String.join(",", changes.keySet()));
    json(ctx, 200, service.changeRiskLimits(changes, who(ctx)));
  }

  /** Who a request acts as, for what it changes: its API key's id, or {@code anonymous}. */
  static String who(Context ctx) {
    Object p = ctx.attribute(Guard.PRINCIPAL_ATTRIBUTE);
    return p instanceof Principal principal ? principal.keyId() : Principal.ANONYMOUS;
  }

  /** Unknown query parameters are errors naming them (a typo must not widen a query). */
  static void onlyParams(Context ctx, List<String> allowed) {
    for (String name : ctx.queryParamMap().keySet()) {
      if (!allowed.contains(name)) {
        throw ApiError.invalid(
                name, "unknown query parameter (known: " + String.join(", ", allowed) + ")")
            .toException();
      }
    }
  }

  private static ExecutionStatus statusParam(Context ctx) {
    String text = textParam(ctx, "status");
    if (text == null) {
      return null;
    }
    for (ExecutionStatus s : ExecutionStatus.values()) {
      if (s.name().equalsIgnoreCase(text)) {
        return s;
      }
    }
    throw ApiError.invalid(
            "status",
            "expected one of rejected, simulated, submitted, confirmed, reverted, failed but was '"
                + clip(text)
                + "'")
        .toException();
  }

  static Instant instantParam(Context ctx, String name) {
    String text = textParam(ctx, name);
    if (text == null) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (java.time.format.DateTimeParseException e) {
      throw ApiError.invalid(
              name,
              "expected an ISO-8601 UTC instant such as 2026-01-31T12:00:00Z but was '"
                  + clip(text)
                  + "'")
          .toException();
    }
  }

  private void startMonitoring(Context ctx) {
    body(ctx).requireEmpty();
    service.startMonitoring();
    json(ctx, 200, Map.of("monitoring", service.isMonitoring()));
  }

  private void stopMonitoring(Context ctx) {
    body(ctx).requireEmpty();
    service.stopMonitoring();
    json(ctx, 200, Map.of("monitoring", service.isMonitoring()));
  }

  // ---------------------------------------------------------------- helpers

  /**
   * The request's JSON object body (none is an empty object).
   *
   * @throws ApiError.Failure 415 for a body whose Content-Type is not JSON, 413, 400
   */
  private JsonBody body(Context ctx) {
    byte[] bytes =
        JsonBody.read(
            ctx.bodyInputStream(), ctx.req().getContentLengthLong(), maxBodyBytes, bodyTimeout);
    String text = new String(bytes, StandardCharsets.UTF_8);
    if (!text.isBlank()) {
      MediaTypes.requireJson(ctx.header("Content-Type"));
    }
    return JsonBody.parse(text);
  }

  /** The {@code bot_id} path parameter, at most {@link Limits#BOT_ID_CHARS} characters. */
  private static String botId(Context ctx) {
    return Limits.check("bot_id", ctx.pathParam("bot_id"), Limits.BOT_ID_CHARS);
  }

  /**
   * A query parameter given at most once, of at most {@link Limits#QUERY_TEXT_CHARS} characters;
   * null when absent.
   */
  private static String textParam(Context ctx, String name) {
    List<String> values = ctx.queryParams(name);
    if (values.size() > 1) {
      throw ApiError.invalid(name, "is given " + values.size() + " times; give it once")
          .toException();
    }
    if (values.isEmpty()) {
      return null;
    }
    String text = Limits.check(name, values.get(0), Limits.QUERY_TEXT_CHARS);
    return text.isBlank() ? null : text.trim();
  }

  static int intParam(Context ctx, String name, int fallback) {
    String text = textParam(ctx, name);
    if (text == null || text.isBlank()) {
      return fallback;
    }
    try {
      return Integer.parseInt(text.trim());
    } catch (NumberFormatException e) {
      throw ApiError.invalid(name, "expected an integer but was '" + clip(text) + "'")
          .toException();
    }
  }

  private static BigDecimal decimalParam(Context ctx, String name) {
    String text = textParam(ctx, name);
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return new BigDecimal(text.trim());
    } catch (NumberFormatException e) {
      throw ApiError.invalid(name, "expected a decimal number but was '" + clip(text) + "'")
          .toException();
    }
  }

  private static String clip(String text) {
    return text.length() <= 40 ? text : text.substring(0, 40) + "...";
  }

  /** Writes {@code value} as the JSON response. */
  public static void json(Context ctx, int status, Object value) {
    ctx.status(status).contentType("application/json").result(Json.write(value));
  }
}
