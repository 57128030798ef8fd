package io.rehoboam.spi;

/**
 * What a provider is asked to build: the bot's id (unique in a service), its type id, its display
 * name and its settings (already merged with environment and per-run overrides).
 */
public record BotSpec(String id, String type, String name, Settings settings) {
  public BotSpec {
    Checks.notBlank(id, "bot id");
    Checks.check(
        id.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}"),
        "bot id",
        "must be 1-64 letters, digits, '_', '.' or '-' and start with a letter or digit");
    Checks.notBlank(type, "type");
    name = name == null || name.isBlank() ? id : name;
    settings = settings == null ? Settings.empty() : settings;
  }
}
