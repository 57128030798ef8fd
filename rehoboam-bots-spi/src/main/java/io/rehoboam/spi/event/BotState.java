package io.rehoboam.spi.event;

import java.util.Locale;

/**
 * The engine-owned state of a bot. JSON shows the lower-case name.
 *
 * <pre>
 * registered -> starting -> running -> stopping -> stopped
 *                  |           |                      |
 *                  +-----------+--> backoff -> starting (restart)
 *                                     \-> error (gave up; error_message says why)
 * </pre>
 */
public enum BotState {
  REGISTERED,
  STARTING,
  RUNNING,
  STOPPING,
  STOPPED,
  /** Failed; waiting for the backoff delay before the next start. */
  BACKOFF,
  /** Gave up (retry limit reached, or a start failed with restart policy never). */
  ERROR;

  /** The lower-case name used in JSON and in events. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** True when no work of the bot is running or about to run by itself. */
  public boolean isAtRest() {
    return this == REGISTERED || this == STOPPED || this == ERROR;
  }
}
