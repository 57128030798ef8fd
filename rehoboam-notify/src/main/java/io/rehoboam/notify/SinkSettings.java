package io.rehoboam.notify;

import io.rehoboam.spi.Checks;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.Settings;
import java.net.URI;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One notification sink ({@code server.notifications.sinks[i]}). Secrets (the Telegram token, a
 * webhook URL, which carries its own token) come from environment variables and are never shown by
 * {@link #toString()} or written to the log.
 *
 * @param id the sink's name in logs and in {@code telegram_commands.sink}
 * @param type {@code telegram}, {@code discord} or {@code slack}
 * @param url the Telegram Bot API base (default {@code https://api.telegram.org}) or the webhook
 *     URL (secret)
 * @param token the Telegram bot token (secret), null for webhooks
 * @param chatId the Telegram chat id, null for webhooks
 * @param events the kinds sent; all when the configuration lists none
 * @param minSeverity notices below it are dropped
 * @param maxMessages at most this many messages per {@code per}
 * @param per the rate limit's window
 * @param batchWindow notices arriving within it after the first go out as one message
 * @param maxLines lines shown in one message; the rest are counted by kind
 * @param timeout connect and read timeout of one request
 * @param retries attempts after the first on 429, 5xx or a network error
 * @param retryBackoff the first retry's delay, doubled each time; a longer Retry-After wins
 */
public record SinkSettings(
    String id,
    Type type,
    URI url,
    String token,
    String chatId,
    Set<NoticeKind> events,
    Severity minSeverity,
    int maxMessages,
    Duration per,
    Duration batchWindow,
    int maxLines,
    Duration timeout,
    int retries,
    Duration retryBackoff) {

  /** The sink types. */
  public enum Type {
    TELEGRAM,
    DISCORD,
    SLACK;

    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public static final URI TELEGRAM_API = URI.create("https://api.telegram.org");

  /** The keys of one sink. */
  public static final List<String> KEYS =
      List.of(
          "id",
          "type",
          "api_url",
          "url_env",
          "token_env",
          "chat_id_env",
          "events",
          "min_severity",
          "rate_limit",
          "batch_window",
          "max_lines",
          "timeout",
          "retries",
          "retry_backoff");

  public SinkSettings {
    Checks.notBlank(id, "id");
    Checks.notNull(type, "type");
    Checks.notNull(url, "url");
    Checks.check(
        ("http".equals(url.getScheme()) || "https".equals(url.getScheme()))
            && url.getHost() != null,
        "url",
        "expected an http or https URL");
    if (type == Type.TELEGRAM) {
      Checks.notBlank(token, "token_env");
      Checks.notBlank(chatId, "chat_id_env");
    }
    events = events.isEmpty() ? EnumSet.allOf(NoticeKind.class) : EnumSet.copyOf(events);
    Checks.notNull(minSeverity, "min_severity");
    Checks.check(
        maxMessages >= 1 && maxMessages <= 10_000, "rate_limit.messages", "must be 1..10000");
    positive(per, "rate_limit.per");
    Checks.notNull(batchWindow, "batch_window");
    Checks.check(!batchWindow.isNegative(), "batch_window", "must not be negative");
    Checks.check(maxLines >= 1 && maxLines <= 100, "max_lines", "must be 1..100");
    positive(timeout, "timeout");
    Checks.check(retries >= 0 && retries <= 20, "retries", "must be 0..20");
    positive(retryBackoff, "retry_backoff");
  }

  /** Whether a notice passes this sink's filters. */
  public boolean accepts(Notice notice) {
    return events.contains(notice.kind()) && notice.severity().compareTo(minSeverity) >= 0;
  }

  /** The secret strings of this sink, to be masked wherever text might reach a log. */
  public List<String> secrets() {
    return type == Type.TELEGRAM ? List.of(token) : List.of(url.toString(), url.getRawPath());
  }

  static SinkSettings from(Settings s, String where, Map<String, String> env) {
    NotificationSettings.rejectUnknown(s, KEYS, where);
    String id = s.string("id", null);
    if (id == null || id.isBlank()) {
      throw NotificationSettings.config(where + ".id: is required");
    }
    String typeName = s.string("type", "");
    Type type =
        switch (typeName) {
          case "telegram" -> Type.TELEGRAM;
          case "discord" -> Type.DISCORD;
          case "slack" -> Type.SLACK;
          default ->
              throw NotificationSettings.config(
                  where + ".type: expected telegram, discord or slack but was '" + typeName + "'");
        };
    URI url;
    String token = null;
    String chatId = null;
    if (type == Type.TELEGRAM) {
      url = uri(s.string("api_url", TELEGRAM_API.toString()), where + ".api_url");
      token = fromEnv(s, "token_env", where, env);
      chatId = fromEnv(s, "chat_id_env", where, env);
    } else {
      url = uri(fromEnv(s, "url_env", where, env), where + ".url_env");
    }
    Set<NoticeKind> events = EnumSet.noneOf(NoticeKind.class);
    for (String name : NotificationSettings.at(where, () -> s.stringList("events"))) {
      events.add(NoticeKind.parse(name, where + ".events"));
    }
    Severity min = Severity.parse(s.string("min_severity", "info"), where + ".min_severity");
    Settings rate = NotificationSettings.at(where, () -> s.section("rate_limit"));
    NotificationSettings.rejectUnknown(rate, List.of("messages", "per"), where + ".rate_limit");
    URI finalUrl = url;
    String finalToken = token;
    String finalChat = chatId;
    return NotificationSettings.at(
        where,
        () ->
            new SinkSettings(
                id,
                type,
                finalUrl,
                finalToken,
                finalChat,
                events,
                min,
                rate.intValue("messages", 20),
                rate.duration("per", Duration.ofMinutes(1)),
                s.duration("batch_window", Duration.ofSeconds(2)),
                s.intValue("max_lines", 10),
                s.duration("timeout", Duration.ofSeconds(10)),
                s.intValue("retries", 5),
                s.duration("retry_backoff", Duration.ofSeconds(1))));
  }

  private static String fromEnv(Settings s, String key, String where, Map<String, String> env) {
    String variable = s.string(key, null);
    if (variable == null || variable.isBlank()) {
      throw NotificationSettings.config(
          where + "." + key + ": is required (the environment variable holding the value)");
    }
    String value = env.get(variable);
    if (value == null || value.isBlank()) {
      throw NotificationSettings.config(
          where + "." + key + ": the environment variable '" + variable + "' is not set");
    }
    return value.trim();
  }

  private static URI uri(String text, String field) {
    try {
      URI uri = new URI(text.trim());
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          || uri.getHost() == null) {
        throw NotificationSettings.config(field + ": expected an http or https URL");
      }
      return uri;
    } catch (java.net.URISyntaxException e) {
      // The text may be a secret webhook URL: do not repeat it.
      throw new RehoboamException(ErrorCode.INVALID_CONFIG, field + ": not a URL");
    }
  }

  private static void positive(Duration d, String field) {
    Checks.notNull(d, field);
    Checks.check(!d.isNegative() && !d.isZero(), field, "must be positive");
  }

  @Override
  public String toString() {
    return "Sink["
        + id
        + ", "
        + type.wireName()
        + (type == Type.TELEGRAM ? ", " + url.getHost() : "")
        + "]";
  }
}
