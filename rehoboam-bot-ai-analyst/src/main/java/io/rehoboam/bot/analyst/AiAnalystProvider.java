package io.rehoboam.bot.analyst;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rehoboam.core.ArbitrageService;
import io.rehoboam.spi.Bot;
import io.rehoboam.spi.BotContext;
import io.rehoboam.spi.BotProvider;
import io.rehoboam.spi.BotSpec;
import io.rehoboam.spi.SettingSpec;
import io.rehoboam.spi.SettingType;
import io.rehoboam.spi.SettingsSchema;
import io.rehoboam.spi.Spi;
import io.rehoboam.spi.event.AnalysisEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Bot type {@code ai_analyst}: an advisor that asks an OpenAI-compatible chat-completions endpoint
 * (DeepSeek by default, key from {@code DEEPSEEK_API_KEY}) for a structured market analysis every
 * {@code interval} and on the command {@code analyze}, and publishes the validated answer. It never
 * changes a setting; a critical risk flag may trip the kill switch only with {@code
 * allow_kill_switch: true}.
 *
 * <p>Found by {@link java.util.ServiceLoader}. A discovered provider sees what every bot sees
 * (market sources, opportunities); {@link #bind} it to its service (the standalone server does) to
 * add executions, PnL, risk usage and bot states to the summary, to publish each analysis as an
 * {@link AnalysisEvent} (type {@code analysis}), and to allow the kill switch.
 */
public final class AiAnalystProvider implements BotProvider {
  public static final String TYPE = "ai_analyst";

  /** Analyses kept per bot for {@link #latestAnalyses}. */
  static final int KEPT = 20;

  /** What one analysis round came to (for embedding code and tests). */
  public record Outcome(String botId, Kind kind, String detail) {
    public enum Kind {
      PUBLISHED,
      REJECTED,
      FAILED,
      SKIPPED_BUDGET
    }
  }

  /** The settings, checked by the engine before {@link #create} (AnalystConfig checks ranges). */
  static final SettingsSchema SCHEMA =
      SettingsSchema.of(
          SettingSpec.of("base_url", SettingType.STRING, "The OpenAI-compatible API's base URL")
              .defaultValue(AnalystConfig.DEFAULT_BASE_URL.toString()),
          SettingSpec.of("model", SettingType.STRING, "The chat model")
              .defaultValue(AnalystConfig.DEFAULT_MODEL),
          SettingSpec.of("api_key_env", SettingType.STRING, "The variable holding the API key")
              .defaultValue(AnalystConfig.DEFAULT_KEY_ENV),
          SettingSpec.of("interval", SettingType.DURATION, "How often it asks (at least 10s)")
              .defaultValue("15m"),
          SettingSpec.of("timeout", SettingType.DURATION, "Connect and read timeout of a request")
              .defaultValue("60s"),
          SettingSpec.of("retries", SettingType.INTEGER, "Retries on 429, 5xx or network errors")
              .defaultValue(3)
              .min(0)
              .max(10),
          SettingSpec.of("retry_backoff", SettingType.DURATION, "The first retry's delay, doubled")
              .defaultValue("2s"),
          SettingSpec.of("max_tokens_per_day", SettingType.INTEGER, "Token budget per UTC day")
              .unit("tokens")
              .defaultValue(200_000)
              .min(1),
          SettingSpec.of("max_answer_tokens", SettingType.INTEGER, "The answer's max_tokens")
              .unit("tokens")
              .defaultValue(800)
              .min(64)
              .max(8192),
          SettingSpec.of("recent", SettingType.INTEGER, "Recent opportunities and executions shown")
              .defaultValue(10)
              .min(0)
              .max(50),
          SettingSpec.of(
                  "allow_kill_switch",
                  SettingType.BOOLEAN,
                  "Whether a critical risk flag may trip the kill switch")
              .defaultValue(false));

  /** Null: the service's environment ({@link BotContext#env()}). */
  private final Map<String, String> env;

  private volatile ArbitrageService service;
  private final Map<String, Deque<String>> latest = new ConcurrentHashMap<>();
  private volatile Consumer<Outcome> listener = o -> {};

  /** Reads the key from the service's environment, the one channel every plugin gets. */
  public AiAnalystProvider() {
    this.env = null;
  }

  /** Reads the key from {@code env} instead (embedding code and tests). */
  public AiAnalystProvider(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  /** Gives the bots their service's executions, PnL, risk and kill switch. Returns this. */
  public AiAnalystProvider bind(ArbitrageService service) {
    this.service = service;
    return this;
  }

  /** Calls {@code listener} after every analysis round. */
  public AiAnalystProvider onOutcome(Consumer<Outcome> listener) {
    this.listener = listener == null ? o -> {} : listener;
    return this;
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public int spiVersion() {
    return Spi.VERSION;
  }

  @Override
  public SettingsSchema settingsSchema() {
    return SCHEMA;
  }

  @Override
  public Bot create(BotSpec spec, BotContext context) {
    AnalystConfig config = AnalystConfig.from(spec.settings(), env != null ? env : context.env());
    return new AiAnalystBot(context, config, this);
  }

  ArbitrageService service() {
    return service;
  }

  /** The latest analyses of a bot (the published JSON), newest first. */
  public List<String> latestAnalyses(String botId) {
    Deque<String> d = latest.get(botId);
    if (d == null) {
      return List.of();
    }
    synchronized (d) {
      return new ArrayList<>(d);
    }
  }

  void published(String botId, ObjectNode event, AnalysisEvent analysis) {
    String json = event.toString();
    Deque<String> d = latest.computeIfAbsent(botId, k -> new ArrayDeque<>());
    synchronized (d) {
      d.addFirst(json);
      while (d.size() > KEPT) {
        d.removeLast();
      }
    }
    ArbitrageService s = service;
    if (s != null) {
      s.publishAnalysis(analysis);
    }
    report(new Outcome(botId, Outcome.Kind.PUBLISHED, json));
  }

  void rejected(String botId, String reason) {
    ArbitrageService s = service;
    if (s != null) {
      s.publishSystemEvent(
          "analysis.rejected",
          "bot " + botId + ": the model's answer was rejected and not acted on: " + reason);
    }
    report(new Outcome(botId, Outcome.Kind.REJECTED, reason));
  }

  void report(Outcome outcome) {
    try {
      listener.accept(outcome);
    } catch (RuntimeException e) {
      // a listener's failure is its own
    }
  }
}
