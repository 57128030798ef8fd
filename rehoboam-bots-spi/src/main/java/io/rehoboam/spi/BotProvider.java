package io.rehoboam.spi;

/**
 * Builds bots of one type. Found with {@link java.util.ServiceLoader} (list the class in {@code
 * META-INF/services/io.rehoboam.spi.BotProvider}) or registered explicitly with the engine, which
 * wins over a discovered provider of the same type.
 */
public interface BotProvider {

  /** The type id, such as {@code live_monitor}, {@code process} or {@code layer2}. */
  String type();

  /**
   * The SPI version this provider was compiled against: implement it as {@code return Spi.VERSION;}
   * so the compiler copies the constant into the provider. The engine refuses any other version,
   * naming both.
   */
  int spiVersion();

  /**
   * The settings this provider reads: names, types, defaults, units, descriptions, bounds and which
   * are secrets. The engine checks every configuration against it before anything is built or
   * started (an unknown name or a wrong value is an INVALID_CONFIG error naming the field), masks
   * the sensitive ones everywhere (settings named like secrets, {@link SecretNames#looksSecret},
   * too) and lists them in the API.
   */
  SettingsSchema settingsSchema();

  /**
   * Builds a bot for {@code spec}. Must not start anything (no thread, process or connection): the
   * engine calls {@link Bot#start()} when it is time. Throws {@link RehoboamException} with {@link
   * ErrorCode#INVALID_CONFIG} when the settings are wrong.
   */
  Bot create(BotSpec spec, BotContext context);
}
