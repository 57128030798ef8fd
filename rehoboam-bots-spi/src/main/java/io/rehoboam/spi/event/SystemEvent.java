package io.rehoboam.spi.event;

import io.rehoboam.spi.Checks;
import java.time.Instant;

/**
 * Something about the service as a whole ({@code system}): starting, started, stopping, stopped,
 * monitoring switched on or off, a provider skipped.
 */
public record SystemEvent(long seq, Instant at, String kind, String message) implements Event {
  public static final String TYPE = "system";

  public SystemEvent {
    Checks.notNull(at, "at");
    Checks.notBlank(kind, "kind");
    message = message == null ? "" : message;
  }

  @Override
  public String botId() {
    return null;
  }

  @Override
  public String type() {
    return TYPE;
  }
}
