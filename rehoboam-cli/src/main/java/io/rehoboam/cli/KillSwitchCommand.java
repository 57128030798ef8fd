package io.rehoboam.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "kill-switch",
    description = "trip: refuse every execution until reset (kept across restarts); reset: resume.")
final class KillSwitchCommand extends ApiCommand {
  enum Action {
    trip,
    reset
  }

  @Parameters(paramLabel = "trip|reset", description = "trip or reset")
  Action action;

  @Option(names = "--reason", description = "Why, for the record")
  String reason;

  @Override
  public Integer call() {
    ObjectNode body = Api.object();
    if (reason != null) {
      body.put("reason", reason);
    }
    RiskCommand.print(this, api().post("/api/arbitrage/risk/kill-switch/" + action, body));
    return 0;
  }
}
