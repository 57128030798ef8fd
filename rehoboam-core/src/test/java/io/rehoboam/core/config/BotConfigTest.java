package io.rehoboam.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.rehoboam.core.RestartPolicy;
import io.rehoboam.spi.BotSpec;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.Settings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BotConfigTest {
  @Test
  void defaultsAndSpec() {
    BotConfig b = new BotConfig("b1", "t", " ", false, null, null);
    assertEquals("b1", b.name());
    assertEquals(RestartPolicy.DEFAULT, b.restart());
    assertEquals(Settings.empty(), b.settings());
    assertEquals(Map.of(), b.overriddenBy());
    assertEquals(new BotSpec("b1", "t", "b1", Settings.empty()), b.spec());
  }

  @Test
  void invalidValuesAreRejected() {
    RehoboamException badId =
        assertThrows(
            RehoboamException.class, () -> new BotConfig("bad id", "t", null, false, null, null));
    assertEquals(ErrorCode.INVALID_ARGUMENT, badId.code());
    RehoboamException stray =
        assertThrows(
            RehoboamException.class,
            () ->
                new BotConfig(
                    "b", "t", null, false, null, Settings.empty(), Map.of("x", "ARB_B__X")));
    assertEquals("overriddenBy: names no setting 'x'", stray.getMessage());
  }

  @Test
  void toStringShowsNoSettingValues() {
    BotConfig b =
        new BotConfig("b", "t", null, false, null, Settings.of(Map.of("api_key", "s3cr3tv4lue")));
    assertEquals(false, b.toString().contains("s3cr3tv4lue"));
  }

  @Test
  void configRejectsDuplicateIds() {
    BotConfig b = new BotConfig("b", "t", null, false, null, null);
    RehoboamException e =
        assertThrows(
            RehoboamException.class,
            () -> new RehoboamConfig("x", List.of(b, b), null, null, null, null, null));
    assertEquals("bots: duplicate bot id 'b'", e.getMessage());
  }
}
