package io.rehoboam.core.scan.gen;

import io.rehoboam.spi.RehoboamException;
import java.util.Locale;

/**
 * How a synthetic market's prices and venues look: the conditions a scan benchmark must cover,
 * independent of its {@link MarketShape} (how many tokens).
 */
public enum MarketRegime {
  /**
   * Kept in line by arbitrageurs: every pool quotes within its fee band around the true price, one
   * pool per pair and venue on twelve venues; nothing pays except the planted dislocations.
   */
  CALM,
  /**
   * Just after a market-wide move: every pool of {@value #MOVED_PERCENT}% of the tokens is off the
   * true price by its fee band plus a log-normal noise of 0.1% to 2% (median 0.5%), either way;
   * most pairs with two pools or more then pay.
   */
  VOLATILE,
  /**
   * {@link #VOLATILE} prices on a landscape of many forks: the twelve venues and {@value #FORKS}
   * forks, so that popular pairs sit on up to a few hundred pools.
   */
  CROWDED;

  /** The share of tokens (in percent) whose pools are moved in a volatile or crowded market. */
  public static final int MOVED_PERCENT = 60;

  /** Forks added to the twelve venues in a crowded market. */
  public static final int FORKS = 288;

  /** The command-line spelling: {@code calm}, {@code volatile} or {@code crowded}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses {@code calm}, {@code volatile} or {@code crowded} (any case).
   *
   * @throws RehoboamException INVALID_ARGUMENT naming {@code regime} for anything else
   */
  public static MarketRegime parse(String text) {
    String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    for (MarketRegime regime : values()) {
      if (regime.wireName().equals(t)) {
        return regime;
      }
    }
    throw RehoboamException.invalid(
        "regime", "must be calm, volatile or crowded, was '" + text + "'");
  }
}
