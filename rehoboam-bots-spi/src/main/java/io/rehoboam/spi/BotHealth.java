package io.rehoboam.spi;

/** A bot's own view of its health, reported by {@link Bot#health()}. */
public record BotHealth(Status status, String message) {
  /** Health levels, from best to worst. */
  public enum Status {
    UP,
    DEGRADED,
    DOWN
  }

  public BotHealth {
    Checks.notNull(status, "status");
    message = message == null ? "" : message;
  }

  public static BotHealth up() {
    return new BotHealth(Status.UP, "");
  }

  public static BotHealth degraded(String message) {
    return new BotHealth(Status.DEGRADED, message);
  }

  public static BotHealth down(String message) {
    return new BotHealth(Status.DOWN, message);
  }
}
