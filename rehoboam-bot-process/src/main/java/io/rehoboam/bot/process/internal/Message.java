package io.rehoboam.bot.process.internal;

import io.rehoboam.spi.BotHealth;
import io.rehoboam.spi.LogLevel;
import io.rehoboam.spi.trade.Execution;
import io.rehoboam.spi.trade.Opportunity;

/** One accepted protocol line of a bot's stdout. */
public sealed interface Message {
  /** {@code {"type":"heartbeat"}}. */
  record Heartbeat() implements Message {}

  /** {@code {"type":"opportunity", ...}}. */
  record Found(Opportunity opportunity) implements Message {}

  /** {@code {"type":"execution", ...}}. */
  record Executed(Execution execution) implements Message {}

  /** {@code {"type":"log","level":"info","message":"..."}}. */
  record Log(LogLevel level, String message) implements Message {}

  /** {@code {"type":"status","message":"...","health":"up"}}. */
  record Status(BotHealth health) implements Message {}
}
