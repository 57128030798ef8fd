package io.rehoboam.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
    name = "risk",
    description = "The risk limits, their use now, the loss today and the kill switch.",
    subcommands = RiskCommand.Set.class)
final class RiskCommand extends ApiCommand {
  @Override
  public Integer call() {
    print(this, api().get("/api/arbitrage/risk"));
    return 0;
  }

  static void print(ApiCommand c, JsonNode r) {
    if (c.json()) {
      c.printJson(r);
      return;
    }
    JsonNode l = r.get("limits");
    Table t = new Table("LIMIT", "VALUE", "NOW");
    t.row("max_trade_input", text(l.get("max_trade_input")), null);
    t.row(
        "max_trades_per_minute",
        text(l.get("max_trades_per_minute")),
        text(r.get("trades_last_minute")));
    t.row("daily_loss_limit", text(l.get("daily_loss_limit")), usd(r.get("loss_today")));
    t.row("min_net_profit", text(l.get("min_net_profit")), null);
    t.print(c.out());
    JsonNode k = r.get("kill_switch");
    c.out()
        .println(
            k.path("tripped").asBoolean()
                ? "kill switch: TRIPPED by "
                    + text(k.get("by"))
                    + " at "
                    + text(k.get("at"))
                    + ": "
                    + text(k.get("reason"))
                : "kill switch: off"
                    + (text(k.get("reset_by")) == null
                        ? ""
                        : " (reset by "
                            + text(k.get("reset_by"))
                            + " at "
                            + text(k.get("reset_at"))
                            + ")"));
    if (text(r.get("limits_changed_by")) != null) {
      c.out()
          .println(
              "limits changed by "
                  + text(r.get("limits_changed_by"))
                  + " at "
                  + text(r.get("limits_changed_at")));
    }
  }

  @Command(
      name = "set",
      description =
          "Changes limits: max_trade_input, max_trades_per_minute, daily_loss_limit, min_net_profit"
              + " (off switches one off). Kept across restarts.")
  static final class Set extends ApiCommand {
    @Parameters(
        paramLabel = "LIMIT=VALUE",
        arity = "1..*",
        description = "e.g. max_trades_per_minute=30")
    Map<String, String> limits;

    @Override
    public Integer call() {
      ObjectNode body = Api.object();
      limits.forEach(
          (k, v) -> {
            if (v.equalsIgnoreCase("off") || v.equalsIgnoreCase("null")) {
              body.putNull(k);
            } else {
              body.set(k, StartCommand.value(v));
            }
          });
      print(this, api().post("/api/arbitrage/risk/limits", body));
      return 0;
    }
  }
}
