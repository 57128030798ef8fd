package io.rehoboam.spi.market;

import io.rehoboam.spi.Checks;
import java.time.Instant;

/**
 * A market source's health.
 *
 * @param up whether the source is delivering updates
 * @param lastUpdate when the last update arrived, null before the first
 * @param message empty when all is well, otherwise why not
 */
public record SourceHealth(boolean up, Instant lastUpdate, String message) {
  public SourceHealth {
    message = message == null ? "" : message;
  }

  public static SourceHealth up(Instant lastUpdate) {
    return new SourceHealth(true, lastUpdate, "");
  }

  public static SourceHealth down(String message) {
    return new SourceHealth(false, null, Checks.notBlank(message, "message"));
  }
}
