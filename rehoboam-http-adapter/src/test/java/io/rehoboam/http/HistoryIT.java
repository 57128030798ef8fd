package io.rehoboam.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.rehoboam.http.testing.FakeSource;
import io.rehoboam.http.testing.Opportunities;
import io.rehoboam.http.testing.TestServer;
import io.rehoboam.http.testing.TestServer.Response;
import io.rehoboam.spi.market.Token;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** GET /executions, /executions/{id} and /pnl against a real server: good and bad input. */
class HistoryIT {
  private static final String API = "/api/arbitrage";

  private final FakeSource market =
      new FakeSource("market")
          .tokens(
              new Token(1, Opportunities.WETH, "WETH", 18),
              new Token(1, Opportunities.USDC, "USDC", 6));
  private TestServer server;

  @BeforeEach
  void start() {
    server = TestServer.start(b -> b.marketSource(market), s -> s);
    server.runEmitter("scout");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** Executes opportunities through the API, returning the execution ids in order. */
  private List<String> executeAll(String... idsAndUsd) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < idsAndUsd.length; i += 2) {
      server.publish("scout", idsAndUsd[i], 4000 + i, idsAndUsd[i + 1]);
      Response r = server.post(API + "/execute", "{\"opportunity_id\": \"" + idsAndUsd[i] + "\"}");
      assertEquals(200, r.status(), r.text());
      out.add(r.json().get("id").asText());
    }
    return out;
  }

  private static List<String> ids(JsonNode executions) {
    List<String> out = new ArrayList<>();
    executions.forEach(e -> out.add(e.get("id").asText()));
    return out;
  }

  @Test
  void executionsAreListedNewestFirstWithExactAndReadableAmountsAndPaged() {
    List<String> done = executeAll("a", "1.25", "b", "2.5", "c", "0.75");

    Response all = server.get(API + "/executions");
    assertEquals(200, all.status(), all.text());
    assertEquals(3, all.json().get("count").asInt());
    assertTrue(all.json().get("next_cursor").isNull());
    List<String> listed = ids(all.json().get("executions"));
    assertEquals(3, listed.size());
    assertTrue(listed.containsAll(done), listed.toString());

    JsonNode first = all.json().get("executions").get(0);
    assertEquals("api", first.get("bot_id").isNull() ? "api" : first.get("bot_id").asText());
    assertEquals("confirmed", first.get("status").asText());
    assertEquals(Opportunities.AMOUNT_IN.toString(), first.get("amount_in").asText());
    assertEquals("WETH", first.get("start_token_symbol").asText());
    assertEquals("0.000000000001", first.get("amount_in_decimal").asText());
    JsonNode leg = first.get("legs").get(0);
    assertEquals("USDC", leg.get("token_out_symbol").asText());
    assertEquals(
        "2", leg.get("amount_out_decimal").asText(), "2000000 base units of a 6-decimal token");

    Response page1 = server.get(API + "/executions?limit=2");
    assertEquals(2, page1.json().get("count").asInt());
    String cursor = page1.json().get("next_cursor").asText();
    Response page2 = server.get(API + "/executions?limit=2&cursor=" + cursor);
    assertEquals(1, page2.json().get("count").asInt());
    assertTrue(page2.json().get("next_cursor").isNull());
    List<String> paged = new ArrayList<>(ids(page1.json().get("executions")));
    paged.addAll(ids(page2.json().get("executions")));
    assertEquals(listed, paged, "the pages are the list, in order");

    assertEquals(3, server.get(API + "/executions?bot_id=api").json().get("count").asInt());
    assertEquals(0, server.get(API + "/executions?bot_id=scout").json().get("count").asInt());
    assertEquals(3, server.get(API + "/executions?status=confirmed").json().get("count").asInt());
    assertEquals(0, server.get(API + "/executions?status=failed").json().get("count").asInt());
    assertEquals(
        3, server.get(API + "/executions?strategy=cross_venue").json().get("count").asInt());
    assertEquals(
        0, server.get(API + "/executions?from=2999-01-01T00:00:00Z").json().get("count").asInt());
    assertEquals(
        3,
        server
            .get(API + "/executions?from=2000-01-01T00:00:00Z&to=2999-01-01T00:00:00Z")
            .json()
            .get("count")
            .asInt());

    Response one = server.get(API + "/executions/" + done.get(0));
    assertEquals(200, one.status(), one.text());
    assertEquals("a", one.json().get("opportunity_id").asText());
    assertEquals(2, one.json().get("legs").size());
    assertTrue(one.json().has("tx_hashes"));
    assertEquals("21000", one.json().get("gas_used").asText());
  }

  @Test
  void badHistoryQueriesAre400NamingTheParameterAndUnknownIdsAre404() {
    assertInvalid(server.get(API + "/executions?limit=0"), "limit");
    assertInvalid(server.get(API + "/executions?limit=1001"), "limit");
    assertInvalid(server.get(API + "/executions?limit=many"), "limit");
    assertInvalid(server.get(API + "/executions?status=happy"), "status");
    assertInvalid(server.get(API + "/executions?from=yesterday"), "from");
    assertInvalid(
        server.get(API + "/executions?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z"), "from");
    assertInvalid(server.get(API + "/executions?cursor=%21%21"), "cursor");
    assertInvalid(server.get(API + "/executions?bot=scout"), "bot");
    assertInvalid(server.get(API + "/pnl?bucket=week"), "bucket");
    assertInvalid(server.get(API + "/pnl?to=soon"), "to");
    assertInvalid(server.get(API + "/pnl?group=bot"), "group");
    Response missing = server.get(API + "/executions/ex-nope");
    assertEquals(404, missing.status());
    assertEquals("NOT_FOUND", missing.errorCode());
  }

  @Test
  void pnlHasTotalsPerBotPerStrategyAndASeries() {
    executeAll("a", "1.25", "b", "2.5", "c", "0.75");

    Response r = server.get(API + "/pnl?bucket=minute");

    assertEquals(200, r.status(), r.text());
    JsonNode totals = r.json().get("totals");
    assertEquals(3, totals.get("executions").asInt());
    assertEquals(3, totals.get("wins").asInt());
    assertEquals(
        0, new BigDecimal("4.5").compareTo(totals.get("realized_profit_usd").decimalValue()));
    assertEquals("USD", totals.get("quote_currency").asText());
    assertEquals(3, r.json().get("by_bot").get("api").get("executions").asInt());
    assertEquals(3, r.json().get("by_strategy").get("cross_venue").get("executions").asInt());
    assertEquals("minute", r.json().get("bucket").asText());
    assertTrue(r.json().get("series").size() >= 1);
    int inSeries = 0;
    for (JsonNode b : r.json().get("series")) {
      inSeries += b.get("figures").get("executions").asInt();
    }
    assertEquals(3, inSeries, "the series adds up to the totals");
    assertEquals(
        0, server.get(API + "/pnl?bot_id=scout").json().get("totals").get("executions").asInt());
  }

  private static void assertInvalid(Response r, String field) {
    assertEquals(400, r.status(), r.text());
    assertEquals("INVALID_ARGUMENT", r.errorCode(), r.text());
    assertEquals(field, r.json().get("error").get("details").get("field").asText(), r.text());
  }
}
