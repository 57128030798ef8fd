package io.rehoboam.http.internal;

import static io.javalin.http.HandlerType.DELETE;
import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;

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
import io.rehoboam.http.Scope;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.Settings;
import io.rehoboam.spi.trade.Execution;
import io.rehoboam.spi.trade.Opportunity;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
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
      List.of("id", "type", "name", "autostart", "restart", "settings");

  private static final List<String> START_FIELDS = List.of("settings");
  private static final List<String> EXECUTE_FIELDS =
      List.of("opportunity_id", "amount", "dry_run", "executor");
  private static final int DEFAULT_LIMIT = 100;
  private static final int DEFAULT_LOG_LINES = 100;
  private static final int MAX_LOG_LINES = 10_000;
  private static final String BODY_SOURCE = "body";

  /** {@code body: bots[<id>].} as the configuration parser prefixes a bot's errors. */
  private static final Pattern BOT_PREFIX =
      Pattern.compile("^" + BODY_SOURCE + ": bots\\[[^\\]]*\\]\\.");

  private static final Pattern BOT_LEVEL_PREFIX =
      Pattern.compile("^" + BODY_SOURCE + ": bots\\[[^\\]]*\\]: ");

  private final ArbitrageService service;
  private final long maxBodyBytes;

  public RestApi(ArbitrageService service, long maxBodyBytes) {
    this.service = service;
    this.maxBodyBytes = maxBodyBytes;
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
        new Route(POST, BASE + "/execute", Scope.EXECUTE, "execute", this::execute),
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
    BigDecimal minProfit = decimalParam(ctx, "min_profit");
    OpportunityFilter filter =
        new OpportunityFilter(
            ctx.queryParam("strategy"), minProfit, ctx.queryParam("token"), limit);
    List<Opportunity> found = service.opportunities(filter);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("opportunities", found);
    body.put("count", found.size());
    json(ctx, 200, body);
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

  private void bot(Context ctx) {
    json(ctx, 200, service.bot(ctx.pathParam("bot_id")));
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
                settings == null ? Settings.empty() : Settings.of(settings)));
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
      // JSON is YAML, and an empty environment: the service lays ARB_ overrides over it itself.
      parsed = ConfigLoader.parse(Json.write(document), BODY_SOURCE, Map.of());
    } catch (RehoboamException e) {
      String message = e.getMessage() == null ? "" : e.getMessage();
      message = BOT_PREFIX.matcher(message).replaceFirst("");
      message = BOT_LEVEL_PREFIX.matcher(message).replaceFirst(BODY_SOURCE + ": ");
      throw new RehoboamException(ErrorCode.INVALID_ARGUMENT, message, e);
    }
    return parsed.bots().get(0);
  }

  private void unregisterBot(Context ctx) {
    json(ctx, 200, service.unregister(ctx.pathParam("bot_id")));
  }

  private void logs(Context ctx) {
    String botId = ctx.pathParam("bot_id");
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
    String botId = ctx.pathParam("bot_id");
    JsonBody body = body(ctx).allowOnly(START_FIELDS);
    Map<String, Object> overrides = body.objectMap("settings");
    json(ctx, 200, service.start(botId, overrides));
  }

  private void stopBot(Context ctx) {
    json(ctx, 200, service.stop(ctx.pathParam("bot_id")));
  }

  private void execute(Context ctx) {
    JsonBody body = body(ctx).allowOnly(EXECUTE_FIELDS);
    String opportunityId = body.requiredText("opportunity_id");
    ctx.attribute(Guard.TARGET_ATTRIBUTE, opportunityId);
    ExecuteRequest request =
        new ExecuteRequest(
            body.baseUnits("amount"),
            body.bool("dry_run", false),
            ctx.header("Idempotency-Key"),
            body.text("executor"));
    Execution execution = service.execute(opportunityId, request);
    json(ctx, 200, execution);
  }

  private void startMonitoring(Context ctx) {
    service.startMonitoring();
    json(ctx, 200, Map.of("monitoring", service.isMonitoring()));
  }

  private void stopMonitoring(Context ctx) {
    service.stopMonitoring();
    json(ctx, 200, Map.of("monitoring", service.isMonitoring()));
  }

  // ---------------------------------------------------------------- helpers

  private JsonBody body(Context ctx) {
    byte[] bytes =
        JsonBody.read(ctx.bodyInputStream(), ctx.req().getContentLengthLong(), maxBodyBytes);
    return JsonBody.parse(new String(bytes, StandardCharsets.UTF_8));
  }

  private static int intParam(Context ctx, String name, int fallback) {
    String text = ctx.queryParam(name);
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
    String text = ctx.queryParam(name);
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
