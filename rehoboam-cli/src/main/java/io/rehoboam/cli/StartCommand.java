package io.rehoboam.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "start",
    description =
        "Starts bots (idempotent). --set overrides settings for this run only; a running bot is"
            + " restarted with them.")
final class StartCommand extends ApiCommand {
  @Parameters(paramLabel = "BOT", arity = "1..*", description = "Bot ids")
  List<String> bots;

  @Option(
      names = "--set",
      paramLabel = "NAME=VALUE",
      description = "A setting for this run (repeatable); VALUE is read as JSON, else as text")
  Map<String, String> settings;

  @Override
  public Integer call() {
    ObjectNode body = null;
    if (settings != null && !settings.isEmpty()) {
      body = Api.object();
      ObjectNode s = body.putObject("settings");
      settings.forEach((k, v) -> s.set(k, value(v)));
    }
    for (String bot : bots) {
      report(api().post("/api/arbitrage/bots/" + bot + "/start", body));
    }
    return 0;
  }

  /** {@code 5} is a number, {@code [a,b]} a list, {@code true} a boolean; anything else text. */
  static JsonNode value(String text) {
    try {
      return Api.JSON.readTree(text);
    } catch (java.io.IOException | RuntimeException e) {
      return Api.JSON.getNodeFactory().textNode(text);
    }
  }
}
