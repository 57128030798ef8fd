package io.rehoboam.spi.event;

import io.rehoboam.spi.Checks;
import io.rehoboam.spi.trade.Execution;
import java.time.Instant;

/** An execution changed status ({@code execution}). */
public record ExecutionEvent(long seq, Instant at, String botId, Execution execution)
    implements Event {
  public static final String TYPE = "execution";

  public ExecutionEvent {
    Checks.notNull(at, "at");
    Checks.notNull(execution, "execution");
  }

  @Override
  public String type() {
    return TYPE;
  }
}
