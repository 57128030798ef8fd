package io.rehoboam.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
    name = "status",
    description = "The bots: state, what they earned (USD), errors. All bots, or those named.")
final class StatusCommand extends ApiCommand {
  @Parameters(paramLabel = "BOT", arity = "0..*", description = "Bot ids (default: every bot)")
  List<String> bots = List.of();

  @Override
  public Integer call() {
    JsonNode list =
        bots.isEmpty()
            ? api().get("/api/arbitrage/bots").get("bots")
            : Api.JSON.valueToTree(
                bots.stream().map(b -> api().get("/api/arbitrage/bots/" + b)).toList());
    if (json()) {
      printJson(list);
      return 0;
    }
    Table t = new Table("BOT", "STATUS", "DESIRED", "PROFIT_USD", "FOUND", "RESTARTS", "INFO");
    List<String> shortened = new java.util.ArrayList<>();
    for (JsonNode b : list) {
      String error = text(b.get("error_message"));
      String info = error != null ? "error: " + error : text(b.path("health").get("message"));
      if (StatusInfo.shortens(info)) {
        shortened.add(text(b.get("bot_id")));
      }
      info = StatusInfo.shorten(info) + schedule(b);
      t.row(
          text(b.get("bot_id")),
          text(b.get("status")),
          text(b.get("desired_state")),
          usd(b.get("total_profit")),
          text(b.get("opportunities_found")),
          text(b.get("restarts")),
          info);
    }
    t.print(out());
    if (!shortened.isEmpty()) {
      out()
          .println(
              "INFO shortened; in full: rehoboam --json status " + String.join(" ", shortened));
    }
    return 0;
  }

  /** A scheduled bot's next transition, for example {@code ; schedule: next start 2026-...Z}. */
  private static String schedule(JsonNode bot) {
    String start = text(bot.get("next_start"));
    String stop = text(bot.get("next_stop"));
    if (start == null && stop == null) {
      return "";
    }
    boolean running = "running".equals(text(bot.get("desired_state")));
    if (running && stop != null) {
      return "; schedule: next stop " + stop;
    }
    return start != null ? "; schedule: next start " + start : "; schedule: next stop " + stop;
  }
}
