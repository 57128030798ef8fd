package io.rehoboam.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rehoboam.http.testing.Opportunities;
import io.rehoboam.spi.BotHealth;
import io.rehoboam.spi.LogLevel;
import io.rehoboam.spi.event.BotLogEvent;
import io.rehoboam.spi.event.BotState;
import io.rehoboam.spi.event.BotStatusEvent;
import io.rehoboam.spi.event.MonitoringSnapshotEvent;
import io.rehoboam.spi.event.OpportunityExpiredEvent;
import io.rehoboam.spi.event.OpportunityFoundEvent;
import io.rehoboam.spi.event.RiskEvent;
import io.rehoboam.spi.event.SystemEvent;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Events serialize to the contract's envelope and fields. */
class JsonTest {
  private static final Instant AT = Instant.parse("2025-06-04T20:30:00Z");

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  @Test
  void botStatusEventsHaveTheEnvelopeThenTheirFields() {
    ObjectNode json =
        Json.event(
            new BotStatusEvent(
                7, AT, "live_monitor", BotState.STARTING, BotState.RUNNING, "started"));

    assertEquals(List.of("seq", "type", "at", "bot_id", "from", "to", "reason"), fieldNames(json));
    assertEquals(7, json.get("seq").asLong());
    assertEquals("bot.status", json.get("type").asText());
    assertEquals("2025-06-04T20:30:00Z", json.get("at").asText());
    assertEquals("live_monitor", json.get("bot_id").asText());
    assertEquals("running", json.get("to").asText());
  }

  @Test
  void systemEventsHaveANullBotId() {
    ObjectNode json = Json.event(new SystemEvent(1, AT, "stopping", "service stopping"));

    assertEquals(List.of("seq", "type", "at", "bot_id", "kind", "message"), fieldNames(json));
    assertTrue(json.get("bot_id").isNull());
  }

  @Test
  void monitoringSnapshotsShowUptimeAsIsoDuration() {
    ObjectNode json =
        Json.event(
            new MonitoringSnapshotEvent(
                3,
                AT,
                Map.of("running", 2),
                Map.of("a", BotHealth.degraded("slow source")),
                12,
                new BigDecimal("10.50"),
                0,
                Duration.ofSeconds(90),
                1024,
                4096));

    assertEquals("monitoring.snapshot", json.get("type").asText());
    assertEquals("PT1M30S", json.get("uptime").asText());
    assertEquals(2, json.get("bots_by_state").get("running").asInt());
    assertEquals("degraded", json.get("bot_health").get("a").get("status").asText());
    assertEquals(0, new BigDecimal("10.50").compareTo(json.get("total_profit").decimalValue()));
    assertTrue(json.get("total_profit").isNumber());
  }

  @Test
  void everyOtherEventTypeCarriesItsFields() {
    var opportunity =
        Opportunities.of("o-1", "cyclic", 10, new BigDecimal("0.5"), AT, Duration.ofSeconds(5));
    ObjectNode found = Json.event(new OpportunityFoundEvent(4, AT, "b", opportunity));
    ObjectNode expired = Json.event(new OpportunityExpiredEvent(5, AT, "b", "o-1", "expired"));
    ObjectNode log = Json.event(new BotLogEvent(6, AT, "b", LogLevel.WARN, "hm"));
    ObjectNode risk =
        Json.event(new RiskEvent(8, AT, null, "reject", "kill_switch", "o-1", "tripped"));

    assertEquals("10", found.get("opportunity").get("net_profit").asText());
    assertEquals("o-1", expired.get("opportunity_id").asText());
    assertEquals("warn", log.get("level").asText());
    assertEquals(
        List.of("seq", "type", "at", "bot_id", "decision", "limit", "subject", "message"),
        fieldNames(risk));
  }

  @Test
  void enumsKeepTheWireValues() {
    ObjectNode risk =
        Json.event(
            new RiskEvent(
                8,
                AT,
                null,
                RiskEvent.Decision.LIMITS_CHANGED,
                io.rehoboam.core.risk.RiskLimit.MAX_TRADES_PER_MINUTE.wireName(),
                null,
                "x"));
    assertEquals("limits_changed", risk.get("decision").asText());
    assertEquals("max_trades_per_minute", risk.get("limit").asText());
    ObjectNode system =
        Json.event(new SystemEvent(9, AT, SystemEvent.Kind.BOT_REGISTERED, "bot a of type b"));
    assertEquals("bot.registered", system.get("kind").asText());
    assertEquals(
        SystemEvent.Kind.PROVIDER_SKIPPED, SystemEvent.Kind.of("provider.skipped").orElseThrow());
    assertEquals(
        io.rehoboam.spi.ErrorCode.INVALID_ARGUMENT,
        org.junit.jupiter.api.Assertions.assertThrows(
                io.rehoboam.spi.RehoboamException.class,
                () -> new RiskEvent(1, AT, null, "maybe", null, null, ""))
            .code());
  }
}
