package io.rehoboam.core.scan;

import io.rehoboam.spi.RehoboamException;
import java.util.Locale;

/** The strategies the scan engine runs. Their ids are part of the data contract. */
public enum ScanStrategy {
  /** The same token pair on two pools: buy on one, sell on the other. */
  CROSS_VENUE,
  /** A cycle of 3 (or 4) pools through a start token. */
  CYCLIC;

  /** The contract id: {@code cross_venue} or {@code cyclic}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The strategy with this id (case-insensitive, surrounding blanks ignored).
   *
   * @throws RehoboamException INVALID_ARGUMENT naming the unknown id
   */
  public static ScanStrategy fromId(String id) {
    if (id != null) {
      String wanted = id.trim();
      for (ScanStrategy strategy : values()) {
        if (strategy.id().equalsIgnoreCase(wanted)) {
          return strategy;
        }
      }
    }
    throw RehoboamException.invalid(
        "strategy", "unknown strategy '" + id + "', expected cross_venue or cyclic");
  }
}
