package io.rehoboam.spi.trade;

import io.rehoboam.spi.ProviderContext;
import io.rehoboam.spi.Settings;
import io.rehoboam.spi.SettingsSchema;

/**
 * Builds trade executors of one type ({@code paper}, {@code evm}, ...). Found like bot providers.
 */
public interface TradeExecutorProvider {

  /** The type id. */
  String type();

  /**
   * The SPI version this provider was compiled against: implement it as {@code return Spi.VERSION;}
   * so the compiler copies the constant into the provider. The engine refuses any other version,
   * naming both.
   */
  int spiVersion();

  /**
   * The settings this provider reads (names, types, defaults, units, descriptions, bounds, which
   * are secrets); the engine checks every configuration against it before anything is built.
   */
  SettingsSchema settingsSchema();

  /** Builds an executor; must not send anything before {@link TradeExecutor#execute} is called. */
  TradeExecutor create(String id, Settings settings, ProviderContext context);
}
