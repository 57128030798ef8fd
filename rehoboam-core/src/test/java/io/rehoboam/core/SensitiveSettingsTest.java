package io.rehoboam.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.core.testing.EventRecorder;
import io.rehoboam.core.testing.ScriptedBot;
import io.rehoboam.core.testing.ScriptedProvider;
import io.rehoboam.spi.LogLevel;
import io.rehoboam.spi.Settings;
import io.rehoboam.spi.event.BotLogEvent;
import io.rehoboam.spi.event.BotState;
import io.rehoboam.spi.event.Event;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A setting the provider declares sensitive never shows in a status, an event or a log line. */
class SensitiveSettingsTest {
  private static final String SECRET = "sk-live-7f3a9c2b1d";
  private static final String ENV_SECRET = "env-secret-55aa66bb";

  @Test
  void secretsAreMaskedInStatusEventsAndLogs() {
    PrintStream originalErr = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    ScriptedProvider provider = new ScriptedProvider("keyed", Set.of("api_key", "private_key"));
    provider.script =
        b -> {
          if (b.number == 1) {
            b.onStart = ScriptedBot.Action.THROW;
            b.failureMessage = "auth failed for key " + SECRET;
          }
        };
    EventRecorder recorder = new EventRecorder();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try (ArbitrageService service =
        ArbitrageService.builder()
            .env(Map.of("ARB_K__PRIVATE_KEY", ENV_SECRET))
            .discoverProviders(false)
            .provider(provider)
            .random(() -> 0.5)
            .build()) {
      service.subscribe(recorder);
      service.initialize();
      service.register(
          new BotRegistration(
              "k",
              "keyed",
              "Keyed",
              false,
              RestartPolicy.DEFAULT.withMode(RestartPolicy.Mode.NEVER),
              Settings.of(Map.of("api_key", SECRET, "venue", "uniswap"))));

      BotStatus failed = service.start("k");
      assertEquals(BotState.ERROR, failed.status());
      assertTrue(failed.errorMessage().contains("auth failed for key ***"), failed.errorMessage());

      BotStatus running = service.start("k");
      assertEquals(BotState.RUNNING, running.status());
      ScriptedBot bot = provider.last();
      assertEquals(
          SECRET,
          bot.context.settings().string("api_key").orElseThrow(),
          "the bot itself gets the real value");
      assertEquals(ENV_SECRET, bot.context.settings().string("private_key").orElseThrow());
      bot.context.log(LogLevel.WARN, "using " + SECRET + " and " + ENV_SECRET);
      recorder.await(e -> e instanceof BotLogEvent);
      bot.context.reportFailure("signer rejected " + ENV_SECRET, null);
      recorder.awaitState("k", BotState.ERROR, 2);
      service.stop("k");
      String statusText = service.bots().toString();
      assertFalse(statusText.contains(SECRET) || statusText.contains(ENV_SECRET), statusText);
    } finally {
      System.setErr(originalErr);
    }
    String logText = captured.toString(StandardCharsets.UTF_8);
    assertTrue(logText.contains("Registered bot k"), "the log was captured: " + logText);
    assertTrue(logText.contains("using *** and ***"), logText);
    assertFalse(logText.contains(SECRET), logText);
    assertFalse(logText.contains(ENV_SECRET), logText);
    for (Event e : recorder.events()) {
      String text = e.toString();
      assertFalse(text.contains(SECRET) || text.contains(ENV_SECRET), text);
    }
  }
}
