package io.rehoboam.core.log;

/**
 * Makes text from outside (a client's ids and fields, a bot's messages) safe to put in a log line:
 * control characters, and the Unicode line and paragraph separators, are written as escapes ({@code
 * \n}, {@code \r}, {@code \t}, {@code \\u0085}), so no value can end a log line early and forge the
 * next one. A backslash is doubled, so an escape in the log always means an escaped character.
 *
 * <p>Use it on every log argument whose text a client or a bot chose; the server's own constants
 * need no escaping.
 */
public final class LogText {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private LogText() {}

  /** {@code value}'s text, escaped; {@code "null"} for null. */
  public static String escape(Object value) {
    String text = String.valueOf(value);
    int i = 0;
    int n = text.length();
    while (i < n && !needsEscape(text.charAt(i))) {
      i++;
    }
    if (i == n) {
      return text;
    }
    StringBuilder out = new StringBuilder(n + 16).append(text, 0, i);
    for (; i < n; i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\\' -> out.append("\\\\");
        default -> {
          if (needsEscape(c)) {
            out.append("\\u")
                .append(HEX[(c >> 12) & 0xF])
                .append(HEX[(c >> 8) & 0xF])
                .append(HEX[(c >> 4) & 0xF])
                .append(HEX[c & 0xF]);
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }

  /**
   * A failure to log with its stack trace: the same class name, stack trace and causes, with every
   * message escaped. Logging frameworks print a throwable's message as it is, so a message that
   * quotes a client's text would otherwise reach the log raw.
   */
  public static Throwable failure(Throwable failure) {
    return failure == null ? null : escape(failure, 0);
  }

  private static Throwable escape(Throwable failure, int depth) {
    String message = failure.getMessage();
    Throwable cause = failure.getCause();
    if (safe(message) && (cause == null || cause == failure || depth > 16 || safe(cause, depth))) {
      return failure;
    }
    Escaped copy =
        new Escaped(
            failure.getClass().getName(),
            message == null ? null : escape(message),
            cause == null || cause == failure || depth > 16 ? null : escape(cause, depth + 1));
    copy.setStackTrace(failure.getStackTrace());
    for (Throwable suppressed : failure.getSuppressed()) {
      copy.addSuppressed(escape(suppressed, depth + 1));
    }
    return copy;
  }

  private static boolean safe(Throwable failure, int depth) {
    return escape(failure, depth) == failure;
  }

  private static boolean safe(String text) {
    if (text == null) {
      return true;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c != '\\' && needsEscape(c)) {
        return false;
      }
    }
    return true;
  }

  private static boolean needsEscape(char c) {
    return c < 0x20 || c == '\\' || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029';
  }

  /** A stand-in for a failure whose message had to be escaped; prints as the original would. */
  private static final class Escaped extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String className;

    Escaped(String className, String message, Throwable cause) {
      super(message, cause, true, true);
      this.className = className;
    }

    @Override
    public String toString() {
      String message = getLocalizedMessage();
      return message == null ? className : className + ": " + message;
    }
  }
}
