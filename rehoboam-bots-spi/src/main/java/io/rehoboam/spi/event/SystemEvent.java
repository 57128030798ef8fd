package io.rehoboam.spi.event;

import io.rehoboam.spi.Checks;
import java.time.Instant;

/**
 * Something about the service as a whole ({@code system}): starting, started, stopping, stopped,
 * monitoring switched on or off, a provider skipped.
 *
 * @param kind the wire name of one of the engine's own {@link Kind}s, or a kind of the caller's own
 *     (an embedding application's or the HTTP adapter's {@code audit}, published through the
 *     service)
 */
public record SystemEvent(long seq, Instant at, String kind, String message) implements Event {
  public static final String TYPE = "system";

  /** The kinds of system event the engine itself publishes; {@link #wireName()} is the kind. */
  public enum Kind {
    STARTING("starting"),
    STARTED("started"),
    STOPPING("stopping"),
    STOPPED("stopped"),
    RECOVERY("recovery"),
    PROVIDER_SKIPPED("provider.skipped"),
    BOT_REGISTERED("bot.registered"),
    BOT_UNREGISTERED("bot.unregistered"),
    BOT_SETTINGS("bot.settings"),
    JOURNAL("journal"),
    JOURNAL_FAILING("journal.failing"),
    JOURNAL_RECOVERED("journal.recovered"),
    MONITORING_STARTED("monitoring.started"),
    MONITORING_STOPPED("monitoring.stopped");

    private final String wireName;

    Kind(String wireName) {
      this.wireName = wireName;
    }

    /** The kind on the wire, for example {@code bot.registered}. */
    public String wireName() {
      return wireName;
    }

    /** The engine's kind of this wire name, if it is one. */
    public static java.util.Optional<Kind> of(String wireName) {
      for (Kind k : values()) {
        if (k.wireName.equals(wireName)) {
          return java.util.Optional.of(k);
        }
      }
      return java.util.Optional.empty();
    }
  }

  /** An event of one of the engine's own kinds. */
  public SystemEvent(long seq, Instant at, Kind kind, String message) {
    this(seq, at, Checks.notNull(kind, "kind").wireName(), message);
  }

  public SystemEvent {
    Checks.notNull(at, "at");
    Checks.notBlank(kind, "kind");
    message = message == null ? "" : message;
  }

  @Override
  public String botId() {
    return null;
  }

  @Override
  public String type() {
    return TYPE;
  }
}
