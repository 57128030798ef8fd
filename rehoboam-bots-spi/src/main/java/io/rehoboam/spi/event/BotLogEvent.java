package io.rehoboam.spi.event;

import io.rehoboam.spi.Checks;
import io.rehoboam.spi.LogLevel;
import java.time.Instant;

/** A log line of a bot ({@code bot.log}). */
public record BotLogEvent(long seq, Instant at, String botId, LogLevel level, String message)
    implements Event {
  public static final String TYPE = "bot.log";

  public BotLogEvent {
    Checks.notNull(at, "at");
    Checks.notBlank(botId, "bot_id");
    Checks.notNull(level, "level");
    message = message == null ? "" : message;
  }

  @Override
  public String type() {
    return TYPE;
  }
}
