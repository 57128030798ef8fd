package io.rehoboam.journal.cluster;

import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import java.util.Objects;
import java.util.Set;

/**
 * Where a bot may run in a cluster: on any server ({@code any}), on one named server ({@code
 * server: NAME}) or on the servers carrying a tag ({@code tag: T}).
 *
 * @param kind any, server or tag
 * @param value the server id or the tag; null for any
 */
public record Placement(Kind kind, String value) {
  /** What a placement names. */
  public enum Kind {
    ANY,
    SERVER,
    TAG
  }

  /** Any server. */
  public static final Placement ANY = new Placement(Kind.ANY, null);

  public Placement {
    Objects.requireNonNull(kind, "kind");
    if (kind != Kind.ANY && (value == null || value.isBlank())) {
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
        "placement: expected 'any', 'server: NAME' or 'tag: T' (got '"
            + (text.length() > 40 ? text.substring(0, 40) + "..." : text)
            + "')");
  }

  /** Whether a server with this id and these tags may run the bot. */
  public boolean allows(String serverId, Set<String> tags) {
    return switch (kind) {
      case ANY -> true;
      case SERVER -> value.equals(serverId);
      case TAG -> tags.contains(value);
    };
  }

  @Override
  public String toString() {
    return kind == Kind.ANY ? "any" : kind.name().toLowerCase() + ": " + value;
  }
}
