package io.rehoboam.spi;

/**
 * Measurements a bot hands the engine, which records them in its metrics (when the service has a
 * meter registry) under the bot's id. Thread-safe; never blocks.
 */
public interface BotMetrics {
  /** Records nothing. */
  BotMetrics NONE = (sourceId, nanos) -> {};

  /** One batch of a source's updates was scanned in {@code nanos}. */
  void scanned(String sourceId, long nanos);
}
