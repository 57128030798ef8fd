package io.rehoboam.cli;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "stop", description = "Stops bots (idempotent); they stay stopped across restarts.")
final class StopCommand extends ApiCommand {
  @Parameters(paramLabel = "BOT", arity = "1..*", description = "Bot ids")
  List<String> bots;

  @Override
  public Integer call() {
    for (String bot : bots) {
      report(api().post("/api/arbitrage/bots/" + bot + "/stop", null));
    }
    return 0;
  }
}
