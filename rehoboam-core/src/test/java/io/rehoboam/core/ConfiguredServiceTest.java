package io.rehoboam.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.core.config.ConfigLoader;
import io.rehoboam.core.config.RehoboamConfig;
import io.rehoboam.core.testing.ScriptedProvider;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.event.BotState;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A service built from a YAML configuration. */
class ConfiguredServiceTest {
  private static final String YAML =
      """
      bots:
        - id: scout
          type: scripted
          name: Scout
          autostart: true
          restart:
            policy: always
            max_retries: 3
            stop_timeout: 2s
          settings:
            min_profit: 5
        - id: idle
          type: scripted
      """;

  @Test
  void configuredBotsAreRegisteredAndAutostartedWithEnvOverrides() throws Exception {
    Map<String, String> env = Map.of("ARB_SCOUT__MIN_PROFIT", "7.5");
    RehoboamConfig config = ConfigLoader.parse(YAML, "rehoboam.yaml", env);
    ScriptedProvider provider = new ScriptedProvider();
    try (ArbitrageService service =
        ArbitrageService.builder()
            .config(config)
            .env(env)
            .discoverProviders(false)
            .provider(provider)
            .build()) {
      service.initialize();
      BotStatus scout = service.startAsync("scout").toCompletableFuture().get();
      assertEquals(BotState.RUNNING, scout.status());
      assertEquals("Scout", scout.name());
      assertEquals(BotState.REGISTERED, service.bot("idle").status());
      assertEquals("7.5", provider.last().context.settings().string("min_profit").orElseThrow());
      assertEquals(
          Duration.ofSeconds(2), config.bot("scout").orElseThrow().restart().stopTimeout());
    }
  }

  @Test
  void aConfiguredBotOfAnUnknownTypeIsAPreciseError() {
    RehoboamConfig config =
        ConfigLoader.parse("bots:\n  - id: l2\n    type: layer3\n", "rehoboam.yaml", Map.of());
    try (ArbitrageService service =
        ArbitrageService.builder()
            .config(config)
            .env(Map.of())
            .discoverProviders(false)
            .provider(new ScriptedProvider())
            .build()) {
      RehoboamException e = assertThrows(RehoboamException.class, service::initialize);
      assertEquals(ErrorCode.INVALID_CONFIG, e.code());
      assertEquals(
          "rehoboam.yaml: bots[l2].type: unknown bot type 'layer3' (known: scripted)",
          e.getMessage());
    }
  }

  @Test
  void anOverrideForAnUnknownBotIsAPreciseError() {
    RehoboamException e =
        assertThrows(
            RehoboamException.class,
            () -> ConfigLoader.parse(YAML, "rehoboam.yaml", Map.of("ARB_SCUOT__MIN_PROFIT", "1")));
    assertEquals(ErrorCode.INVALID_CONFIG, e.code());
    assertTrue(e.getMessage().contains("ARB_SCUOT__MIN_PROFIT"), e.getMessage());
  }

  @Test
  void badSourceAndExecutorSectionsArePreciseErrors() {
    assertInitFails(
        "sources:\n  main:\n    type: nope\n",
        "r.yaml: sources.main.type: unknown type 'nope' (known: )");
    assertInitFails("sources:\n  main:\n    seed: 1\n", "r.yaml: sources.main.type: is required");
    assertInitFails(
        "executors:\n  paper: 5\n",
        "r.yaml: executors.paper: expected a section (a map of settings)");
  }

  private static void assertInitFails(String yaml, String expected) {
    RehoboamConfig config = ConfigLoader.parse(yaml, "r.yaml", Map.of());
    try (ArbitrageService service =
        ArbitrageService.builder().config(config).env(Map.of()).discoverProviders(false).build()) {
      RehoboamException e = assertThrows(RehoboamException.class, service::initialize);
      assertEquals(ErrorCode.INVALID_CONFIG, e.code());
      assertEquals(expected, e.getMessage());
    }
  }

  @Test
  void aSourceProvidersErrorNeverCarriesASecretSettingsValue() {
    io.rehoboam.spi.market.MarketSourceProvider leaky =
        new io.rehoboam.spi.market.MarketSourceProvider() {
          @Override
          public String type() {
            return "leaky";
          }

          @Override
          public int spiVersion() {
            return io.rehoboam.spi.Spi.VERSION;
          }

          @Override
          public io.rehoboam.spi.SettingsSchema settingsSchema() {
            return io.rehoboam.spi.SettingsSchema.of(
                io.rehoboam.spi.SettingSpec.of(
                        "api_key", io.rehoboam.spi.SettingType.STRING, "the node's key")
                    .secret());
          }

          @Override
          public io.rehoboam.spi.market.MarketSource create(
              String id, io.rehoboam.spi.Settings settings, io.rehoboam.spi.ProviderContext ctx) {
            throw new RehoboamException(
                ErrorCode.INVALID_CONFIG,
                "api_key: the node refused " + settings.requireString("api_key"));
          }
        };
    RehoboamConfig config =
        ConfigLoader.parse(
            "sources:\n  node:\n    type: leaky\n    api_key: sk-9f8e7d6c5b\n", "r.yaml", Map.of());
    try (ArbitrageService service =
        ArbitrageService.builder()
            .config(config)
            .env(Map.of())
            .discoverProviders(false)
            .marketSourceProvider(leaky)
            .build()) {
      RehoboamException e = assertThrows(RehoboamException.class, service::initialize);
      assertEquals("r.yaml: sources.node: api_key: the node refused ***", e.getMessage());
    }
  }
}
