package io.rehoboam.bot.layer2.internal;

import java.util.Locale;

/**
 * Where a position a failed leg left behind stands; its wire name ({@code open}, {@code unwound},
 * {@code unwind_failed}) is what the bot's {@code layer2.position} reports show.
 */
public enum PositionState {
  /** Held: the failure policy keeps it, or its unwind has not run yet. */
  OPEN,
  /** Swapped back (at whatever it fetched). */
  UNWOUND,
  /** The unwind was tried and did not fill: it is still held. */
  UNWIND_FAILED;

  /** The lower-case name in reports. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return wireName();
  }
}
