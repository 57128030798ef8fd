package io.rehoboam.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "command",
    description =
        "Sends a command to a running bot (a process bot, layer2_arbitrage) and prints its reply:"
            + " the lines it writes back within --wait.")
final class CommandCommand extends ApiCommand {
  @Parameters(index = "0", paramLabel = "BOT", description = "A bot id")
  String bot;

  @Parameters(index = "1", paramLabel = "CMD", description = "The command, e.g. ping, inventory")
  String command;

  @Parameters(
      index = "2..*",
      paramLabel = "NAME=VALUE",
      description = "The command's payload; VALUE is read as JSON, else as text")
  List<String> args;

  @Option(
      names = "--wait",
      paramLabel = "MS",
      defaultValue = "2000",
      description = "How long to wait for the reply, 0..30000 ms (default ${DEFAULT-VALUE})")
  long waitMs;

  @Override
  public Integer call() {
    ObjectNode body = Api.object();
    body.put("type", command);
    ObjectNode payload = body.putObject("payload");
    for (String arg : args == null ? List.<String>of() : args) {
      int eq = arg.indexOf('=');
      if (eq <= 0) {
        throw new Rehoboam.BadArgument(
            "payload: expected NAME=VALUE but was '" + arg + "' (e.g. asset=WETH)");
      }
      payload.set(arg.substring(0, eq), StartCommand.value(arg.substring(eq + 1)));
    }
    body.put("wait_ms", waitMs);
    JsonNode reply = api().post("/api/arbitrage/bots/" + bot + "/command", body);
    if (json()) {
      printJson(reply);
      return 0;
    }
    if (!reply.path("replied").asBoolean()) {
      out().println(bot + ": sent " + command + "; no reply within " + waitMs + " ms");
      return 0;
    }
    reply.path("reply").forEach(line -> out().println(line.asText()));
    return 0;
  }
}
