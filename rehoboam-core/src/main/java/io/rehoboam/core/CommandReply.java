package io.rehoboam.core;

import java.util.List;

/**
 * What a bot answered a command with: the log lines it wrote from the moment the command was sent
 * until the first of them arrived (plus any that came with it), or none when it wrote nothing
 * within the wait. A process bot's replies are its output lines; the layer2 bot's are its {@code
 * layer2.*} report lines.
 *
 * @param replied whether the bot wrote anything within the wait
 */
public record CommandReply(String botId, String command, boolean replied, List<String> reply) {
  public CommandReply {
    reply = List.copyOf(reply);
  }
}
