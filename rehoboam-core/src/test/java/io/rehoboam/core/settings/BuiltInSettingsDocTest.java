package io.rehoboam.core.settings;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.core.bots.LiveMonitorProvider;
import io.rehoboam.core.bots.RealExecutorProvider;
import io.rehoboam.core.sim.PaperTradeExecutorProvider;
import io.rehoboam.core.sim.SimMarketSourceProvider;
import io.rehoboam.spi.SettingsSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The README's tables of the built-in types' settings are the tables their settings schemas make
 * ({@link SettingsSchema#markdownTable()}): the docs come from the declarations the engine checks.
 * On a difference the expected section is written to {@code target/built-in-settings.md}.
 */
class BuiltInSettingsDocTest {
  static String section() {
    Map<String, SettingsSchema> schemas = new LinkedHashMap<>();
    schemas.put("Bot type `live_monitor`", new LiveMonitorProvider().settingsSchema());
    schemas.put("Bot type `real_executor`", new RealExecutorProvider().settingsSchema());
    schemas.put("Source type `sim`", new SimMarketSourceProvider().settingsSchema());
    schemas.put("Executor type `paper`", new PaperTradeExecutorProvider().settingsSchema());
    StringBuilder out = new StringBuilder();
    schemas.forEach(
        (title, schema) ->
            out.append("#### ")
                .append(title)
                .append("\n\n")
                .append(schema.markdownTable())
                .append('\n'));
    return out.toString();
  }

  @Test
  void theReadmeTablesAreTheSchemasTables() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    String expected = section();
    if (!readme.contains(expected)) {
      Files.writeString(Path.of("target", "built-in-settings.md"), expected);
    }
    assertTrue(
        readme.contains(expected),
        "README.md does not show the built-in types' settings as their schemas declare them;"
            + " the expected section is in rehoboam-core/target/built-in-settings.md");
  }
}
