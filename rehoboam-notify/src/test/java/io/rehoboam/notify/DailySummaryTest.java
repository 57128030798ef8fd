package io.rehoboam.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.rehoboam.core.history.PnlFigures;
import io.rehoboam.core.history.PnlQuery;
import io.rehoboam.core.history.PnlReport;
import io.rehoboam.core.testing.ManualScheduler;
import io.rehoboam.core.testing.MutableClock;
import io.rehoboam.spi.Settings;
import io.rehoboam.testsupport.HttpStandIn;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The daily PnL summary is sent at its local time by the injected clock, across a DST change. */
class DailySummaryTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void sentAtTheLocalTimeEachDayAcrossTheClockChange() throws Exception {
    // London moves to summer time on 29 March 2026: 18:00 local is 18:00Z before, 17:00Z after.
    MutableClock clock = new MutableClock(Instant.parse("2026-03-28T12:00:00Z"));
    ManualScheduler timer = new ManualScheduler(clock);
    List<PnlQuery> queries = new ArrayList<>();
    PnlFigures figures =
        new PnlFigures(
            12,
            11,
            1,
            9,
            new BigDecimal("0.75"),
            new BigDecimal("42.5"),
            BigInteger.valueOf(2_100_000),
            new BigDecimal("3.2"));
    try (HttpStandIn telegram = new HttpStandIn()) {
      NotificationSettings settings =
          NotificationSettings.from(
              Settings.of(
                  Map.of(
                      "sinks",
                      List.of(Sinks.telegram(telegram, "batch_window", "0s")),
                      "daily_summary",
                      Map.of("at", "18:00", "zone", "Europe/London"))),
              Sinks.env(telegram));
      Notifier notifier =
          Notifier.detached(
              settings,
              clock,
              timer,
              q -> {
                queries.add(q);
                return new PnlReport(
                    q.from(),
                    q.to(),
                    "hour",
                    figures,
                    Map.of("live_monitor", figures),
                    Map.of(),
                    List.of());
              },
              null);
      try {
        timer.advance(Duration.ofHours(6).minusSeconds(1));
        assertTrue(telegram.requests.isEmpty(), "not before 18:00");
        timer.advance(Duration.ofSeconds(1));
        assertEquals(1, telegram.requests.size());
        assertEquals(Instant.parse("2026-03-28T18:00:00Z"), queries.get(0).to());
        assertEquals(Instant.parse("2026-03-27T18:00:00Z"), queries.get(0).from());
        String text = JSON.readTree(telegram.requests.get(0).body()).path("text").asText();
        assertEquals(
            "Rehoboam [info] daily_pnl: daily PnL (24 h): 12 executions, 11 succeeded, 9 wins,"
                + " realized 42.500000 USD, gas 3.200000 USD; live_monitor: 12 executions, 11"
                + " succeeded, 9 wins, realized 42.500000 USD, gas 3.200000 USD",
            text);

        // The next day, after the clock change, 18:00 London is 17:00Z.
        timer.advance(Duration.ofHours(23).minusSeconds(1));
        assertEquals(1, telegram.requests.size());
        timer.advance(Duration.ofSeconds(1));
        assertEquals(2, telegram.requests.size());
        assertEquals(Instant.parse("2026-03-29T17:00:00Z"), queries.get(1).to());
      } finally {
        notifier.close();
      }
    }
  }
}
