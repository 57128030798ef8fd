package io.rehoboam.notify;

import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import java.util.Locale;

/** How urgent a notification is, lowest first; a sink's {@code min_severity} drops lower ones. */
public enum Severity {
  INFO,
  WARNING,
  CRITICAL;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * @throws RehoboamException INVALID_CONFIG naming {@code field} for an unknown name
   */
  public static Severity parse(String name, String field) {
    for (Severity s : values()) {
      if (s.wireName().equals(name)) {
        return s;
      }
    }
    throw new RehoboamException(
        ErrorCode.INVALID_CONFIG,
        field + ": unknown severity '" + name + "' (known: info, warning, critical)");
  }
}
