package io.rehoboam.notify;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.rehoboam.core.ArbitrageService;
import io.rehoboam.spi.Settings;
import io.rehoboam.testsupport.HttpStandIn;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Notifications from a real service's events to a Telegram stand-in. */
class NotifierServiceTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aTrippedKillSwitchReachesTheChat() throws Exception {
    try (HttpStandIn telegram = new HttpStandIn();
        ArbitrageService service =
            ArbitrageService.builder()
                .discoverProviders(false)
                .env(Map.of())
                .closeTimeout(Duration.ofSeconds(5))
                .build()) {
      service.initialize();
      NotificationSettings settings =
          NotificationSettings.from(
              Settings.of(Map.of("sinks", List.of(Sinks.telegram(telegram, "batch_window", "0s")))),
              Sinks.env(telegram));
      try (Notifier notifier = Notifier.start(service, settings, Clock.systemUTC())) {
        service.tripKillSwitch("manual test trip", "ops");
        assertTrue(telegram.await(1), "a message arrived");
        String text = JSON.readTree(telegram.requests.get(0).body()).path("text").asText();
        assertTrue(text.startsWith("Rehoboam [CRITICAL] kill_switch: kill switch tripped"), text);
        assertTrue(text.contains("manual test trip"), text);
        assertTrue(
            notifier.health().get("ops").startsWith("delivered"), notifier.health().toString());
      }
    }
  }
}
