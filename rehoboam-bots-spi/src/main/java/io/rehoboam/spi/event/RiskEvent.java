package io.rehoboam.spi.event;

import io.rehoboam.spi.Checks;
import java.time.Instant;

/**
 * A risk decision ({@code risk}): an action allowed or rejected by a named limit, the kill switch
 * tripped or reset.
 *
 * @param decision the wire name of a {@link Decision}: {@code allow}, {@code reject}, {@code trip},
 *     {@code reset} or {@code limits_changed}
 * @param limit the limit that decided (for example {@code max_trades_per_minute}), or null
 * @param subject what was decided about (for example an opportunity id), or null
 */
public record RiskEvent(
    long seq,
    Instant at,
    String botId,
    String decision,
    String limit,
    String subject,
    String message)
    implements Event {
  public static final String TYPE = "risk";

  /** What the risk policy decided; {@link #wireName()} is the event's {@code decision}. */
  public enum Decision {
    /** An execution may go ahead. */
    ALLOW,
    /** An execution is refused by {@code limit}. */
    REJECT,
    /** The kill switch was tripped (by hand, or by {@code limit}). */
    TRIP,
    /** The kill switch was reset. */
    RESET,
    /** The limits were changed. */
    LIMITS_CHANGED;

    /** The lower-case name on the wire, for example {@code limits_changed}. */
    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * The decision of this wire name.
     *
     * @throws RehoboamException INVALID_ARGUMENT naming the known ones
     */
    public static Decision of(String wireName) {
      for (Decision d : values()) {
        if (d.wireName().equals(wireName)) {
          return d;
        }
      }
      throw io.rehoboam.spi.RehoboamException.invalid(
          "decision",
          "unknown risk decision '"
              + wireName
              + "' (known: "
              + String.join(
                  ", ", java.util.Arrays.stream(values()).map(Decision::wireName).toList())
              + ")");
    }
  }

  public RiskEvent {
    Checks.notNull(at, "at");
    Checks.notBlank(decision, "decision");
    Decision.of(decision);
    message = message == null ? "" : message;
  }

  public RiskEvent(
      long seq,
      Instant at,
      String botId,
      Decision decision,
      String limit,
      String subject,
      String message) {
    this(seq, at, botId, Checks.notNull(decision, "decision").wireName(), limit, subject, message);
  }

  /** {@link #decision()} as its enum. */
  public Decision decisionKind() {
    return Decision.of(decision);
  }

  @Override
  public String type() {
    return TYPE;
  }
}
