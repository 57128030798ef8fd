package io.rehoboam.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "pnl",
    description = "Profit and loss: totals, per bot, per strategy, and with --series per bucket.")
final class PnlCommand extends ApiCommand {
  @Option(names = "--bot", description = "Only this bot (api: trades placed through the API)")
  String bot;

  @Option(names = "--strategy", description = "Only this strategy")
  String strategy;

  @Option(names = "--since", description = "30m, 1h, 2d or an ISO-8601 instant")
  String since;

  @Option(
      names = "--bucket",
      defaultValue = "hour",
      description = "minute, hour or day (default ${DEFAULT-VALUE})")
  String bucket;

  @Option(names = "--series", description = "Also print the time series")
  boolean series;

  @Override
  public Integer call() {
    Map<String, String> q = new LinkedHashMap<>();
    q.put("bot_id", bot);
    q.put("strategy", strategy);
    q.put("from", since(since));
    q.put("bucket", bucket);
    JsonNode body = api().get("/api/arbitrage/pnl", q);
    if (json()) {
      printJson(body);
      return 0;
    }
    Table t = new Table("", "TRADES", "WON", "WIN_RATE", "REALIZED_USD", "GAS_USD");
    row(t, "total", body.get("totals"));
    body.get("by_bot").fields().forEachRemaining(e -> row(t, "bot " + e.getKey(), e.getValue()));
    body.get("by_strategy")
        .fields()
        .forEachRemaining(e -> row(t, "strategy " + e.getKey(), e.getValue()));
    t.print(out());
    if (series) {
      out().println();
      Table s = new Table("FROM", "TRADES", "WON", "WIN_RATE", "REALIZED_USD", "GAS_USD");
      for (JsonNode b : body.get("series")) {
        row(s, text(b.get("start")), b.get("figures"));
      }
      s.print(out());
    }
    return 0;
  }

  private static void row(Table t, String label, JsonNode f) {
    t.row(
        label,
        text(f.get("executions")),
        text(f.get("wins")),
        text(f.get("win_rate")),
        text(f.get("realized_profit_usd")),
        usd(f.get("gas_cost_usd")));
  }
}
