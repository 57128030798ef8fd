package io.rehoboam.bot.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rehoboam.core.ArbitrageService;
import io.rehoboam.core.risk.RiskLimits;
import io.rehoboam.core.testing.CallJournal;
import io.rehoboam.http.HttpAdapter;
import io.rehoboam.http.ServerSettings;
import io.rehoboam.spi.event.ExecutionEvent;
import io.rehoboam.spi.event.RiskEvent;
import io.rehoboam.spi.trade.ExecutionStatus;
import java.math.BigDecimal;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A process bot that trades by itself and reports its executions: each status goes through the
 * engine's journal (written ahead of the first status), its risk policy (a realized loss trips the
 * daily loss limit) and the bot's counters, once.
 */
class ReportedExecutionsIT extends ProcessBotFixture {
  private final CallJournal journal = new CallJournal();

  @Override
  protected ArbitrageService.Builder configure(ArbitrageService.Builder builder) {
    return builder
        .journal(journal)
        .riskLimits(new RiskLimits(null, null, new BigDecimal("50"), null, false));
  }

  @Test
  void aReportedLossTripsTheDailyLossLimitAndEveryStatusIsJournalledOnce() {
    String id = newBotId("trader");
    register(id, onFailure(0), Map.of("command", python("reports_trades.py", "--lose")));
    service.start(id);

    ExecutionEvent failed =
        (ExecutionEvent)
            recorder.await(
                e ->
                    e instanceof ExecutionEvent x
                        && x.execution().id().equals("t-1")
                        && x.execution().status() == ExecutionStatus.FAILED);
    assertEquals(new BigDecimal("-60"), failed.execution().realizedProfitUsd());
    RiskEvent tripped =
        (RiskEvent)
            recorder.await(e -> e instanceof RiskEvent r && "daily_loss_limit".equals(r.limit()));
    assertTrue(service.risk().isTripped(), tripped.toString());
    // The bot logs after its last report: every report before it has been taken.
    recorder.awaitLog(id, "all reported");
    assertEquals(
        List.of("begin opp-t", "update opp-t SUBMITTED", "update opp-t FAILED"),
        journal.calls.stream().filter(c -> c.contains("opp-t")).toList());
    assertEquals(
        1,
        recorder.events().stream()
            .filter(
                e ->
                    e instanceof ExecutionEvent x
                        && x.execution().id().equals("t-1")
                        && x.execution().status() == ExecutionStatus.FAILED)
            .count(),
        "the repeated final status changes nothing");
    // The loss the limit counted is the bot's too: total_profit and the loss limit agree.
    assertEquals(0, new BigDecimal("-60").compareTo(service.bot(id).totalProfit()));
    assertEquals(0, new BigDecimal("60").compareTo(service.risk().lossToday()));
    service.stop(id);
  }

  @Test
  void aReportedExecutionShowsInTheApisTradeHistoryAndPnlWithItsFinalStatus() throws Exception {
    String id = newBotId("reporter");
    register(id, onFailure(0), Map.of("command", python("reports_trades.py", "--lose")));
    try (HttpAdapter http =
        HttpAdapter.builder(service).settings(ServerSettings.DEFAULTS.withPort(0)).build()) {
      http.start();
      service.start(id);
      recorder.awaitLog(id, "all reported");
      HttpClient client = HttpClient.newHttpClient();

      JsonNode list = get(client, http, "/api/arbitrage/executions?bot_id=" + id);
      assertEquals(1, list.get("count").asInt(), list.toString());
      JsonNode execution = list.get("executions").get(0);
      assertEquals("t-1", execution.get("id").asText());
      assertEquals("opp-t", execution.get("opportunity_id").asText());
      assertEquals(id, execution.get("bot_id").asText());
      assertEquals("failed", execution.get("status").asText(), "its final status");
      assertEquals("-20000", execution.get("realized_profit").asText());
      assertEquals(2, execution.get("legs").size(), execution.toString());
      assertEquals(
          "failed", get(client, http, "/api/arbitrage/executions/t-1").get("status").asText());

      JsonNode pnl = get(client, http, "/api/arbitrage/pnl?bot_id=" + id);
      JsonNode totals = pnl.get("totals");
      assertEquals(1, totals.get("executions").asInt(), pnl.toString());
      assertEquals(1, totals.get("failed").asInt(), pnl.toString());
      assertEquals(0, totals.get("succeeded").asInt(), pnl.toString());
      assertEquals(1, pnl.get("by_bot").get(id).get("executions").asInt(), pnl.toString());
      // the unwind's loss is in the PnL, as the daily loss limit counted it
      assertEquals(
          0,
          new BigDecimal("-60").compareTo(totals.get("realized_profit_usd").decimalValue()),
          pnl.toString());
      assertEquals(0, totals.get("wins").asInt(), pnl.toString());
      service.stop(id);
    }
  }

  private static JsonNode get(HttpClient client, HttpAdapter http, String path)
      throws java.io.IOException, InterruptedException {
    HttpResponse<String> r =
        client.send(
            HttpRequest.newBuilder(http.uri().resolve(path)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    return MAPPER.readTree(r.body());
  }

  private static final ObjectMapper MAPPER = new ObjectMapper();
}
