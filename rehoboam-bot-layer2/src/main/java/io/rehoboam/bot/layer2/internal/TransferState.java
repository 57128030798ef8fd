package io.rehoboam.bot.layer2.internal;

import java.util.Locale;

/**
 * Where a bridge transfer stands; its wire name ({@code in_flight}, {@code settled}) is what the
 * bot's {@code layer2.transfer} reports show.
 */
public enum TransferState {
  /** Sent on the source chain, not yet credited on the destination chain. */
  IN_FLIGHT,
  /** Credited on the destination chain. */
  SETTLED;

  /** The lower-case name in reports. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return wireName();
  }
}
