package io.rehoboam.core.internal;

import io.rehoboam.core.metrics.internal.EngineMetrics;
import io.rehoboam.spi.BotContext;

/** Lets the built-in bots reach engine facilities the SPI's context does not offer. */
public final class EngineAccess {
  private EngineAccess() {}

  /** The engine's metrics behind a bot's context; {@link EngineMetrics#NONE} for any other. */
  public static EngineMetrics metrics(BotContext context) {
    return context instanceof BotContextImpl impl ? impl.engineMetrics() : EngineMetrics.NONE;
  }
}
