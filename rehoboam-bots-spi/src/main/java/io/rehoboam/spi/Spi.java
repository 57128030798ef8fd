package io.rehoboam.spi;

/** Version of this SPI. A provider compiled against another version is refused by the engine. */
public final class Spi {
  /**
   * The SPI version this jar implements. Providers return it from {@code spiVersion()}; the engine
   * compares it with its own and refuses a mismatch with both numbers in the message.
   */
  public static final int VERSION = 1;

  private Spi() {}
}
