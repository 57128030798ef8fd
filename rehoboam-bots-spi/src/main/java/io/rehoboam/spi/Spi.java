package io.rehoboam.spi;

/** Version of this SPI. A provider compiled against another version is refused by the engine. */
public final class Spi {
  /**
   * The SPI version this jar implements. Each provider returns it from its own {@code spiVersion()}
   * ({@code return Spi.VERSION;}): the compiler copies the constant into the provider's class, so
   * the provider reports the version it was compiled against, and the engine refuses a mismatch
   * with both numbers in the message.
   *
   * <p>Version 2: settings schemas ({@link SettingsSchema}) replace {@code sensitiveSettings()};
   * the environment reaches plugins through {@link ProviderContext#env()}; {@code spiVersion()} has
   * no default.
   */
  public static final int VERSION = 2;

  private Spi() {}
}
