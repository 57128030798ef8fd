package io.rehoboam.cli;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "restart", description = "Stops then starts bots, with their registered settings.")
final class RestartCommand extends ApiCommand {
  @Parameters(paramLabel = "BOT", arity = "1..*", description = "Bot ids")
  List<String> bots;

  @Override
  public Integer call() {
    for (String bot : bots) {
      api().post("/api/arbitrage/bots/" + bot + "/stop", null);
      report(api().post("/api/arbitrage/bots/" + bot + "/start", null));
    }
    return 0;
  }
}
