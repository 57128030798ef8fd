package io.rehoboam.core.config.internal;

import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces environment references in every string value of a configuration document, as shells
 * and Docker Compose write them:
 *
 * <ul>
 *   <li>{@code ${NAME}}: the variable's value; an error naming the variable (never a value) when it
 *       is not set;
 *   <li>{@code ${NAME:-default}}: the value, or {@code default} when the variable is unset or
 *       empty;
 *   <li>{@code $${}: a literal {@code ${}.
 * </ul>
 *
 * <p>Keys are never replaced, a replaced value is not read again (a value holding {@code ${X}}
 * stays as it is), and a replaced value is always text: a variable cannot smuggle structure into
 * the document, and {@code 0123} stays {@code 0123}. Settings read numbers, booleans and durations
 * from text as well ({@code port: ${PORT:-8000}} works). Stateless.
 */
public final class EnvInterpolation {
  private static final Pattern REFERENCE = Pattern.compile("\\$\\$\\{|\\$\\{([^}]*)}");
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private EnvInterpolation() {}

  /**
   * The document with every reference replaced from {@code env}; {@code source} prefixes errors
   * (INVALID_CONFIG, naming the place and the variable).
   */
  public static Object apply(Object document, Map<String, String> env, String source) {
    return value(document, env, source, "");
  }

  private static Object value(Object value, Map<String, String> env, String source, String path) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach(
          (k, v) -> {
            String key = String.valueOf(k);
            out.put(key, value(v, env, source, path.isEmpty() ? key : path + "." + key));
          });
      return out;
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      for (int i = 0; i < list.size(); i++) {
        out.add(value(list.get(i), env, source, path + "[" + i + "]"));
      }
      return out;
    }
    if (value instanceof String text && text.indexOf('$') >= 0) {
      return text(text, env, source, path);
    }
    return value;
  }

  private static Object text(String text, Map<String, String> env, String source, String path) {
    Matcher m = REFERENCE.matcher(text);
    StringBuilder out = new StringBuilder(text.length());
    while (m.find()) {
      if (m.group(1) == null) {
        m.appendReplacement(out, Matcher.quoteReplacement("${"));
        continue;
      }
      m.appendReplacement(out, Matcher.quoteReplacement(resolve(m.group(1), env, source, path)));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static String resolve(
      String reference, Map<String, String> env, String source, String path) {
    int dash = reference.indexOf(":-");
    String name = dash < 0 ? reference : reference.substring(0, dash);
    if (!NAME.matcher(name).matches()) {
      throw new RehoboamException(
          ErrorCode.INVALID_CONFIG,
          source
              + ": "
              + path
              + ": a '${...}' that is not an environment reference (write ${NAME} or"
              + " ${NAME:-default} with a name of letters, digits and _, or $${ for a literal ${)");
    }
    String found = env.get(name);
    if (dash >= 0) {
      return found == null || found.isEmpty() ? reference.substring(dash + 2) : found;
    }
    if (found == null) {
      throw new RehoboamException(
          ErrorCode.INVALID_CONFIG,
          source
              + ": "
              + path
              + ": environment variable "
              + name
              + " is not set (set it, or write ${"
              + name
              + ":-default} for a default)");
    }
    return found;
  }
}
