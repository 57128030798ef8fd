package io.rehoboam.core.config.internal;

import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The grammar of environment overrides, {@code ARB_<BOT_ID>__<SETTING>}, shared by {@link
 * io.rehoboam.core.config.EnvOverrides} and the loader. Stateless and thread-safe.
 */
public final class EnvScan {
  public static final String PREFIX = "ARB_";
  public static final String SEPARATOR = "__";

  /** One variable that overrides one setting of one bot. */
  public record Override(String variable, String setting, String value) {}

  private EnvScan() {}

  /** The variable part that stands for {@code botId}: upper-cased, '-' and '.' as '_'. */
  public static String botPart(String botId) {
    return botId.toUpperCase(Locale.ROOT).replace('-', '_').replace('.', '_');
  }

  /** The well-formed variables of {@code env} that override settings of {@code botId}, by name. */
  public static List<Override> find(String botId, Map<String, String> env) {
    String prefix = PREFIX + botPart(botId) + SEPARATOR;
    List<Override> out = new ArrayList<>();
    for (Map.Entry<String, String> e : sorted(env).entrySet()) {
      String variable = e.getKey();
      String setting = wellFormed(variable) ? settingAfter(variable, prefix) : null;
      if (setting != null && e.getValue() != null) {
        out.add(new Override(variable, setting.toLowerCase(Locale.ROOT), e.getValue()));
      }
    }
    return List.copyOf(out);
  }

  /**
   * Throws {@link ErrorCode#INVALID_CONFIG} naming the first (by name) {@code ARB_} variable that
   * is malformed, matches no bot of {@code knownBotIds} or matches more than one of them.
   */
  public static void validate(Map<String, String> env, Collection<String> knownBotIds) {
    for (String variable : sorted(env).keySet()) {
      if (!variable.startsWith(PREFIX)) {
        continue;
      }
      if (!wellFormed(variable)) {
        throw new RehoboamException(
            ErrorCode.INVALID_CONFIG,
            "environment variable "
                + variable
                + ": malformed override name, expected ARB_<BOT_ID>__<SETTING> in upper case"
                + " (for example ARB_LIVE_MONITOR__MIN_PROFIT)");
      }
      List<String> matching = new ArrayList<>();
      for (String id : knownBotIds) {
        if (settingAfter(variable, PREFIX + botPart(id) + SEPARATOR) != null) {
          matching.add(id);
        }
      }
      String rest = variable.substring(PREFIX.length());
      if (matching.isEmpty()) {
        throw new RehoboamException(
            ErrorCode.INVALID_CONFIG,
            "environment variable "
                + variable
                + ": no configured bot matches '"
                + rest.substring(0, rest.indexOf(SEPARATOR))
                + "' (bot ids: "
                + (knownBotIds.isEmpty()
                    ? "none"
                    : knownBotIds.stream().sorted().collect(Collectors.joining(", ")))
                + ")");
      }
      if (matching.size() > 1) {
        matching.sort(null);
        throw new RehoboamException(
            ErrorCode.INVALID_CONFIG,
            "environment variable "
                + variable
                + ": ambiguous, it matches the bots "
                + String.join(", ", matching));
      }
    }
  }

  /**
   * ARB_, then a bot part and a setting part separated by "__", in upper case; the setting part has
   * at least one letter or digit.
   */
  private static boolean wellFormed(String variable) {
    if (!variable.startsWith(PREFIX) || !variable.equals(variable.toUpperCase(Locale.ROOT))) {
      return false;
    }
    String rest = variable.substring(PREFIX.length());
    int sep = rest.indexOf(SEPARATOR);
    return sep > 0 && hasLetterOrDigit(rest.substring(sep + SEPARATOR.length()));
  }

  /** The setting part of {@code variable} if it starts with {@code prefix}, else null. */
  private static String settingAfter(String variable, String prefix) {
    if (!variable.startsWith(prefix)) {
      return null;
    }
    String setting = variable.substring(prefix.length());
    return hasLetterOrDigit(setting) ? setting : null;
  }

  private static boolean hasLetterOrDigit(String s) {
    return s.chars().anyMatch(Character::isLetterOrDigit);
  }

  /** In name order (an environment map has none), without null keys. */
  private static Map<String, String> sorted(Map<String, String> env) {
    Map<String, String> out = new TreeMap<>();
    env.forEach(
        (k, v) -> {
          if (k != null) {
            out.put(k, v);
          }
        });
    return out;
  }
}
