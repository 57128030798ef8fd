package io.rehoboam.spi.market;

import io.rehoboam.spi.ProviderContext;
import io.rehoboam.spi.Settings;
import io.rehoboam.spi.SettingsSchema;

/** Builds market sources of one type ({@code sim}, {@code evm}, ...). Found like bot providers. */
public interface MarketSourceProvider {

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

  /** Builds a source; must not start delivering before the first subscription. */
  MarketSource create(String id, Settings settings, ProviderContext context);
}
