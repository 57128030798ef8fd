package io.rehoboam.http.internal;

import io.rehoboam.spi.event.AnalysisEvent;
import io.rehoboam.spi.event.BotLogEvent;
import io.rehoboam.spi.event.BotSettingsEvent;
import io.rehoboam.spi.event.BotStatusEvent;
import io.rehoboam.spi.event.ExecutionEvent;
import io.rehoboam.spi.event.MonitoringSnapshotEvent;
import io.rehoboam.spi.event.OpportunityExpiredEvent;
import io.rehoboam.spi.event.OpportunityFoundEvent;
import io.rehoboam.spi.event.RiskEvent;
import io.rehoboam.spi.event.SystemEvent;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The WebSocket topics a client subscribes to: {@code bots} (bot.status, bot.settings), {@code
 * opportunities} (opportunity.found and .expired), {@code executions}, {@code monitoring}, {@code
 * logs} (bot.log), {@code risk}, {@code system}, {@code analysis} (the {@code analysis} events of
 * advisor bots), {@code bot:<bot_id>} (every event of one bot) and {@code *} (everything).
 * Immutable.
 */
public final class Topics {
  public static final String ALL = "*";
  public static final String BOT_PREFIX = "bot:";

  private static final Map<String, String> TOPIC_BY_TYPE =
      Map.of(
          BotStatusEvent.TYPE, "bots",
          BotSettingsEvent.TYPE, "bots",
          OpportunityFoundEvent.TYPE, "opportunities",
          OpportunityExpiredEvent.TYPE, "opportunities",
          ExecutionEvent.TYPE, "executions",
          MonitoringSnapshotEvent.TYPE, "monitoring",
          BotLogEvent.TYPE, "logs",
          RiskEvent.TYPE, "risk",
          SystemEvent.TYPE, "system",
          AnalysisEvent.TYPE, "analysis");

  /** The named topics, in documentation order. */
  public static final List<String> NAMED =
      List.of(
          "bots",
          "opportunities",
          "executions",
          "monitoring",
          "logs",
          "risk",
          "system",
          "analysis");

  private static final String KNOWN = String.join(", ", NAMED) + ", bot:<bot_id>, *";

  /** {@code bot:} and a bot id. */
  static final int MAX_TOPIC_CHARS = BOT_PREFIX.length() + Limits.BOT_ID_CHARS;

  private static final Topics EVERYTHING = new Topics(Set.of(ALL));

  private final Set<String> topics;

  private Topics(Set<String> topics) {
    this.topics = Set.copyOf(topics);
  }

  public static Topics everything() {
    return EVERYTHING;
  }

  public static Topics none() {
    return new Topics(Set.of());
  }

  /**
   * Checks topic names.
   *
   * @throws ApiError.Failure 400 naming the first unknown topic
   */
  public static List<String> validate(Collection<String> names, String field) {
    if (names.size() > Limits.TOPICS_PER_MESSAGE) {
      throw ApiError.invalid(
              field,
              "at most "
                  + Limits.TOPICS_PER_MESSAGE
                  + " topics in one message, was "
                  + names.size())
          .toException();
    }
    for (String name : names) {
      if (name.length() > MAX_TOPIC_CHARS) {
        throw ApiError.invalid(
                field,
                "a topic has at most "
                    + MAX_TOPIC_CHARS
                    + " characters, was "
                    + name.length()
                    + " ('"
                    + name.substring(0, 20)
                    + "...')")
            .toException();
      }
      boolean known =
          ALL.equals(name)
              || NAMED.contains(name)
              || (name.startsWith(BOT_PREFIX) && name.length() > BOT_PREFIX.length());
      if (!known) {
        throw ApiError.invalid(field, "unknown topic '" + name + "' (known: " + KNOWN + ")")
            .toException();
      }
    }
    return List.copyOf(names);
  }

  public Topics plus(Collection<String> names) {
    Set<String> next = new LinkedHashSet<>(topics);
    next.addAll(names);
    return new Topics(next);
  }

  public Topics minus(Collection<String> names) {
    Set<String> next = new LinkedHashSet<>(topics);
    next.removeAll(names);
    return new Topics(next);
  }

  /** Whether an event of {@code type} about {@code botId} (may be null) goes to this client. */
  public boolean matches(String type, String botId) {
    if (topics.contains(ALL)) {
      return true;
    }
    String topic = TOPIC_BY_TYPE.get(type);
    if (topic != null && topics.contains(topic)) {
      return true;
    }
    return botId != null && topics.contains(BOT_PREFIX + botId);
  }

  /** How many topics. */
  public int size() {
    return topics.size();
  }

  /** Whether {@code name} is one of them. */
  public boolean contains(String name) {
    return topics.contains(name);
  }

  /** The subscribed topics, sorted. */
  public List<String> names() {
    return topics.stream().sorted().toList();
  }
}
