package io.rehoboam.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rehoboam.bot.layer2.Layer2BotProvider;
import io.rehoboam.bot.process.ProcessBotProvider;
import io.rehoboam.spi.SettingSpec;
import io.rehoboam.spi.SettingsSchema;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The module READMEs of the {@code process} and {@code layer2} types explain every setting their
 * schemas declare, nested ones included: a setting added to a schema without a word in the docs
 * fails here. ({@code EvmReadmeSettingsTest} checks the evm module's.)
 */
class ModuleReadmeSettingsTest {
  private static void names(List<SettingSpec> specs, List<String> out) {
    for (SettingSpec s : specs) {
      out.add(s.name());
      names(s.children(), out);
    }
  }

  private static List<String> undocumented(String module, SettingsSchema... schemas)
      throws Exception {
    String readme =
        Files.readString(ModuleBoundariesTest.root().resolve(module).resolve("README.md"));
    List<String> names = new ArrayList<>();
    for (SettingsSchema schema : schemas) {
      names(schema.settings(), names);
    }
    return names.stream().filter(n -> !readme.contains("`" + n + "`")).distinct().toList();
  }

  @Test
  void everyDeclaredSettingIsInItsModulesReadme() throws Exception {
    assertEquals(
        List.of(),
        undocumented("rehoboam-bot-process", new ProcessBotProvider().settingsSchema()),
        "process");
    assertEquals(
        List.of(),
        undocumented("rehoboam-bot-layer2", new Layer2BotProvider().settingsSchema()),
        "layer2");
  }
}
