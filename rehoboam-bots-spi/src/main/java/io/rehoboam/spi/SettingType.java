package io.rehoboam.spi;

import java.util.Locale;

/** The type of one declared setting ({@link SettingSpec}); its wire name is the lower-case name. */
public enum SettingType {
  /** A single text value. */
  STRING,
  /** A whole number (any size up to 78 digits unless the spec bounds it). */
  INTEGER,
  /** A finite decimal number of at most 40 integer digits and 40 decimal places. */
  DECIMAL,
  /** {@code true} or {@code false} (also yes/no, on/off, 1/0 as text). */
  BOOLEAN,
  /** A non-negative duration such as {@code 10s}, {@code 250ms}, {@code 2m} or {@code PT10S}. */
  DURATION,
  /** A list of single values (a comma-separated text counts as its items). */
  LIST,
  /** A nested section (a map of settings). */
  SECTION,
  /** A list of sections. */
  SECTION_LIST,
  /** A list (of values or of sections) or a section; the provider's check reads it further. */
  LIST_OR_SECTION;

  /** The name shown in the API and docs, for example {@code decimal}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
