package io.rehoboam.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "opportunities", description = "Live opportunities, best first.")
final class OpportunitiesCommand extends ApiCommand {
  @Option(names = "--strategy", description = "cross_venue, cyclic, cross_layer, ...")
  String strategy;

  @Option(names = "--min-profit", paramLabel = "USD", description = "Least net profit in USD")
  String minProfit;

  @Option(
      names = "--limit",
      defaultValue = "20",
      description = "How many (default ${DEFAULT-VALUE})")
  int limit;

  @Override
  public Integer call() {
    Map<String, String> q = new LinkedHashMap<>();
    q.put("strategy", strategy);
    q.put("min_profit", minProfit);
    q.put("limit", Integer.toString(limit));
    JsonNode body = api().get("/api/arbitrage/opportunities", q);
    if (json()) {
      printJson(body);
      return 0;
    }
    Table t = new Table("ID", "STRATEGY", "NET_USD", "IN", "NET", "TOKEN", "BOT", "LEGS");
    for (JsonNode o : body.get("opportunities")) {
      t.row(
          text(o.get("id")),
          text(o.get("strategy")),
          usd(o.get("net_profit_usd")),
          amount(o, "amount_in"),
          amount(o, "net_profit"),
          symbolOr(o.get("start_token_symbol"), o.get("start_token")),
          text(o.get("source_bot")),
          o.path("legs").size());
    }
    t.print(out());
    out().println(body.path("count").asInt() + " opportunities");
    return 0;
  }

  /** The decimal amount when the token is known, else the base units. */
  static String amount(JsonNode o, String field) {
    String decimal = text(o.get(field + "_decimal"));
    return decimal != null ? decimal : text(o.get(field));
  }

  static String symbolOr(JsonNode symbol, JsonNode address) {
    String s = text(symbol);
    return s != null ? s : text(address);
  }
}
