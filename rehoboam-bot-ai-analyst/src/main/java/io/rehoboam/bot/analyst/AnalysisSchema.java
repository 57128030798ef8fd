package io.rehoboam.bot.analyst;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The answer the model must give, checked strictly: a JSON object with exactly
 *
 * <pre>
 * {
 *   "market_regime": "calm" | "trending" | "volatile" | "illiquid" | "stressed" | "unknown",
 *   "summary": "one paragraph",                                   (optional)
 *   "anomalies": [{"description": "...", "severity": "low" | "medium" | "high"}],
 *   "suggested_changes": [{"bot_id": "...", "setting": "...", "value": number | string | boolean,
 *                          "reason": "..."}],
 *   "risk_flags": [{"flag": "...", "severity": "low" | "medium" | "high" | "critical",
 *                   "reason": "...", "trip_kill_switch": true | false (optional)}]
 * }
 * </pre>
 *
 * Lists hold at most {@value #MAX_ITEMS} items, texts at most {@value #MAX_TEXT} characters. Any
 * other shape is rejected with the path of the first problem.
 */
final class AnalysisSchema {
  static final int MAX_ITEMS = 20;
  static final int MAX_TEXT = 500;

  static final Set<String> REGIMES =
      Set.of("calm", "trending", "volatile", "illiquid", "stressed", "unknown");
  static final Set<String> LEVELS = Set.of("low", "medium", "high");
  static final Set<String> FLAG_LEVELS = Set.of("low", "medium", "high", "critical");

  /** The schema as told to the model (the system prompt quotes it). */
  static final String DESCRIPTION =
      "{\"market_regime\": one of calm|trending|volatile|illiquid|stressed|unknown,"
          + " \"summary\": string (optional),"
          + " \"anomalies\": [{\"description\": string, \"severity\": low|medium|high}],"
          + " \"suggested_changes\": [{\"bot_id\": string, \"setting\": string,"
          + " \"value\": number|string|boolean, \"reason\": string}],"
          + " \"risk_flags\": [{\"flag\": string, \"severity\": low|medium|high|critical,"
          + " \"reason\": string, \"trip_kill_switch\": boolean (optional)}]}";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Why an answer was refused. */
  static final class Rejected extends Exception {
    private static final long serialVersionUID = 1L;

    Rejected(String message) {
      super(message);
    }
  }

  private AnalysisSchema() {}

  /**
   * Parses and checks the model's answer text.
   *
   * @throws Rejected naming the first problem
   */
  static ObjectNode validate(String content) throws Rejected {
    if (content == null || content.isBlank()) {
      throw new Rejected("the answer is empty");
    }
    String text = content.strip();
    if (text.startsWith("```")) {
      int open = text.indexOf('\n');
      int close = text.lastIndexOf("```");
      if (open < 0 || close <= open) {
        throw new Rejected("the answer is not JSON");
      }
      text = text.substring(open + 1, close).strip();
    }
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (java.io.IOException e) {
      throw new Rejected("the answer is not JSON");
    }
    if (root == null || !root.isObject()) {
      throw new Rejected("the answer is not a JSON object");
    }
    allowedFields(
        root,
        "",
        List.of("market_regime", "summary", "anomalies", "suggested_changes", "risk_flags"));
    oneOf(root, "market_regime", REGIMES, "");
    if (root.has("summary")) {
      text(root, "summary", "");
    }
    for (JsonNode a : list(root, "anomalies")) {
      String at = "anomalies[]";
      allowedFields(a, at, List.of("description", "severity"));
      text(a, "description", at);
      oneOf(a, "severity", LEVELS, at);
    }
    for (JsonNode c : list(root, "suggested_changes")) {
      String at = "suggested_changes[]";
      allowedFields(c, at, List.of("bot_id", "setting", "value", "reason"));
      text(c, "bot_id", at);
      text(c, "setting", at);
      text(c, "reason", at);
      JsonNode v = c.get("value");
      if (v == null
          || !(v.isNumber()
              || v.isBoolean()
              || (v.isTextual() && v.asText().length() <= MAX_TEXT))) {
        throw new Rejected(at + ".value: expected a number, string or boolean");
      }
    }
    for (JsonNode f : list(root, "risk_flags")) {
      String at = "risk_flags[]";
      allowedFields(f, at, List.of("flag", "severity", "reason", "trip_kill_switch"));
      text(f, "flag", at);
      oneOf(f, "severity", FLAG_LEVELS, at);
      text(f, "reason", at);
      if (f.has("trip_kill_switch") && !f.get("trip_kill_switch").isBoolean()) {
        throw new Rejected(at + ".trip_kill_switch: expected a boolean");
      }
    }
    return (ObjectNode) root;
  }

  private static void allowedFields(JsonNode node, String at, List<String> allowed)
      throws Rejected {
    if (!node.isObject()) {
      throw new Rejected((at.isEmpty() ? "the answer" : at) + ": expected an object");
    }
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String n = names.next();
      if (!allowed.contains(n)) {
        throw new Rejected(prefix(at) + n + ": not part of the schema");
      }
    }
  }

  private static Iterable<JsonNode> list(JsonNode root, String field) throws Rejected {
    JsonNode n = root.get(field);
    if (n == null || !n.isArray()) {
      throw new Rejected(field + ": expected a list");
    }
    if (n.size() > MAX_ITEMS) {
      throw new Rejected(field + ": at most " + MAX_ITEMS + " items, was " + n.size());
    }
    return n;
  }

  private static void text(JsonNode node, String field, String at) throws Rejected {
    JsonNode n = node.get(field);
    if (n == null || !n.isTextual() || n.asText().isBlank()) {
      throw new Rejected(prefix(at) + field + ": expected a non-empty string");
    }
    if (n.asText().length() > MAX_TEXT) {
      throw new Rejected(prefix(at) + field + ": longer than " + MAX_TEXT + " characters");
    }
  }

  private static void oneOf(JsonNode node, String field, Set<String> allowed, String at)
      throws Rejected {
    JsonNode n = node.get(field);
    if (n == null || !n.isTextual() || !allowed.contains(n.asText())) {
      throw new Rejected(
          prefix(at)
              + field
              + ": expected one of "
              + String.join("|", allowed.stream().sorted().toList())
              + (n == null ? " (missing)" : ", was " + abbreviate(n.toString())));
    }
  }

  private static String prefix(String at) {
    return at.isEmpty() ? "" : at + ".";
  }

  private static String abbreviate(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "…" : s;
  }
}
