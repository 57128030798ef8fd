package io.rehoboam.journal.cluster;

import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import java.util.Objects;
import java.util.Set;

/**
 * Where a bot may run in a cluster: on any one server ({@code any}), on one named server ({@code
 * server: NAME}), on one of the servers carrying a tag ({@code tag: T}), or on every server at once
 * without a lease ({@code everywhere}: for bots that only watch, such as a monitor feeding each
 * server's own book; an execution of such a bot is refused by the fenced journal).
 *
 * @param kind any, server or tag
 * @param value the server id or the tag; null for any
 */
public record Placement(Kind kind, String value) {
  /** What a placement names. */
  public enum Kind {
    ANY,
    EVERYWHERE,
    SERVER,
    TAG
  }

  /** Any server. */
  public static final Placement ANY = new Placement(Kind.ANY, null);

  /** Every server, no lease. */
  public static final Placement EVERYWHERE = new Placement(Kind.EVERYWHERE, null);

  public Placement {
    Objects.requireNonNull(kind, "kind");
    if (kind != Kind.ANY && kind != Kind.EVERYWHERE && (value == null || value.isBlank())) {
      throw RehoboamException.invalid("placement", kind.name().toLowerCase() + " needs a name");
    }
  }

  /**
   * Reads {@code any}, {@code server: NAME} or {@code tag: T} (as written in a configuration or
   * stored in the lease table).
   *
   * @throws RehoboamException INVALID_ARGUMENT naming {@code placement} for anything else
   */
  public static Placement parse(String text) {
    if (text == null || text.isBlank() || text.trim().equals("any")) {
      return ANY;
    }
    if (text.trim().equals("everywhere")) {
      return EVERYWHERE;
    }
    int colon = text.indexOf(':');
    if (colon > 0) {
      String kind = text.substring(0, colon).trim();
      String value = text.substring(colon + 1).trim();
      if (!value.isEmpty() && value.length() <= 100) {
        if (kind.equals("server")) {
          return new Placement(Kind.SERVER, value);
        }
        if (kind.equals("tag")) {
          return new Placement(Kind.TAG, value);
        }
      }
    }
    throw new RehoboamException(
        ErrorCode.INVALID_ARGUMENT,
        "placement: expected 'any', 'everywhere', 'server: NAME' or 'tag: T' (got '"
            + (text.length() > 40 ? text.substring(0, 40) + "..." : text)
            + "')");
  }

  /** Whether the bot runs on every server without a lease. */
  public boolean everywhere() {
    return kind == Kind.EVERYWHERE;
  }

  /** Whether a server with this id and these tags may run the bot. */
  public boolean allows(String serverId, Set<String> tags) {
    return switch (kind) {
      case ANY, EVERYWHERE -> true;
      case SERVER -> value.equals(serverId);
      case TAG -> tags.contains(value);
    };
  }

  @Override
  public String toString() {
    return switch (kind) {
      case ANY -> "any";
      case EVERYWHERE -> "everywhere";
      default -> kind.name().toLowerCase() + ": " + value;
    };
  }
}
