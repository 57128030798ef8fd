package io.rehoboam.evm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rehoboam.spi.SettingSpec;
import io.rehoboam.spi.SettingsSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The module README explains every setting the evm source and executor schemas declare. */
class EvmReadmeSettingsTest {
  private static void names(List<SettingSpec> specs, List<String> out) {
    for (SettingSpec s : specs) {
      out.add(s.name());
      names(s.children(), out);
    }
  }

  @Test
  void everyDeclaredSettingIsInTheReadme() throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    List<String> names = new ArrayList<>();
    for (SettingsSchema schema :
        List.of(
            new EvmMarketSourceProvider().settingsSchema(),
            new EvmTradeExecutorProvider().settingsSchema())) {
      names(schema.settings(), names);
    }
    assertEquals(
        List.of(),
        names.stream().filter(n -> !readme.contains("`" + n + "`")).distinct().toList(),
        "settings the README does not mention");
  }
}
