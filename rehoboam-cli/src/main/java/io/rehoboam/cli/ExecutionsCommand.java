package io.rehoboam.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "executions", description = "The trade history, newest first.")
final class ExecutionsCommand extends ApiCommand {
  @Option(names = "--bot", description = "A bot's id, or api for trades placed through the API")
  String bot;

  @Option(names = "--strategy", description = "cross_venue, cyclic, cross_layer, ...")
  String strategy;

  @Option(names = "--status", description = "simulated, confirmed, reverted, failed, ...")
  String status;

  @Option(names = "--since", description = "30m, 1h, 2d or an ISO-8601 instant")
  String since;

  @Option(
      names = "--limit",
      defaultValue = "20",
      description = "How many (default ${DEFAULT-VALUE})")
  int limit;

  @Option(names = "--cursor", description = "Where the previous page ended (its next cursor)")
  String cursor;

  @Override
  public Integer call() {
    Map<String, String> q = new LinkedHashMap<>();
    q.put("bot_id", bot);
    q.put("strategy", strategy);
    q.put("status", status);
    q.put("from", since(since));
    q.put("cursor", cursor);
    q.put("limit", Integer.toString(limit));
    JsonNode body = api().get("/api/arbitrage/executions", q);
    if (json()) {
      printJson(body);
      return 0;
    }
    Table t =
        new Table("STARTED", "BOT", "STRATEGY", "STATUS", "IN", "TOKEN", "REALIZED", "USD", "ID");
    for (JsonNode e : body.get("executions")) {
      t.row(
          text(e.get("started_at")),
          e.get("bot_id").isNull() ? "api" : text(e.get("bot_id")),
          text(e.get("strategy")),
          text(e.get("status")),
          OpportunitiesCommand.amount(e, "amount_in"),
          OpportunitiesCommand.symbolOr(e.get("start_token_symbol"), e.get("start_token")),
          OpportunitiesCommand.amount(e, "realized_profit"),
          usd(e.get("realized_profit_usd")),
          text(e.get("id")));
    }
    t.print(out());
    String next = text(body.get("next_cursor"));
    out()
        .println(
            body.path("count").asInt()
                + " executions"
                + (next == null ? "" : "; older ones: --cursor " + next));
    return 0;
  }
}
