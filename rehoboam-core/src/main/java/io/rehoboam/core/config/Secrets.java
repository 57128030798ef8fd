package io.rehoboam.core.config;

import io.rehoboam.spi.Checks;
import io.rehoboam.spi.Settings;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Keeps the values of sensitive settings (those a provider lists in {@code sensitiveSettings()})
 * out of logs, events and API output. A setting is sensitive when its name, compared
 * case-insensitively, is one of the sensitive names, at any depth: a nested map's keys are checked
 * too, and everything under a sensitive key is secret. Stateless and thread-safe.
 */
public final class Secrets {
  /** What a secret value is shown as. */
  public static final String MASK = "***";

  /** Shorter values are not redacted from free text: they would mangle ordinary words. */
  public static final int MIN_SECRET_LENGTH = 4;

  private Secrets() {}

  /**
   * A copy of settings as a plain map with every sensitive setting's value replaced by "***" (names
   * compared case-insensitively; nested maps masked by their own key names too). The copy is
   * unmodifiable and keeps the declared order; a sensitive setting without a value stays null.
   */
  public static Map<String, Object> mask(Settings settings, Set<String> sensitiveNames) {
    Checks.notNull(settings, "settings");
    Set<String> names = lowerCase(sensitiveNames);
    return maskMap(settings.asMap(), names);
  }

  /**
   * The string values of the sensitive settings (for redaction), ignoring values shorter than 4
   * chars. Numbers and booleans count by their text; a sensitive list or map contributes every
   * value inside it.
   */
  public static Set<String> secretValues(Settings settings, Set<String> sensitiveNames) {
    Checks.notNull(settings, "settings");
    Set<String> names = lowerCase(sensitiveNames);
    Set<String> out = new LinkedHashSet<>();
    collect(settings.asMap(), names, false, out);
    return Collections.unmodifiableSet(out);
  }

  /**
   * text with every occurrence of any secret value replaced by "***"; null stays null. A longer
   * secret is replaced before a shorter one it contains; null and empty secrets are skipped.
   */
  public static String redact(String text, Collection<String> secretValues) {
    Checks.notNull(secretValues, "secretValues");
    if (text == null) {
      return null;
    }
    List<String> secrets =
        secretValues.stream()
            .filter(s -> s != null && !s.isEmpty())
            .distinct()
            .sorted(Comparator.comparingInt(String::length).reversed())
            .toList();
    if (secrets.isEmpty()) {
      return text;
    }
    // One pass, so a "***" just written is never matched again.
    Pattern any =
        Pattern.compile(secrets.stream().map(Pattern::quote).collect(Collectors.joining("|")));
    return any.matcher(text).replaceAll(Matcher.quoteReplacement(MASK));
  }

  private static Set<String> lowerCase(Set<String> sensitiveNames) {
    Checks.notNull(sensitiveNames, "sensitiveNames");
    Set<String> out = new LinkedHashSet<>();
    for (String n : sensitiveNames) {
      if (n != null) {
        out.add(n.toLowerCase(Locale.ROOT));
      }
    }
    return out;
  }

  private static Map<String, Object> maskMap(Map<?, ?> map, Set<String> names) {
    Map<String, Object> out = new LinkedHashMap<>();
    map.forEach(
        (k, v) -> {
          String key = String.valueOf(k);
          boolean sensitive = names.contains(key.toLowerCase(Locale.ROOT));
          out.put(key, sensitive && v != null ? MASK : maskValue(v, names));
        });
    return Collections.unmodifiableMap(out);
  }

  private static Object maskValue(Object value, Set<String> names) {
    if (value instanceof Map<?, ?> map) {
      return maskMap(map, names);
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      for (Object o : list) {
        out.add(maskValue(o, names));
      }
      return Collections.unmodifiableList(out);
    }
    return value;
  }

  private static void collect(Object value, Set<String> names, boolean secret, Set<String> out) {
    if (value instanceof Map<?, ?> map) {
      map.forEach(
          (k, v) ->
              collect(
                  v,
                  names,
                  secret || names.contains(String.valueOf(k).toLowerCase(Locale.ROOT)),
                  out));
    } else if (value instanceof List<?> list) {
      list.forEach(o -> collect(o, names, secret, out));
    } else if (secret && value != null) {
      String text = value.toString();
      if (text.length() >= MIN_SECRET_LENGTH) {
        out.add(text);
      }
    }
  }
}
