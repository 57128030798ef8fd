package io.rehoboam.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.rehoboam.core.risk.RiskLimits;
import io.rehoboam.http.testing.TestServer;
import io.rehoboam.http.testing.TestServer.Response;
import java.math.BigDecimal;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** GET /risk, the kill switch and the limits over REST, with keys and scopes. */
class RiskControlIT {
  private static final String API = "/api/arbitrage";
  private static final String OPS = "ops-key-0123456789abcdef";
  private static final String READER = "reader-key-0123456789abcdef";

  private TestServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private void start() {
    server =
        TestServer.start(
            b ->
                b.riskLimits(
                    new RiskLimits(
                        new BigDecimal("10000"), 120, new BigDecimal("1000"), null, false)),
            s ->
                s.withAllowUnauthenticatedExecute(false)
                    .withKeys(
                        List.of(
                            ApiKey.ofKey(
                                "ops", OPS, Set.of(Scope.READ, Scope.CONTROL, Scope.EXECUTE)),
                            ApiKey.ofKey("reader", READER, Set.of(Scope.READ)))));
  }

  private Response as(String key, String method, String path, String body) {
    return server.call(method, path, body, "Authorization", "Bearer " + key);
  }

  @Test
  void riskShowsLimitsUsageAndTheKillSwitchWhoTrippedItAndWhen() {
    start();
    Response r = as(READER, "GET", API + "/risk", null);
    assertEquals(200, r.status(), r.text());
    assertEquals(120, r.json().get("limits").get("max_trades_per_minute").asInt());
    assertEquals(0, r.json().get("trades_last_minute").asInt());
    assertFalse(r.json().get("kill_switch").get("tripped").asBoolean());
    assertEquals("USD", r.json().get("quote_currency").asText());

    Response tripped =
        as(OPS, "POST", API + "/risk/kill-switch/trip", "{\"reason\": \"exchange incident\"}");
    assertEquals(200, tripped.status(), tripped.text());
    JsonNode ks = tripped.json().get("kill_switch");
    assertTrue(ks.get("tripped").asBoolean());
    assertEquals("ops", ks.get("by").asText());
    assertEquals("exchange incident", ks.get("reason").asText());
    assertTrue(ks.get("at").asText().endsWith("Z"));
    assertTrue(server.service.risk().isTripped());

    server.runEmitter("scout");
    server.publish("scout", "o1", 4000, "5");
    Response refused = as(OPS, "POST", API + "/execute", "{\"opportunity_id\": \"o1\"}");
    assertEquals(422, refused.status(), refused.text());
    assertEquals("kill_switch", refused.json().get("error").get("details").get("limit").asText());

    Response reset = as(OPS, "POST", API + "/risk/kill-switch/reset", null);
    assertEquals(200, reset.status(), reset.text());
    assertFalse(reset.json().get("kill_switch").get("tripped").asBoolean());
    assertEquals("ops", reset.json().get("kill_switch").get("reset_by").asText());
    assertEquals(200, as(OPS, "POST", API + "/execute", "{\"opportunity_id\": \"o1\"}").status());
    assertEquals(
        1, as(READER, "GET", API + "/risk", null).json().get("trades_last_minute").asInt());
  }

  @Test
  void limitsChangeAtRunTimeAreValidatedAndNeedControl() {
    start();
    Response changed =
        as(
            OPS,
            "POST",
            API + "/risk/limits",
            "{\"max_trades_per_minute\": 30, \"min_net_profit\": 2.5, \"daily_loss_limit\": null}");
    assertEquals(200, changed.status(), changed.text());
    JsonNode limits = changed.json().get("limits");
    assertEquals(30, limits.get("max_trades_per_minute").asInt());
    assertEquals(0, new BigDecimal("2.5").compareTo(limits.get("min_net_profit").decimalValue()));
    assertTrue(limits.get("daily_loss_limit").isNull(), "null switches a limit off");
    assertEquals(
        0, new BigDecimal("10000").compareTo(limits.get("max_trade_input").decimalValue()));
    assertEquals("ops", changed.json().get("limits_changed_by").asText());
    assertEquals(30, server.service.risk().limits().maxTradesPerMinute());

    assertInvalid(
        as(OPS, "POST", API + "/risk/limits", "{\"max_trades_per_minute\": -1}"),
        "max_trades_per_minute");
    assertInvalid(
        as(OPS, "POST", API + "/risk/limits", "{\"max_trades_per_minute\": 1.5}"),
        "max_trades_per_minute");
    assertInvalid(
        as(OPS, "POST", API + "/risk/limits", "{\"max_trade_input\": 0}"), "max_trade_input");
    assertInvalid(
        as(OPS, "POST", API + "/risk/limits", "{\"max_trade_input\": \"lots\"}"),
        "max_trade_input");
    assertInvalid(
        as(OPS, "POST", API + "/risk/limits", "{\"max_trade_input\": [1]}"), "max_trade_input");
    assertInvalid(as(OPS, "POST", API + "/risk/limits", "{\"kill_switch\": true}"), "kill_switch");
    assertInvalid(as(OPS, "POST", API + "/risk/limits", "{}"), "limits");
    assertInvalid(as(OPS, "POST", API + "/risk/kill-switch/trip", "{\"why\": \"x\"}"), "why");
    assertEquals(30, server.service.risk().limits().maxTradesPerMinute(), "nothing changed");

    Response forbidden = as(READER, "POST", API + "/risk/limits", "{\"max_trades_per_minute\": 1}");
    assertEquals(403, forbidden.status());
    assertEquals(403, as(READER, "POST", API + "/risk/kill-switch/trip", null).status());
    assertEquals(401, server.get(API + "/risk").status());
  }

  private static void assertInvalid(Response r, String field) {
    assertEquals(400, r.status(), r.text());
    assertEquals("INVALID_ARGUMENT", r.errorCode(), r.text());
    assertEquals(field, r.json().get("error").get("details").get("field").asText(), r.text());
  }
}
