package io.rehoboam.spi.event;

import io.rehoboam.spi.Checks;
import java.time.Instant;

/**
 * A risk decision ({@code risk}): an action allowed or rejected by a named limit, the kill switch
 * tripped or reset.
 *
 * @param decision {@code allow}, {@code reject}, {@code trip} or {@code reset}
 * @param limit the limit that decided (for example {@code max_trades_per_minute}), or null
 * @param subject what was decided about (for example an opportunity id), or null
 */
public record RiskEvent(
    long seq,
    Instant at,
    String botId,
    String decision,
    String limit,
    String subject,
    String message)
    implements Event {
  public static final String TYPE = "risk";

  public RiskEvent {
    Checks.notNull(at, "at");
    Checks.notBlank(decision, "decision");
    message = message == null ? "" : message;
  }

  @Override
  public String type() {
    return TYPE;
  }
}
