package io.rehoboam.bot.analyst;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rehoboam.bot.analyst.AiAnalystProvider.Outcome;
import io.rehoboam.core.ArbitrageService;
import io.rehoboam.spi.Bot;
import io.rehoboam.spi.BotContext;
import io.rehoboam.spi.BotHealth;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.LogLevel;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.Subscription;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One {@code ai_analyst} bot: on its interval and on {@code analyze}, builds the summary, asks the
 * model (retrying 429, 5xx and network errors with backoff and Retry-After, within the daily token
 * budget), validates the answer against {@link AnalysisSchema} and publishes it. A malformed or
 * off-schema answer is rejected, reported (log, health, a {@code analysis.rejected} system event)
 * and never acted on. Health: up after a published analysis, degraded while the API fails, after a
 * rejected answer or with the budget used up.
 */
final class AiAnalystBot implements Bot {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final BotContext context;
  private final AnalystConfig config;
  private final AiAnalystProvider provider;
  private final ChatClient client;
  private final TokenBudget budget;
  private final OpportunityWindow window;
  private final AtomicBoolean inFlight = new AtomicBoolean();
  private volatile BotHealth health = BotHealth.up();
  private volatile boolean stopped;
  private volatile String latest;
  private Subscription subscription;
  private ScheduledFuture<?> periodic;

  AiAnalystBot(BotContext context, AnalystConfig config, AiAnalystProvider provider) {
    this.context = context;
    this.config = config;
    this.provider = provider;
    this.client = new ChatClient(config);
    this.budget = new TokenBudget(config.maxTokensPerDay(), context.clock());
    this.window = new OpportunityWindow(config.recent(), context.clock());
  }

  @Override
  public void start() {
    subscription = context.onOpportunity(window::add);
    long every = config.interval().toMillis();
    periodic =
        context
            .scheduler()
            .scheduleAtFixedRate(() -> trigger("interval"), 0, every, TimeUnit.MILLISECONDS);
    context.log(
        LogLevel.INFO,
        "AI analyst on "
            + config.baseUrl().getHost()
            + " (model "
            + config.model()
            + "), every "
            + config.interval().toSeconds()
            + " s, "
            + config.maxTokensPerDay()
            + " tokens a day; advice only"
            + (config.allowKillSwitch() ? ", may trip the kill switch" : ""));
  }

  @Override
  public void stop(Duration timeout) {
    stopped = true;
    if (periodic != null) {
      periodic.cancel(false);
    }
    if (subscription != null) {
      subscription.close();
    }
  }

  @Override
  public void command(String type, Map<String, Object> payload) {
    switch (type) {
      case "analyze" -> trigger("command");
      case "latest" ->
          context.log(LogLevel.INFO, latest == null ? "no analysis yet" : "analysis " + latest);
      default ->
          throw new RehoboamException(
              ErrorCode.INVALID_ARGUMENT,
              "command: unknown command '" + type + "' (known: analyze, latest)");
    }
  }

  @Override
  public BotHealth health() {
    return health;
  }

  /** Starts an analysis round unless one is under way or the budget is used up. */
  void trigger(String why) {
    if (stopped) {
      return;
    }
    if (!inFlight.compareAndSet(false, true)) {
      context.log(LogLevel.INFO, "analysis (" + why + ") skipped: one is under way");
      return;
    }
    if (!budget.available()) {
      String message =
          "daily token budget used up ("
              + budget.used()
              + " of "
              + budget.perDay()
              + " tokens): no request until the next UTC day";
      health = BotHealth.degraded(message);
      context.log(LogLevel.WARN, "analysis (" + why + ") skipped: " + message);
      inFlight.set(false);
      provider.report(new Outcome(context.botId(), Outcome.Kind.SKIPPED_BUDGET, message));
      return;
    }
    try {
      context
          .blockingExecutor()
          .execute(
              () -> {
                String summary;
                try {
                  summary =
                      SummaryBuilder.build(
                          context,
                          provider.service(),
                          window,
                          config.recent(),
                          List.of(config.apiKey()));
                } catch (RuntimeException e) {
                  fail("the summary could not be built: " + e.getClass().getSimpleName());
                  return;
                }
                attempt(summary, 0);
              });
    } catch (RejectedExecutionException e) {
      inFlight.set(false);
    }
  }

