package io.rehoboam.spi;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A bot's, source's or executor's settings: an immutable map from setting name to a value that is a
 * {@link String}, {@link Number}, {@link Boolean}, a {@link List} of such values or a nested {@link
 * Map}. Values from environment overrides arrive as strings; the typed getters convert them and
 * fail with an {@link ErrorCode#INVALID_CONFIG} error naming the setting when they cannot.
 */
public final class Settings {
  private static final Settings EMPTY = new Settings(Map.of());

  private final Map<String, Object> values;

  private Settings(Map<String, Object> values) {
    this.values = values;
  }

  public static Settings empty() {
    return EMPTY;
  }

  /** Copies {@code values}; null values are dropped, nested lists and maps become immutable. */
  public static Settings of(Map<String, ?> values) {
    Checks.notNull(values, "settings");
    Map<String, Object> copy = new LinkedHashMap<>();
    for (Map.Entry<String, ?> e : values.entrySet()) {
      Checks.notBlank(e.getKey(), "settings key");
      if (e.getValue() != null) {
        copy.put(e.getKey(), freeze(e.getValue()));
      }
    }
    return new Settings(Collections.unmodifiableMap(copy));
  }

  private static Object freeze(Object value) {
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      for (Object o : list) {
        out.add(o == null ? null : freeze(o));
      }
      return Collections.unmodifiableList(out);
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(String.valueOf(k), v == null ? null : freeze(v)));
      return Collections.unmodifiableMap(out);
    }
    return value;
  }

  /** All settings, in their declared order. */
  public Map<String, Object> asMap() {
    return values;
  }

  public Set<String> names() {
    return values.keySet();
  }

  public boolean has(String name) {
    return values.containsKey(name);
  }

  /** These settings with {@code overrides} laid over them (an override wins). */
  public Settings with(Map<String, ?> overrides) {
    Map<String, Object> merged = new LinkedHashMap<>(values);
    merged.putAll(overrides);
    return of(merged);
  }

  /** These settings without {@code name}. */
  public Settings without(String name) {
    if (!values.containsKey(name)) {
      return this;
    }
    Map<String, Object> copy = new LinkedHashMap<>(values);
    copy.remove(name);
    return of(copy);
  }

  public Optional<Object> raw(String name) {
    return Optional.ofNullable(values.get(name));
  }

  public Optional<String> string(String name) {
    Object v = values.get(name);
    if (v == null) {
      return Optional.empty();
    }
    if (v instanceof List<?> || v instanceof Map<?, ?>) {
      throw bad(name, v, "a single value");
    }
    return Optional.of(String.valueOf(v));
  }

  public String string(String name, String fallback) {
    return string(name).orElse(fallback);
  }

  public String requireString(String name) {
    return string(name)
        .orElseThrow(() -> new RehoboamException(ErrorCode.INVALID_CONFIG, name + ": is required"));
  }

  public long longValue(String name, long fallback) {
    Object v = values.get(name);
    if (v == null) {
      return fallback;
    }
    if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    }
    try {
      return new BigDecimal(v.toString().trim()).longValueExact();
    } catch (NumberFormatException | ArithmeticException e) {
      throw bad(name, v, "an integer");
    }
  }

  public int intValue(String name, int fallback) {
    long l = longValue(name, fallback);
    if (l < Integer.MIN_VALUE || l > Integer.MAX_VALUE) {
      throw bad(name, values.get(name), "an integer in int range");
    }
    return (int) l;
  }

  public BigDecimal decimal(String name, BigDecimal fallback) {
    Object v = values.get(name);
    if (v == null) {
      return fallback;
    }
    try {
      return new BigDecimal(v.toString().trim());
    } catch (NumberFormatException e) {
      throw bad(name, v, "a decimal number");
    }
  }

  public BigInteger bigInteger(String name, BigInteger fallback) {
    Object v = values.get(name);
    if (v == null) {
      return fallback;
    }
    try {
      BigDecimal d = new BigDecimal(v.toString().trim());
      if ((long) d.precision() - d.scale() > 78) {
        // Refused before toBigIntegerExact, which would build an integer of that many digits.
        throw bad(name, v, "an integer of at most 78 digits");
      }
      return d.toBigIntegerExact();
    } catch (NumberFormatException | ArithmeticException e) {
      throw bad(name, v, "an integer");
    }
  }

  public boolean bool(String name, boolean fallback) {
    Object v = values.get(name);
    if (v == null) {
      return fallback;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    String s = v.toString().trim().toLowerCase(java.util.Locale.ROOT);
    return switch (s) {
      case "true", "yes", "on", "1" -> true;
      case "false", "no", "off", "0" -> false;
      default -> throw bad(name, v, "true or false");
    };
  }

  /**
   * A duration: a number of seconds ({@code 5}, {@code 0.5}), a number with a unit ({@code 250ms},
   * {@code 10s}, {@code 2m}, {@code 1h}) or ISO-8601 ({@code PT10S}).
   */
  public Duration duration(String name, Duration fallback) {
    Object v = values.get(name);
    if (v == null) {
      return fallback;
    }
    Duration d = parseDuration(v.toString().trim());
    if (d == null || d.isNegative()) {
      throw bad(name, v, "a non-negative duration such as 10s, 250ms, 2m or PT10S");
    }
    return d;
  }

  /** Parses the duration grammar of {@link #duration}; null when {@code text} does not match it. */
  public static Duration parseDuration(String text) {
    try {
      if (text.startsWith("P") || text.startsWith("p")) {
        return Duration.parse(text);
      }
      String number = text;
      long nanosPerUnit = 1_000_000_000L;
      if (text.endsWith("ms")) {
        number = text.substring(0, text.length() - 2);
        nanosPerUnit = 1_000_000L;
      } else if (text.endsWith("s")) {
        number = text.substring(0, text.length() - 1);
      } else if (text.endsWith("m")) {
        number = text.substring(0, text.length() - 1);
        nanosPerUnit = 60_000_000_000L;
      } else if (text.endsWith("h")) {
        number = text.substring(0, text.length() - 1);
        nanosPerUnit = 3_600_000_000_000L;
      }
      BigDecimal nanos = new BigDecimal(number.trim()).multiply(BigDecimal.valueOf(nanosPerUnit));
      return Duration.ofNanos(nanos.longValueExact());
    } catch (RuntimeException e) {
      return null;
    }
  }

  /**
   * A list setting; a single scalar value is read as a one-element list, a comma list as its items.
   */
  public List<String> stringList(String name) {
    Object v = values.get(name);
    if (v == null) {
      return List.of();
    }
    if (v instanceof List<?> list) {
      List<String> out = new ArrayList<>(list.size());
      for (Object o : list) {
        if (o instanceof List<?> || o instanceof Map<?, ?>) {
          throw bad(name, v, "a list of single values");
        }
        out.add(String.valueOf(o));
      }
      return List.copyOf(out);
    }
    if (v instanceof Map<?, ?>) {
      throw bad(name, v, "a list");
    }
    String s = v.toString().trim();
    if (s.isEmpty()) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (String part : s.split(",")) {
      out.add(part.trim());
    }
    return List.copyOf(out);
  }

  /** A nested section as settings of its own. */
  public Settings section(String name) {
    Object v = values.get(name);
    if (v == null) {
      return empty();
    }
    if (v instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((k, val) -> out.put(String.valueOf(k), val));
      return of(out);
    }
    throw bad(name, v, "a section (a map of settings)");
  }

  private static RehoboamException bad(String name, Object value, String expected) {
    // Text values are not echoed: a setting may hold a secret, and error messages reach logs and
    // clients.
    String shown =
        value instanceof Number || value instanceof Boolean
            ? "'" + value + "'"
            : value instanceof String s
                ? "a text of " + s.length() + " characters"
                : "a " + kind(value);
    return new RehoboamException(
        ErrorCode.INVALID_CONFIG, name + ": expected " + expected + " but was " + shown);
  }

  private static String kind(Object value) {
    return value instanceof List<?> ? "list" : value instanceof Map<?, ?> ? "section" : "value";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Settings s && s.values.equals(values);
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }

  /** Lists the setting names only: values may be secrets and are never printed from here. */
  @Override
  public String toString() {
    return "Settings" + values.keySet();
  }
}
