package io.rehoboam.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "settings",
    description =
        "A bot's settings (secrets shown as ***). With --set: changes them (validated first, kept"
            + " across restarts; a running bot is restarted with them).")
final class SettingsCommand extends ApiCommand {
  @Parameters(paramLabel = "BOT", description = "A bot id")
  String bot;

  @Option(
      names = "--set",
      paramLabel = "NAME=VALUE",
      description = "A setting to change (repeatable); VALUE is read as JSON, else as text")
  Map<String, String> changes;

  @Override
  public Integer call() {
    String path = "/api/arbitrage/bots/" + bot;
    if (changes == null || changes.isEmpty()) {
      JsonNode status = api().get(path);
      if (json()) {
        printJson(status);
        return 0;
      }
      print(status.get("settings"), status.get("run_overrides"));
      return 0;
    }
    ObjectNode body = Api.object();
    ObjectNode settings = body.putObject("settings");
    changes.forEach((k, v) -> settings.set(k, StartCommand.value(v)));
    JsonNode changed = api().post(path + "/settings", body);
    if (json()) {
      printJson(changed);
      return 0;
    }
    out()
        .println(
            text(changed.get("bot_id"))
                + ": settings "
                + String.join(", ", new java.util.TreeSet<>(changes.keySet()))
                + " changed ("
                + text(changed.get("applied"))
                + "); "
                + text(changed.path("status").get("status")));
    print(changed.get("settings"), null);
    return 0;
  }

  /** NAME VALUE, and the value of this run where a start override replaced it. */
  private void print(JsonNode settings, JsonNode runOverrides) {
    boolean overridden = runOverrides != null && runOverrides.size() > 0;
    Table t =
        overridden ? new Table("SETTING", "VALUE", "THIS_RUN") : new Table("SETTING", "VALUE");
    settings
        .fields()
        .forEachRemaining(
            e -> {
              JsonNode run = overridden ? runOverrides.get(e.getKey()) : null;
              t.row(e.getKey(), show(e.getValue()), run == null ? null : show(run));
            });
    t.print(out());
  }

  /** Text as it is, anything else as JSON. */
  private static String show(JsonNode value) {
    return value == null || value.isNull()
        ? "null"
        : value.isTextual() ? value.asText() : value.toString();
  }
}
