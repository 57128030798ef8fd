package io.rehoboam.spi;

import java.math.BigDecimal;
import java.util.List;

/**
 * One declared setting of a provider: what {@link SettingsSchema} checks a value against, what the
 * engine masks, and what the API and docs show.
 *
 * @param name the snake_case name
 * @param type the value's type
 * @param defaultValue the default as shown to people, or null when there is none
 * @param unit the unit of a number or duration ({@code usd}, {@code gwei}, {@code bps}, ...), or
 *     null
 * @param description what the setting does, for people
 * @param sensitive whether the value is a secret: masked as {@code ***} in statuses, events, logs
 *     and API output, never journalled
 * @param min the least value of a number (or of a duration, in seconds), or null
 * @param max the greatest value of a number (or of a duration, in seconds), or null
 * @param allowed the values a {@link SettingType#STRING} may take (case-insensitive), empty for any
 * @param children the settings of each section of a {@link SettingType#SECTION} or {@link
 *     SettingType#SECTION_LIST} with fixed keys; empty when the provider reads the section itself
 */
public record SettingSpec(
    String name,
    SettingType type,
    String defaultValue,
    String unit,
    String description,
    boolean sensitive,
    BigDecimal min,
    BigDecimal max,
    List<String> allowed,
    List<SettingSpec> children) {

  public SettingSpec {
    Checks.notBlank(name, "name");
    Checks.check(name.matches("[a-z][a-z0-9_]*"), "name", "must be snake_case, was '" + name + "'");
    Checks.notNull(type, "type");
    Checks.notBlank(description, "description");
    allowed = allowed == null ? List.of() : List.copyOf(allowed);
    children = children == null ? List.of() : List.copyOf(children);
    Checks.check(
        min == null || max == null || min.compareTo(max) <= 0, name, "min must not exceed max");
    Checks.check(
        children.isEmpty() || type == SettingType.SECTION || type == SettingType.SECTION_LIST,
        name,
        "only sections have child settings");
  }

  /** A setting of {@code type} without default, unit, bounds or secrecy. */
  public static SettingSpec of(String name, SettingType type, String description) {
    return new SettingSpec(
        name, type, null, null, description, false, null, null, List.of(), List.of());
  }

  /** This spec with a default, as shown to people. */
  public SettingSpec defaultValue(Object value) {
    return new SettingSpec(
        name,
        type,
        value == null ? null : String.valueOf(value),
        unit,
        description,
        sensitive,
        min,
        max,
        allowed,
        children);
  }

  /** This spec with a unit. */
  public SettingSpec unit(String value) {
    return new SettingSpec(
        name, type, defaultValue, value, description, sensitive, min, max, allowed, children);
  }

  /** This spec marked as a secret. */
  public SettingSpec secret() {
    return new SettingSpec(
        name, type, defaultValue, unit, description, true, min, max, allowed, children);
  }

  /** This spec with a least value (inclusive). */
  public SettingSpec min(long value) {
    return min(BigDecimal.valueOf(value));
  }

  public SettingSpec min(BigDecimal value) {
    return new SettingSpec(
        name, type, defaultValue, unit, description, sensitive, value, max, allowed, children);
  }

  /** This spec with a greatest value (inclusive). */
  public SettingSpec max(long value) {
    return max(BigDecimal.valueOf(value));
  }

  public SettingSpec max(BigDecimal value) {
    return new SettingSpec(
        name, type, defaultValue, unit, description, sensitive, min, value, allowed, children);
  }

  /** This spec limited to {@code values} (case-insensitive). */
  public SettingSpec allowed(String... values) {
    return new SettingSpec(
        name,
        type,
        defaultValue,
        unit,
        description,
        sensitive,
        min,
        max,
        List.of(values),
        children);
  }

  /** This spec with the settings of each of its sections. */
  public SettingSpec children(SettingSpec... specs) {
    return new SettingSpec(
        name, type, defaultValue, unit, description, sensitive, min, max, allowed, List.of(specs));
  }
}
