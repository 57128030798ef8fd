package io.rehoboam.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * The INFO column of {@code status}: a bot's health message made short enough for one table row.
 * Each {@code ;}-separated part stays, with a {@code {...}} detail (the layer-2 bot's per-chain
 * inventory) shown as {@code {…}}; a message still longer than {@value #MAX} characters is cut with
 * {@code …}. The full message stays in {@code status --json} and the bot's own commands.
 */
final class StatusInfo {
  static final int MAX = 240;

  private StatusInfo() {}

  /** Whether {@link #shorten} would change {@code message}. */
  static boolean shortens(String message) {
    return message != null && !message.equals(shorten(message));
  }

  static String shorten(String message) {
    if (message == null) {
      return null;
    }
    List<String> parts = new ArrayList<>();
    for (String part : message.split("; ")) {
      parts.add(collapseBraces(part));
    }
    String s = String.join("; ", parts);
    return s.length() <= MAX ? s : s.substring(0, MAX - 1) + "…";
  }

  /** {@code inventory {1={WETH=1}, 10={...}}} becomes {@code inventory {…}}. */
  private static String collapseBraces(String part) {
    StringBuilder out = new StringBuilder();
    int depth = 0;
    for (int i = 0; i < part.length(); i++) {
      char c = part.charAt(i);
      if (c == '{') {
        if (depth == 0) {
          out.append("{…");
        }
        depth++;
      } else if (c == '}' && depth > 0) {
        depth--;
        if (depth == 0) {
          out.append('}');
        }
      } else if (depth == 0) {
        out.append(c);
      }
    }
    if (depth > 0) {
      out.append('}');
    }
    return out.toString();
  }
}
