package io.rehoboam.http;

import io.rehoboam.spi.RehoboamException;
import java.util.Arrays;
import java.util.Locale;

/**
 * What an API key may do. Scopes are independent: {@code control} does not imply {@code read}.
 *
 * <ul>
 *   <li>{@link #READ}: every GET under {@code /api/arbitrage}, {@code /metrics}, the WebSocket
 *       stream, and the details of {@code /health}.
 *   <li>{@link #CONTROL}: register, unregister, start and stop bots, switch monitoring (REST and
 *       WebSocket commands).
 *   <li>{@link #EXECUTE}: {@code POST /api/arbitrage/execute} and the WebSocket {@code execute}
 *       command.
 * </ul>
 */
public enum Scope {
  READ,
  CONTROL,
  EXECUTE;

  /** The lower-case name used in the configuration and in errors. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The scope with this lower-case name.
   *
   * @throws RehoboamException INVALID_ARGUMENT naming {@code field} for an unknown name
   */
  public static Scope parse(String name, String field) {
    for (Scope s : values()) {
      if (s.wireName().equals(name)) {
        return s;
      }
    }
    throw RehoboamException.invalid(
        field,
        "unknown scope '"
            + name
            + "' (known: "
            + String.join(", ", Arrays.stream(values()).map(Scope::wireName).toList())
            + ")");
  }
}
