package io.rehoboam.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.core.config.ConfigLoader;
import io.rehoboam.core.testing.CallJournal;
import io.rehoboam.core.testing.ScriptedProvider;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.Settings;
import io.rehoboam.spi.event.BotState;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every registration is checked against its provider's settings schema before anything starts: at
 * run-time registration, as a start override and in the configuration file.
 */
class SettingsValidationServiceTest {
  private final CallJournal journal = new CallJournal();
  private final ScriptedProvider scripted = new ScriptedProvider();

  private ArbitrageService service(String yaml) {
    return ArbitrageService.builder()
        .config(ConfigLoader.parse(yaml, "r.yaml", Map.of()))
        .env(Map.of())
        .provider(scripted)
        .journal(journal)
        .build();
  }

  private static RehoboamException invalid(Runnable call) {
    RehoboamException e = assertThrows(RehoboamException.class, call::run);
    assertEquals(ErrorCode.INVALID_CONFIG, e.code(), e::getMessage);
    return e;
  }

  @Test
  void badSettingsAtRegistrationAreRefusedNamingTheBotAndTheFieldAndNothingIsKept() {
    try (ArbitrageService service = service("")) {
      service.initialize();
      List<String> before = List.copyOf(journal.calls);
      assertEquals(
          "bot 'm': min_profit: expected a decimal number but was a text of 3 characters",
          invalid(
                  () ->
                      service.register(
                          BotRegistration.of(
                              "m", "live_monitor", Settings.of(Map.of("min_profit", "abc")))))
              .getMessage());
      assertTrue(
          invalid(
                  () ->
                      service.register(
                          BotRegistration.of(
                              "m", "live_monitor", Settings.of(Map.of("min_proft", 1)))))
              .getMessage()
              .startsWith("bot 'm': min_proft: unknown setting (known: sources, strategies,"));
      assertEquals(
          "bot 'm': max_cycle_length: must be 3..4 pools, was '5'",
          invalid(
                  () ->
                      service.register(
                          BotRegistration.of(
                              "m", "live_monitor", Settings.of(Map.of("max_cycle_length", 5)))))
              .getMessage());
      assertTrue(
          invalid(
                  () ->
                      service.register(
                          BotRegistration.of(
                              "m",
                              "real_executor",
                              Settings.of(Map.of("min_profit", new BigDecimal("1e10000"))))))
              .getMessage()
              .startsWith("bot 'm': min_profit: is out of range"));
      assertTrue(service.bots().isEmpty(), "nothing registered");
      assertEquals(before, journal.calls, "nothing journalled");
    }
  }

  @Test
  void aBadStartOverrideIsRefusedBeforeTheBotIsBuiltOrItsDesireJournalled() {
    try (ArbitrageService service = service("")) {
      service.initialize();
      service.register(BotRegistration.of("s", "scripted", Settings.of(Map.of("note", "x"))));
      List<String> before = List.copyOf(journal.calls);
      assertEquals(
          "bot 's': colour: unknown setting (known: note, label, interval, mode, min_profit, venue)",
          invalid(() -> service.start("s", Map.of("colour", "blue"))).getMessage());
      assertTrue(
          invalid(() -> service.startAsync("s", Map.of("note", List.of(1, 2))))
              .getMessage()
              .startsWith("bot 's': note: expected a single value"));
      assertEquals(BotState.REGISTERED, service.bot("s").status());
      assertTrue(scripted.instances.isEmpty(), "no bot was built");
      assertEquals(before, journal.calls, "no desired state journalled");
    }
  }

  @Test
  void aBadSettingsChangeIsRefusedBeforeAnythingIsKeptOrJournalled() {
    try (ArbitrageService service = service("")) {
      service.initialize();
      service.register(BotRegistration.of("s", "scripted", Settings.of(Map.of("note", "x"))));
      List<String> before = List.copyOf(journal.calls);
      assertEquals(
          "bot 's': colour: unknown setting (known: note, label, interval, mode, min_profit, venue)",
          invalid(() -> service.changeSettings("s", Map.of("colour", "blue"), "ops")).getMessage());
      assertEquals("x", service.botSettings("s").get("note"), "the settings are unchanged");
      assertEquals(before, journal.calls, "nothing journalled");
      service.changeSettings("s", Map.of("note", "y"), "ops");
      assertEquals(
          List.of("botSettings s [note]"),
          journal.calls.subList(before.size(), journal.calls.size()));
    }
  }

  @Test
  void aBadBotInTheConfigurationFileStopsInitializeBeforeAnythingIsBuilt() {
    String yaml =
        """
        sources:
          market:
            type: sim
            pools: 100
        bots:
          - id: ok
            type: scripted
            autostart: true
          - id: monitor
            type: live_monitor
            autostart: true
            settings:
              min_profit: abc
        """;
    try (ArbitrageService service = service(yaml)) {
      RehoboamException e = invalid(service::initialize);
      assertEquals(
          "r.yaml: bots[monitor]: min_profit: expected a decimal number but was a text of 3"
              + " characters",
          e.getMessage());
      assertTrue(service.bots().isEmpty(), "no bot registered");
      assertTrue(service.marketSourceIds().isEmpty(), "no source built");
      assertTrue(scripted.instances.isEmpty(), "no bot built");
      assertTrue(journal.calls.isEmpty(), "the journal was not even read: " + journal.calls);
    }
  }

  @Test
  void aBadSourceSettingInTheFileIsAlsoRefusedByTheSchema() {
    String yaml =
        """
        sources:
          market:
            type: sim
            pools: 1e10000
        """;
    try (ArbitrageService service = service(yaml)) {
      assertEquals(
          "r.yaml: sources.market: pools: is out of range: more than 78 digits",
          invalid(service::initialize).getMessage());
    }
  }

  @Test
  void callsThatNeedAnInitializedServiceAreAConflictBeforeInitialize() {
    try (ArbitrageService service = service("")) {
      for (Runnable call :
          List.<Runnable>of(
              () -> service.register(BotRegistration.of("s", "scripted", Settings.empty())),
              () -> service.start("s"),
              () -> service.startAsync("s", Map.of()),
              () -> service.restart("s"),
              () -> service.execute("o", ExecuteRequest.defaults()),
              () -> service.sendCommand("s", "reload", Map.of()))) {
        RehoboamException e = assertThrows(RehoboamException.class, call::run);
        assertEquals(ErrorCode.CONFLICT, e.code());
        assertTrue(e.getMessage().contains("initialize()"), e::getMessage);
      }
      assertTrue(journal.calls.isEmpty());
      service.initialize();
      service.register(BotRegistration.of("s", "scripted", Settings.empty()));
      assertEquals(1, service.bots().size());
    }
  }

  @Test
  void aServerMayRegisterOnceItsFirstHalfPrepareHasRun() {
    try (ArbitrageService service = service("")) {
      // A server listens between prepare() and initialize(): the sources, executors and
      // configured bots exist by then, so a registration is taken (and journalled).
      service.prepare();
      service.register(BotRegistration.of("s", "scripted", Settings.empty()));
      assertTrue(
          journal.calls.stream().anyMatch(c -> c.startsWith("registered s")),
          journal.calls::toString);
      assertEquals(BotState.RUNNING, service.start("s").status());
      service.initialize();
      assertEquals(1, service.bots().size());
    }
  }
}
