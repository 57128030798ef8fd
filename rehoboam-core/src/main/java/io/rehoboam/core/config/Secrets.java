package io.rehoboam.core.config;

import io.rehoboam.spi.Checks;
import io.rehoboam.spi.SecretNames;
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
 * Keeps the values of sensitive settings out of logs, events, API output and the journal. A setting
 * is sensitive when its name, compared case-insensitively, is one of the names its provider
 * declares sensitive in its settings schema, or looks like a secret's ({@link
 * SecretNames#looksSecret}), at any depth: a nested map's keys are checked too, and everything
 * under a sensitive key is secret. The values of an environment map ({@link
 * SecretNames#holdsEnvironment}) are always masked when shown. Stateless and thread-safe.
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

  /**
   * A copy of settings without the sensitive ones (at any depth), for storage: what is written to
   * disk must never hold a secret. A text value naming an environment variable ({@code
   * private_key_env: SIGNER_KEY}) is kept: it is how the secret is found again.
   */
  public static Settings withoutSecrets(Settings settings, Set<String> sensitiveNames) {
    Checks.notNull(settings, "settings");
    Set<String> names = lowerCase(sensitiveNames);
    @SuppressWarnings("unchecked")
    Map<String, Object> kept = (Map<String, Object>) dropSecrets(settings.asMap(), names);
    return Settings.of(kept);
  }

  private static Object dropSecrets(Object value, Set<String> names) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach(
          (k, v) -> {
            String key = String.valueOf(k);
            if (!SecretNames.isSensitive(key, names) || SecretNames.isVariableReference(key, v)) {
              out.put(key, dropSecrets(v, names));
            }
          });
      return out;
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      for (Object o : list) {
        out.add(dropSecrets(o, names));
      }
      return out;
    }
    return value;
  }

  private static Map<String, Object> maskMap(Map<?, ?> map, Set<String> names) {
    Map<String, Object> out = new LinkedHashMap<>();
    map.forEach(
        (k, v) -> {
          String key = String.valueOf(k);
          boolean sensitive = SecretNames.isSensitive(key, names);
          if (sensitive && v != null) {
            out.put(key, MASK);
          } else if (SecretNames.holdsEnvironment(key) && v instanceof Map<?, ?> env) {
            Map<String, Object> masked = new LinkedHashMap<>();
            env.forEach((name, value) -> masked.put(String.valueOf(name), MASK));
            out.put(key, Collections.unmodifiableMap(masked));
          } else {
            out.put(key, maskValue(v, names));
          }
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
          (k, v) -> {
            String key = String.valueOf(k);
            boolean sensitive =
                SecretNames.isSensitive(key, names) && !SecretNames.isVariableReference(key, v);
            collect(v, names, secret || sensitive, out);
          });
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
