package io.rehoboam.core.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.SettingSpec;
import io.rehoboam.spi.SettingType;
import io.rehoboam.spi.Settings;
import io.rehoboam.spi.SettingsSchema;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class SettingsSchemaTest {
  private static final SettingsSchema SCHEMA =
      SettingsSchema.of(
          SettingSpec.of("min_profit", SettingType.DECIMAL, "least profit").unit("usd").min(0),
          SettingSpec.of("max_in_flight", SettingType.INTEGER, "at a time").min(1).max(1024),
          SettingSpec.of("base_units", SettingType.INTEGER, "least profit in base units"),
          SettingSpec.of("live", SettingType.BOOLEAN, "trade live").defaultValue(false),
          SettingSpec.of("ttl", SettingType.DURATION, "validity").defaultValue("30s"),
          SettingSpec.of("mode", SettingType.STRING, "mode").allowed("inventory", "bridge"),
          SettingSpec.of("tokens", SettingType.LIST, "tokens"),
          SettingSpec.of("chains", SettingType.SECTION_LIST, "chains")
              .children(
                  SettingSpec.of("chain_id", SettingType.INTEGER, "id").min(0),
                  SettingSpec.of("private_key", SettingType.STRING, "key").secret()),
          SettingSpec.of("api_key", SettingType.STRING, "key").secret());

  private static RehoboamException refused(Map<String, ?> values) {
    RehoboamException e =
        assertThrows(RehoboamException.class, () -> SCHEMA.validate(Settings.of(values), Map.of()));
    assertEquals(ErrorCode.INVALID_CONFIG, e.code());
    return e;
  }

  @Test
  void goodSettingsPassIncludingTextsFromTheEnvironment() {
    SCHEMA.validate(
        Settings.of(
            Map.of(
                "min_profit", "0.5",
                "max_in_flight", "4",
                "live", "yes",
                "ttl", "250ms",
                "mode", "Bridge",
                "tokens", "a,b",
                "chains", List.of(Map.of("chain_id", 10, "private_key", "k")),
                "api_key", "sk-1")),
        Map.of());
    SCHEMA.validate(Settings.empty(), Map.of());
  }

  @Test
  void anUnknownNameIsAnErrorListingTheKnownOnes() {
    RehoboamException e = refused(Map.of("min_proft", 1));
    assertTrue(
        e.getMessage().startsWith("min_proft: unknown setting (known: min_profit,"), e::getMessage);
  }

  @Test
  void aWrongTypeNamesTheFieldAndNeverQuotesText() {
    RehoboamException e = refused(Map.of("min_profit", "abc-secret-ish"));
    assertEquals(
        "min_profit: expected a decimal number but was a text of 14 characters", e.getMessage());
    assertTrue(
        refused(Map.of("live", "maybe")).getMessage().startsWith("live: expected true or false"));
    assertTrue(
        refused(Map.of("ttl", "soon")).getMessage().startsWith("ttl: expected a non-negative"));
    assertTrue(
        refused(Map.of("max_in_flight", 1.5))
            .getMessage()
            .startsWith("max_in_flight: expected an integer"));
    assertTrue(
        refused(Map.of("min_profit", List.of(1)))
            .getMessage()
            .startsWith("min_profit: expected a decimal number but was a list"));
    assertTrue(
        refused(Map.of("mode", "sideways"))
            .getMessage()
            .startsWith("mode: expected one of inventory, bridge"));
  }

  @Test
  void outOfRangeNamesTheBoundsAndTheUnit() {
    assertEquals(
        "max_in_flight: must be 1..1024, was '0'",
        refused(Map.of("max_in_flight", 0)).getMessage());
    assertEquals(
        "min_profit: must be at least 0 usd, was '-1'",
        refused(Map.of("min_profit", -1)).getMessage());
  }

  @Test
  void hugeAndNonFiniteNumbersAreRefusedBeforeAnyConversion() {
    for (Object huge :
        List.of(
            new BigDecimal("1e10000"),
            "1e10000",
            "1e999999999",
            Double.POSITIVE_INFINITY,
            Double.NaN,
            "-1e10000")) {
      for (String field : List.of("min_profit", "base_units", "max_in_flight")) {
        RehoboamException e = refused(Map.of(field, huge));
        assertTrue(e.getMessage().startsWith(field + ": "), e::getMessage);
      }
    }
    assertTrue(refused(Map.of("min_profit", "1e-10000")).getMessage().contains("decimal places"));
  }

  @Test
  void nestedSectionsAreCheckedWithTheirPath() {
    RehoboamException e =
        refused(Map.of("chains", List.of(Map.of("chain_id", 1), Map.of("chain_id", -5))));
    assertEquals("chains[1].chain_id: must be at least 0, was '-5'", e.getMessage());
    assertTrue(
        refused(Map.of("chains", List.of(Map.of("rpc", "x"))))
            .getMessage()
            .startsWith("chains[0].rpc: unknown setting"));
    assertTrue(
        refused(Map.of("chains", List.of("x")))
            .getMessage()
            .startsWith("chains[0]: expected a section"));
  }

  @Test
  void sensitiveNamesIncludeNestedOnes() {
    assertEquals(Set.of("private_key", "api_key"), SCHEMA.sensitiveNames());
  }

  @Test
  void theProvidersCheckRunsAfterTheSchemaWithTheEnvironmentAndBecomesInvalidConfig() {
    AtomicReference<Map<String, String>> seen = new AtomicReference<>();
    SettingsSchema checked =
        SCHEMA.withCheck(
            (s, env) -> {
              seen.set(env);
              if (s.bool("live", false) && !s.has("api_key")) {
                throw RehoboamException.invalid("api_key", "is required when live");
              }
            });
    RehoboamException e =
        assertThrows(
            RehoboamException.class,
            () -> checked.validate(Settings.of(Map.of("live", true)), Map.of("A", "1")));
    assertEquals(ErrorCode.INVALID_CONFIG, e.code());
    assertEquals("api_key: is required when live", e.getMessage());
    assertEquals(Map.of("A", "1"), seen.get());
    // The schema's own errors come first: the check never sees an unknown name.
    seen.set(null);
    assertThrows(
        RehoboamException.class, () -> checked.validate(Settings.of(Map.of("nope", 1)), Map.of()));
    assertFalse(seen.get() != null);
  }

  @Test
  void aSpecRefusesBadDeclarations() {
    assertThrows(
        RehoboamException.class, () -> SettingSpec.of("MinProfit", SettingType.DECIMAL, "x"));
    assertThrows(
        RehoboamException.class, () -> SettingSpec.of("a", SettingType.INTEGER, "x").min(5).max(1));
    assertThrows(
        RehoboamException.class,
        () ->
            SettingsSchema.of(
                SettingSpec.of("a", SettingType.INTEGER, "x"),
                SettingSpec.of("a", SettingType.STRING, "y")));
  }
}
