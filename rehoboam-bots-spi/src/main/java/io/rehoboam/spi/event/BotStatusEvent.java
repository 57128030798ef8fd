package io.rehoboam.spi.event;

import io.rehoboam.spi.Checks;
import java.time.Instant;

/** A bot moved from one state to another ({@code bot.status}). */
public record BotStatusEvent(
    long seq, Instant at, String botId, BotState from, BotState to, String reason)
    implements Event {
  public static final String TYPE = "bot.status";

  public BotStatusEvent {
    Checks.notNull(at, "at");
    Checks.notBlank(botId, "bot_id");
    Checks.notNull(from, "from");
    Checks.notNull(to, "to");
    reason = reason == null ? "" : reason;
  }

  @Override
  public String type() {
    return TYPE;
  }
}
