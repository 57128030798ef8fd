package io.rehoboam.spi;

import java.util.Set;

/**
 * Builds bots of one type. Found with {@link java.util.ServiceLoader} (list the class in {@code
 * META-INF/services/io.rehoboam.spi.BotProvider}) or registered explicitly with the engine, which
 * wins over a discovered provider of the same type.
 */
public interface BotProvider {

  /** The type id, such as {@code live_monitor}, {@code process} or {@code layer2}. */
  String type();

  /** The SPI version this provider was built against; the engine refuses any other. */
  default int spiVersion() {
    return Spi.VERSION;
  }

  /**
   * Names of settings whose values are secrets. The engine masks them as {@code "***"} in statuses,
   * events, logs and API output, and keeps them off the journal. Settings named like secrets
   * ({@link SecretNames#looksSecret}) are treated so too, whether listed here or not.
   */
  default Set<String> sensitiveSettings() {
    return Set.of();
  }

  /**
   * Builds a bot for {@code spec}. Must not start anything (no thread, process or connection): the
   * engine calls {@link Bot#start()} when it is time. Throws {@link RehoboamException} with {@link
   * ErrorCode#INVALID_CONFIG} when the settings are wrong.
   */
  Bot create(BotSpec spec, BotContext context);
}
