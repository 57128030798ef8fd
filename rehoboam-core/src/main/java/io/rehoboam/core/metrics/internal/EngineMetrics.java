package io.rehoboam.core.metrics.internal;

/**
 * What the engine's own code records directly (everything else follows the event stream). Free of
 * Micrometer types, so code that holds one never loads Micrometer when metrics are off.
 */
public interface EngineMetrics {
  /** Records nothing. */
  EngineMetrics NONE = (botId, sourceId, nanos) -> {};

  /** One scanned batch of pool updates took {@code nanos}. Thread-safe, never blocks. */
  void scanned(String botId, String sourceId, long nanos);
}
