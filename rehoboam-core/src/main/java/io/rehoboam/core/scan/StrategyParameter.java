package io.rehoboam.core.scan;

import io.rehoboam.spi.Checks;

/**
 * One tunable parameter of a strategy, as listed by {@link ScanEngine#strategies()}.
 *
 * @param name the parameter's snake_case name (the {@link ScanConfig} field)
 * @param type {@code integer}, {@code decimal}, {@code string}, {@code string_list} or {@code
 *     duration}
 * @param defaultValue the default, as text; null when there is none
 * @param description what it does, for people
 */
public record StrategyParameter(String name, String type, String defaultValue, String description) {
  public StrategyParameter {
    Checks.notBlank(name, "name");
    Checks.notBlank(type, "type");
    Checks.notBlank(description, "description");
  }
}
