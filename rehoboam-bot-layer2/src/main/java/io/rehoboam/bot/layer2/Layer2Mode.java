package io.rehoboam.bot.layer2;

import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import java.util.Locale;

/** How a {@code layer2} bot executes a cross-layer opportunity. */
public enum Layer2Mode {
  /**
   * Hold inventory of both tokens on every chain and execute both swaps at once, one transaction
   * per chain; the transfer that restores the inventory is modelled (and proposed), not executed.
   */
  INVENTORY,
  /**
   * Hold nothing on the selling chain: buy, bridge what was bought, sell it, and bridge the
   * proceeds home; every transfer is executed and tracked until it settles.
   */
  BRIDGE;

  /** The lower-case name used in settings and JSON. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses {@code inventory} or {@code bridge} (any case).
   *
   * @throws RehoboamException INVALID_CONFIG naming the setting {@code mode}
   */
  public static Layer2Mode parse(String text) {
    for (Layer2Mode m : values()) {
      if (m.wireName().equalsIgnoreCase(text == null ? "" : text.trim())) {
        return m;
      }
    }
    throw new RehoboamException(
        ErrorCode.INVALID_CONFIG, "mode: expected inventory or bridge but was '" + text + "'");
  }
}
