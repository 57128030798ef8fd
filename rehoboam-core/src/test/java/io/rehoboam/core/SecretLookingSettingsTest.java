package io.rehoboam.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.core.testing.EventRecorder;
import io.rehoboam.core.testing.ScriptedBot;
import io.rehoboam.core.testing.ScriptedProvider;
import io.rehoboam.spi.LogLevel;
import io.rehoboam.spi.SettingSpec;
import io.rehoboam.spi.SettingType;
import io.rehoboam.spi.Settings;
import io.rehoboam.spi.event.BotLogEvent;
import io.rehoboam.spi.event.BotState;
import io.rehoboam.spi.event.Event;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Settings named like secrets are masked in logs, events and statuses although the bot type
 * declares none of them sensitive; the values of an environment map are always masked.
 */
class SecretLookingSettingsTest {
  private static final String PRIVATE_KEY = "0xabcdef0123456789abcdef";
  private static final String API_KEY = "ak-live-5566778899";
  private static final String TOKEN = "tok-0a0b0c0d0e0f";
  private static final String PASSWORD = "hunter2-correct-horse";
  private static final String ENV_KEY = "0xenvkey-77665544";
  private static final String ENV_PLAIN = "plain-env-value-4411";

  @Test
  void secretLookingNamesAndEnvValuesAreMaskedWhateverTheTypeDeclares() {
    PrintStream originalErr = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    ScriptedProvider provider = new ScriptedProvider("plain", Set.of());
    // Declared, but none of them sensitive: their names alone make them secrets.
    provider.declared.addAll(
        List.of(
            SettingSpec.of("private_key", SettingType.STRING, "a key"),
            SettingSpec.of("api_key", SettingType.STRING, "a key"),
            SettingSpec.of("exchange", SettingType.SECTION, "the exchange's login"),
            SettingSpec.of("env", SettingType.SECTION, "variables"),
            SettingSpec.of("start_tokens", SettingType.LIST, "tokens")));
    provider.script =
        b -> {
          if (b.number == 1) {
            b.onStart = ScriptedBot.Action.THROW;
            b.failureMessage = "login refused for " + API_KEY + " / " + PASSWORD;
          }
        };
    EventRecorder recorder = new EventRecorder();
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("private_key", PRIVATE_KEY);
    settings.put("api_key", API_KEY);
    settings.put("exchange", Map.of("auth_token", TOKEN, "db_password", PASSWORD));
    settings.put("env", Map.of("PRIVATE_KEY", ENV_KEY, "MODE", ENV_PLAIN));
    settings.put("start_tokens", List.of("0x00000000000000000000000000000000000000e1"));
    settings.put("venue", "uniswap");
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try (ArbitrageService service =
        ArbitrageService.builder()
            .env(Map.of())
            .discoverProviders(false)
            .provider(provider)
            .random(() -> 0.5)
            .build()) {
      service.subscribe(recorder);
      service.initialize();
      service.register(
          new BotRegistration(
              "p",
              "plain",
              "Plain",
              false,
              RestartPolicy.DEFAULT.withMode(RestartPolicy.Mode.NEVER),
              Settings.of(settings)));

      BotStatus failed = service.start("p");
      assertEquals(BotState.ERROR, failed.status());
      assertTrue(
          failed.errorMessage().contains("login refused for *** / ***"), failed.errorMessage());

      BotStatus running = service.start("p");
      assertEquals(BotState.RUNNING, running.status());
      ScriptedBot bot = provider.last();
      assertEquals(PRIVATE_KEY, bot.context.settings().string("private_key").orElseThrow());
      bot.context.log(LogLevel.WARN, "signing with " + PRIVATE_KEY + " and " + ENV_KEY);
      recorder.await(e -> e instanceof BotLogEvent);
      service.stop("p");
      String statusText = service.bots().toString();
      for (String secret : List.of(PRIVATE_KEY, API_KEY, TOKEN, PASSWORD, ENV_KEY)) {
        assertFalse(statusText.contains(secret), statusText);
      }
    } finally {
      System.setErr(originalErr);
    }
    String logText = captured.toString(StandardCharsets.UTF_8);
    assertTrue(logText.contains("Registered bot p"), "the log was captured: " + logText);
    assertTrue(logText.contains("signing with *** and ***"), logText);
    assertTrue(logText.contains("venue=uniswap"), "ordinary settings stay readable: " + logText);
    for (String secret : List.of(PRIVATE_KEY, API_KEY, TOKEN, PASSWORD, ENV_KEY, ENV_PLAIN)) {
      assertFalse(logText.contains(secret), secret + " in " + logText);
    }
    for (Event e : recorder.events()) {
      String text = e.toString();
      for (String secret : List.of(PRIVATE_KEY, API_KEY, TOKEN, PASSWORD, ENV_KEY, ENV_PLAIN)) {
        assertFalse(text.contains(secret), text);
      }
    }
  }
}
