package io.rehoboam.core.scan;

import io.rehoboam.spi.Checks;
import io.rehoboam.spi.SettingSpec;

/**
 * One tunable parameter of a strategy, as listed by {@link ScanEngine#strategies()}: a setting of
 * the scanning bot, taken from its settings schema ({@link StrategySettings}).
 *
 * @param name the setting's snake_case name
 * @param type {@code integer}, {@code decimal}, {@code string}, {@code list} or {@code duration}
 * @param defaultValue the default, as text; null when there is none
 * @param unit the unit of a number ({@code usd}, {@code gwei}, {@code gas}, ...), or null
 * @param description what it does, for people
 */
public record StrategyParameter(
    String name, String type, String defaultValue, String unit, String description) {
  public StrategyParameter {
    Checks.notBlank(name, "name");
    Checks.notBlank(type, "type");
    Checks.notBlank(description, "description");
  }

  /** The parameter a declared setting shows. */
  public static StrategyParameter of(SettingSpec spec) {
    return new StrategyParameter(
        spec.name(), spec.type().wireName(), spec.defaultValue(), spec.unit(), spec.description());
  }
}
