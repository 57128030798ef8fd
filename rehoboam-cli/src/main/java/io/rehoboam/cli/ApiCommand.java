package io.rehoboam.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What every subcommand shares: the root's options, the client, and printing. */
abstract class ApiCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  /** The top command: its options and output. */
  Rehoboam root() {
    return (Rehoboam) spec.root().userObject();
  }

  Api api() {
    return root().api();
  }

  PrintWriter out() {
    return root().out;
  }

  boolean json() {
    return root().json;
  }

  /** Prints a bot's status after a command: {@code bot: state (error)}. */
  void report(JsonNode status) {
    if (json()) {
      printJson(status);
      return;
    }
    String error = text(status.get("error_message"));
    out()
        .println(
            text(status.get("bot_id"))
                + ": "
                + text(status.get("status"))
                + (error == null ? "" : " (" + error + ")"));
  }

  /** Prints the JSON as the server sent it (indented). */
  void printJson(JsonNode node) {
    try {
      out().println(Api.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      out().println(node.toString());
    }
  }

  static String text(JsonNode n) {
    return n == null || n.isNull() || n.isMissingNode() ? null : n.asText();
  }

  /** A USD value with two decimals, or "-" when unknown. */
  static String usd(JsonNode n) {
    if (n == null || n.isNull() || n.isMissingNode()) {
      return null;
    }
    return new BigDecimal(n.asText()).setScale(2, RoundingMode.HALF_EVEN).toPlainString();
  }

  /**
   * {@code 1h}, {@code 30m}, {@code 2d}, {@code 45s} ago, or an ISO-8601 instant; null stays null.
   */
  static String since(String text) {
    if (text == null) {
      return null;
    }
    String t = text.trim();
    try {
      return Instant.parse(t).toString();
    } catch (java.time.format.DateTimeParseException e) {
      // a duration
    }
    if (t.length() >= 2) {
      char unit = t.charAt(t.length() - 1);
      try {
        long n = Long.parseLong(t.substring(0, t.length() - 1));
        Duration d =
            switch (unit) {
              case 's' -> Duration.ofSeconds(n);
              case 'm' -> Duration.ofMinutes(n);
              case 'h' -> Duration.ofHours(n);
              case 'd' -> Duration.ofDays(n);
              default -> null;
            };
        if (d != null && n >= 0) {
          return Instant.now().minus(d).toString();
        }
      } catch (NumberFormatException e) {
        // reported below
      }
    }
    throw new Rehoboam.BadArgument(
        "--since: expected a duration such as 30m, 1h, 2d or an ISO-8601 instant but was '"
            + text
            + "'");
  }
}