  private void attempt(String summary, int attempt) {
    if (stopped) {
      inFlight.set(false);
      return;
    }
    context.heartbeat();
    ChatClient.Reply reply = client.complete(summary);
    long spent = 0;
    if (reply.totalTokens() >= 0) {
      spent = reply.totalTokens();
    } else if (reply.ok()) {
      // No usage reported: count roughly four characters a token.
      spent = (summary.length() + reply.content().length()) / 4 + 1;
    }
    budget.spend(spent);
    if (reply.ok()) {
      handle(reply.content(), spent);
      inFlight.set(false);
      return;
    }
    if (reply.retryable() && attempt < config.retries() && !stopped) {
      Duration backoff = config.retryBackoff().multipliedBy(1L << Math.min(attempt, 16));
      Duration delay =
          reply.retryAfter() != null && reply.retryAfter().compareTo(backoff) > 0
              ? reply.retryAfter()
              : backoff;
      health =
          BotHealth.degraded(
              "chat completions: " + reply.failure() + "; retry in " + delay.toSeconds() + " s");
      context.log(
          LogLevel.WARN,
          "chat completions failed ("
              + reply.failure()
              + "); attempt "
              + (attempt + 2)
              + " in "
              + delay.toMillis()
              + " ms");
      try {
        context
            .scheduler()
            .schedule(
                () -> {
                  try {
                    context.blockingExecutor().execute(() -> attempt(summary, attempt + 1));
                  } catch (RejectedExecutionException e) {
                    inFlight.set(false);
                  }
                },
                delay.toMillis(),
                TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException e) {
        inFlight.set(false);
      }
      return;
    }
    fail("chat completions failing: " + reply.failure());
  }

  private void fail(String message) {
    health = BotHealth.degraded(message);
    context.log(LogLevel.WARN, "analysis failed: " + message);
    inFlight.set(false);
    provider.report(new Outcome(context.botId(), Outcome.Kind.FAILED, message));
  }

  private void handle(String content, long tokensUsed) {
    ObjectNode analysis;
    try {
      analysis = AnalysisSchema.validate(content);
    } catch (AnalysisSchema.Rejected e) {
      health = BotHealth.degraded("last answer rejected: " + e.getMessage());
      context.log(LogLevel.WARN, "analysis rejected and not acted on: " + e.getMessage());
      provider.rejected(context.botId(), e.getMessage());
      return;
    }
    ObjectNode event = JSON.createObjectNode();
    event.put("bot_id", context.botId());
    event.put("at", context.clock().instant().toString());
    event.put("model", config.model());
    event.put("tokens_used_today", budget.used());
    event.set("analysis", analysis);
    latest = event.toString();
    health = BotHealth.up();
    context.recordActivity();
    context.log(LogLevel.INFO, "analysis " + latest);
    provider.published(
        context.botId(),
        event,
        AnalysisEvents.of(
            context.botId(),
            context.clock().instant(),
            config.model(),
            analysis,
            tokensUsed,
            budget.used()));
    killSwitch(analysis);
  }

  /** Trips the kill switch for a critical flag that asks for it, only when allowed. */
  private void killSwitch(JsonNode analysis) {
    for (JsonNode flag : analysis.path("risk_flags")) {
      boolean asks =
          "critical".equals(flag.path("severity").asText())
              && flag.path("trip_kill_switch").asBoolean(false);
      if (!asks) {
        continue;
      }
      String what = flag.path("flag").asText() + ": " + flag.path("reason").asText();
      ArbitrageService service = provider.service();
      if (!config.allowKillSwitch() || service == null) {
        context.log(
            LogLevel.WARN,
            "risk flag asks to trip the kill switch ("
                + what
                + "); not done: "
                + (service == null
                    ? "the bot is not bound to its service"
                    : "allow_kill_switch is false")
                + " (advice only)");
        continue;
      }
      if (!service.riskState().killSwitch().tripped()) {
        service.tripKillSwitch("ai_analyst risk flag " + what, "ai_analyst:" + context.botId());
        context.log(LogLevel.WARN, "kill switch tripped on a critical risk flag: " + what);
      }
      return;
    }
  }
}
