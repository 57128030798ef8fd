package io.rehoboam.bot.analyst;

import io.rehoboam.spi.Checks;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.Settings;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * An {@code ai_analyst} bot's settings.
 *
 * @param baseUrl the OpenAI-compatible API's base; requests go to {@code
 *     <base_url>/chat/completions}
 * @param model the model asked
 * @param apiKey the bearer key, from the environment variable {@code api_key_env} (never logged)
 * @param interval how often an analysis is asked for
 * @param timeout connect and read timeout of one request
 * @param retries attempts after the first on 429, 5xx or a network error
 * @param retryBackoff the first retry's delay, doubled each time; a longer Retry-After wins
 * @param maxTokensPerDay tokens (prompt and answer, as the API reports them) per UTC day; once used
 *     up no request is sent until the next day
 * @param maxAnswerTokens the answer's {@code max_tokens}
 * @param recent how many recent opportunities and executions the summary lists
 * @param allowKillSwitch whether a critical risk flag asking for it may trip the kill switch
 */
record AnalystConfig(
    URI baseUrl,
    String model,
    String apiKey,
    Duration interval,
    Duration timeout,
    int retries,
    Duration retryBackoff,
    long maxTokensPerDay,
    int maxAnswerTokens,
    int recent,
    boolean allowKillSwitch) {

  static final URI DEFAULT_BASE_URL = URI.create("https://api.deepseek.com");
  static final String DEFAULT_MODEL = "deepseek-chat";
  static final String DEFAULT_KEY_ENV = "DEEPSEEK_API_KEY";

  static final List<String> KEYS =
      List.of(
          "base_url",
          "model",
          "api_key_env",
          "interval",
          "timeout",
          "retries",
          "retry_backoff",
          "max_tokens_per_day",
          "max_answer_tokens",
          "recent",
          "allow_kill_switch");

  AnalystConfig {
    Checks.notNull(baseUrl, "base_url");
    Checks.check(
        ("http".equals(baseUrl.getScheme()) || "https".equals(baseUrl.getScheme()))
            && baseUrl.getHost() != null,
        "base_url",
        "expected an http or https URL");
    Checks.notBlank(model, "model");
    Checks.notBlank(apiKey, "api_key_env");
    Checks.check(interval.toSeconds() >= 10, "interval", "must be at least 10s");
    Checks.check(!timeout.isNegative() && !timeout.isZero(), "timeout", "must be positive");
    Checks.check(retries >= 0 && retries <= 10, "retries", "must be 0..10");
    Checks.check(
        !retryBackoff.isNegative() && !retryBackoff.isZero(), "retry_backoff", "must be positive");
    Checks.check(maxTokensPerDay >= 1, "max_tokens_per_day", "must be at least 1");
    Checks.check(
        maxAnswerTokens >= 64 && maxAnswerTokens <= 8192, "max_answer_tokens", "must be 64..8192");
    Checks.check(recent >= 0 && recent <= 50, "recent", "must be 0..50");
  }

  /**
   * @throws RehoboamException INVALID_CONFIG naming the setting
   */
  static AnalystConfig from(Settings s, Map<String, String> env) {
    for (String key : s.names()) {
      if (!KEYS.contains(key)) {
        throw new RehoboamException(
            ErrorCode.INVALID_CONFIG,
            "unknown setting '" + key + "' (known: " + String.join(", ", KEYS) + ")");
      }
    }
    String variable = s.string("api_key_env", DEFAULT_KEY_ENV);
    String key = env.get(variable);
    if (key == null || key.isBlank()) {
      throw new RehoboamException(
          ErrorCode.INVALID_CONFIG,
          "api_key_env: the environment variable '" + variable + "' is not set");
    }
    URI base;
    try {
      base = new URI(s.string("base_url", DEFAULT_BASE_URL.toString()).trim());
    } catch (java.net.URISyntaxException e) {
      throw new RehoboamException(ErrorCode.INVALID_CONFIG, "base_url: not a URL");
    }
    try {
      return new AnalystConfig(
          base,
          s.string("model", DEFAULT_MODEL),
          key.trim(),
          s.duration("interval", Duration.ofMinutes(15)),
          s.duration("timeout", Duration.ofSeconds(60)),
          s.intValue("retries", 3),
          s.duration("retry_backoff", Duration.ofSeconds(2)),
          s.longValue("max_tokens_per_day", 200_000),
          s.intValue("max_answer_tokens", 800),
          s.intValue("recent", 10),
          s.bool("allow_kill_switch", false));
    } catch (RehoboamException e) {
      throw new RehoboamException(ErrorCode.INVALID_CONFIG, e.getMessage(), e);
    }
  }

  URI endpoint() {
    String base = baseUrl.toString();
    return URI.create(
        (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/chat/completions");
  }

  @Override
  public String toString() {
    return "AnalystConfig[" + baseUrl + ", model=" + model + ", interval=" + interval + "]";
  }
}
