package io.rehoboam.spi;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The settings a provider declares: every name it reads, with type, default, unit, description,
 * bounds and secrecy. The engine checks every bot, source and executor against its provider's
 * schema before anything starts ({@link #validate}); an unknown name, a value of the wrong type or
 * out of range is an {@link ErrorCode#INVALID_CONFIG} error naming the field. The same schema tells
 * the engine which values to mask and feeds the API's and docs' lists of settings. Immutable and
 * thread-safe.
 */
public final class SettingsSchema {
  /** Checks a provider makes beyond the schema (rules across settings, nested grammar). */
  @FunctionalInterface
  public interface Check {
    /**
     * Throws {@link RehoboamException} (INVALID_CONFIG or INVALID_ARGUMENT) naming the field when
     * {@code settings} are wrong.
     *
     * @param env the service's environment (the one channel plugins read it from)
     */
    void check(Settings settings, Map<String, String> env);
  }

  private static final int MAX_DECIMAL_DIGITS = 40;
  private static final int MAX_INTEGER_DIGITS = 78;
  private static final SettingsSchema EMPTY = new SettingsSchema(List.of(), null);

  private final Map<String, SettingSpec> specs;
  private final Check check;

  private SettingsSchema(List<SettingSpec> specs, Check check) {
    Map<String, SettingSpec> byName = new LinkedHashMap<>();
    for (SettingSpec s : specs) {
      Checks.notNull(s, "setting");
      if (byName.putIfAbsent(s.name(), s) != null) {
        throw RehoboamException.invalid("settings", "'" + s.name() + "' is declared twice");
      }
    }
    this.specs = Collections.unmodifiableMap(byName);
    this.check = check;
  }

  /** A schema that accepts no setting at all. */
  public static SettingsSchema none() {
    return EMPTY;
  }

  /** A schema of these settings, in this order. */
  public static SettingsSchema of(SettingSpec... specs) {
    return new SettingsSchema(List.of(specs), null);
  }

  public static SettingsSchema of(List<SettingSpec> specs) {
    return new SettingsSchema(List.copyOf(specs), null);
  }

  /** This schema with the provider's own check run after the schema's (replaces an earlier one). */
  public SettingsSchema withCheck(Check providerCheck) {
    return new SettingsSchema(List.copyOf(specs.values()), Checks.notNull(providerCheck, "check"));
  }

  /** This schema with {@code more} settings added after its own. */
  public SettingsSchema plus(SettingSpec... more) {
    List<SettingSpec> all = new ArrayList<>(specs.values());
    all.addAll(List.of(more));
    return new SettingsSchema(all, check);
  }

  /** The declared settings, in declared order. */
  public List<SettingSpec> settings() {
    return List.copyOf(specs.values());
  }

  public Optional<SettingSpec> setting(String name) {
    return Optional.ofNullable(specs.get(name));
  }

  /** The names of every sensitive setting, nested ones included. */
  public Set<String> sensitiveNames() {
    Set<String> out = new LinkedHashSet<>();
    collectSensitive(specs.values(), out);
    return Collections.unmodifiableSet(out);
  }

  private static void collectSensitive(Iterable<SettingSpec> specs, Set<String> out) {
    for (SettingSpec s : specs) {
      if (s.sensitive()) {
        out.add(s.name());
      }
      collectSensitive(s.children(), out);
    }
  }

  /**
   * Checks {@code settings} against the schema, then runs the provider's check.
   *
   * @throws RehoboamException INVALID_CONFIG whose message starts with the field's path (for
   *     example {@code chains[1].gas_price_gwei: ...}); values of text settings are never quoted
   */
  public void validate(Settings settings, Map<String, String> env) {
    Checks.notNull(settings, "settings");
    Checks.notNull(env, "env");
    validate(specs, settings, "");
    if (check != null) {
      try {
        check.check(settings, env);
      } catch (RehoboamException e) {
        throw e.code() == ErrorCode.INVALID_CONFIG
            ? e
            : new RehoboamException(ErrorCode.INVALID_CONFIG, e.getMessage(), e);
      }
    }
  }

  private static void validate(Map<String, SettingSpec> specs, Settings settings, String prefix) {
    for (String name : settings.names()) {
      SettingSpec spec = specs.get(name);
      if (spec == null) {
        throw bad(
            prefix + name,
            "unknown setting (known: "
                + (specs.isEmpty() ? "none" : String.join(", ", specs.keySet()))
                + ")");
      }
      try {
        value(spec, settings);
      } catch (RehoboamException e) {
        if (e.getMessage().startsWith(name)) {
          throw new RehoboamException(ErrorCode.INVALID_CONFIG, prefix + e.getMessage(), e);
        }
        throw bad(prefix + name, e.getMessage());
      }
    }
  }

  private static void value(SettingSpec spec, Settings settings) {
    String name = spec.name();
    Object raw = settings.raw(name).orElseThrow();
    switch (spec.type()) {
      case STRING -> {
        String s = settings.string(name).orElseThrow();
        if (!spec.allowed().isEmpty()
            && spec.allowed().stream().noneMatch(a -> a.equalsIgnoreCase(s.trim()))) {
          throw bad(name, "expected one of " + String.join(", ", spec.allowed()));
        }
      }
      case INTEGER -> range(spec, number(name, raw, true));
      case DECIMAL -> range(spec, number(name, raw, false));
      case BOOLEAN -> settings.bool(name, false);
      case DURATION -> {
        Duration d = settings.duration(name, Duration.ZERO);
        range(spec, new BigDecimal(d.getSeconds()).add(BigDecimal.valueOf(d.getNano(), 9)));
      }
      case LIST -> settings.stringList(name);
      case SECTION -> {
        if (!(raw instanceof Map<?, ?>)) {
          throw bad(name, "expected a section (a map of settings)");
        }
        if (!spec.children().isEmpty()) {
          validate(byName(spec.children()), settings.section(name), name + ".");
        }
      }
      case SECTION_LIST -> {
        if (!(raw instanceof List<?> list)) {
          throw bad(name, "expected a list of sections");
        }
        for (int i = 0; i < list.size(); i++) {
          if (!(list.get(i) instanceof Map<?, ?> map)) {
            throw bad(name + "[" + i + "]", "expected a section (a map of settings)");
          }
          if (!spec.children().isEmpty()) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(String.valueOf(k), v));
            validate(byName(spec.children()), Settings.of(copy), name + "[" + i + "].");
          }
        }
      }
      case LIST_OR_SECTION -> {
        if (!(raw instanceof Map<?, ?>) && !(raw instanceof List<?>)) {
          settings.stringList(name);
        }
      }
    }
  }

  private static Map<String, SettingSpec> byName(List<SettingSpec> children) {
    Map<String, SettingSpec> out = new LinkedHashMap<>();
    children.forEach(c -> out.put(c.name(), c));
    return out;
  }

  /**
   * The value as an exact decimal, refusing non-finite numbers, texts that are not numbers and
   * magnitudes no setting needs (before anything converts them into a huge integer).
   */
  private static BigDecimal number(String name, Object raw, boolean integer) {
    String expected = integer ? "an integer" : "a decimal number";
    BigDecimal v;
    if (raw instanceof Integer
        || raw instanceof Long
        || raw instanceof Short
        || raw instanceof Byte) {
      v = BigDecimal.valueOf(((Number) raw).longValue());
    } else if (raw instanceof BigInteger b) {
      v = new BigDecimal(b);
    } else if (raw instanceof BigDecimal b) {
      v = b;
    } else if (raw instanceof Double || raw instanceof Float) {
      double d = ((Number) raw).doubleValue();
      if (!Double.isFinite(d)) {
        throw bad(name, "expected " + expected + " but was a number out of range");
      }
      v = new BigDecimal(Double.toString(d));
    } else if (raw instanceof String s) {
      try {
        v = new BigDecimal(s.trim());
      } catch (NumberFormatException e) {
        throw bad(
            name, "expected " + expected + " but was a text of " + s.length() + " characters");
      }
    } else {
      throw bad(
          name,
          "expected "
              + expected
              + " but was a "
              + (raw instanceof Boolean
                  ? "boolean"
                  : raw instanceof List<?>
                      ? "list"
                      : raw instanceof Map<?, ?> ? "section" : "value"));
    }
    if (v.signum() == 0) {
      return BigDecimal.ZERO;
    }
    long integerDigits = (long) v.precision() - v.scale();
    int maxDigits = integer ? MAX_INTEGER_DIGITS : MAX_DECIMAL_DIGITS;
    if (integerDigits > maxDigits) {
      throw bad(name, "is out of range: more than " + maxDigits + " digits");
    }
    BigDecimal stripped = v.stripTrailingZeros();
    if (integer && stripped.scale() > 0) {
      throw bad(name, "expected an integer but was " + shown(v));
    }
    if (!integer && stripped.scale() > MAX_DECIMAL_DIGITS) {
      throw bad(name, "is out of range: more than " + MAX_DECIMAL_DIGITS + " decimal places");
    }
    return v;
  }

  private static String shown(BigDecimal v) {
    String s = v.toString();
    return s.length() <= 40 ? "'" + s + "'" : "a number of " + s.length() + " characters";
  }

  private static void range(SettingSpec spec, BigDecimal v) {
    String unit = spec.unit() == null ? "" : " " + spec.unit();
    if (spec.min() != null && v.compareTo(spec.min()) < 0) {
      throw bad(spec.name(), rangeText(spec, unit) + ", was " + shown(v));
    }
    if (spec.max() != null && v.compareTo(spec.max()) > 0) {
      throw bad(spec.name(), rangeText(spec, unit) + ", was " + shown(v));
    }
  }

  private static String rangeText(SettingSpec spec, String unit) {
    if (spec.min() != null && spec.max() != null) {
      return "must be " + spec.min().toPlainString() + ".." + spec.max().toPlainString() + unit;
    }
    if (spec.min() != null) {
      return "must be at least " + spec.min().toPlainString() + unit;
    }
    return "must be at most " + spec.max().toPlainString() + unit;
  }

  private static RehoboamException bad(String field, String problem) {
    return new RehoboamException(ErrorCode.INVALID_CONFIG, field + ": " + problem);
  }

  /**
   * The settings as a Markdown table (setting, type, default, unit, range, description), nested
   * settings as {@code section.name} or {@code list[].name} rows: what a provider's docs show, made
   * from the same declarations the engine checks.
   */
  public String markdownTable() {
    StringBuilder out = new StringBuilder();
    out.append("| Setting | Type | Default | Unit | Range | Description |\n");
    out.append("|---|---|---|---|---|---|\n");
    rows(specs.values(), "", out);
    return out.toString();
  }

  private static void rows(Iterable<SettingSpec> specs, String prefix, StringBuilder out) {
    for (SettingSpec s : specs) {
      String range =
          !s.allowed().isEmpty()
              ? String.join(", ", s.allowed())
              : bound(s.min()).isEmpty() && bound(s.max()).isEmpty()
                  ? ""
                  : bound(s.min()) + ".." + bound(s.max());
      out.append("| `")
          .append(prefix)
          .append(s.name())
          .append("` | ")
          .append(s.type().wireName())
          .append(" | ")
          .append(s.defaultValue() == null ? "" : "`" + cell(s.defaultValue()) + "`")
          .append(" | ")
          .append(s.unit() == null ? "" : cell(s.unit()))
          .append(" | ")
          .append(cell(range))
          .append(" | ")
          .append(cell(s.description()))
          .append(s.sensitive() ? " (secret: masked, never journalled)" : "")
          .append(" |\n");
      String childPrefix = prefix + s.name() + (s.type() == SettingType.SECTION_LIST ? "[]." : ".");
      rows(s.children(), childPrefix, out);
    }
  }

  /** A bound as shown; none for a bound that only says "any int/long". */
  private static String bound(BigDecimal b) {
    return b == null || b.abs().compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) >= 0
        ? ""
        : b.toPlainString();
  }

  private static String cell(String text) {
    return text.replace("|", "\\|").replace("\n", " ");
  }

  /** Lists the setting names with their types. */
  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    specs
        .values()
        .forEach(s -> parts.add(s.name() + ":" + s.type().name().toLowerCase(Locale.ROOT)));
    return "SettingsSchema" + parts;
  }
}
