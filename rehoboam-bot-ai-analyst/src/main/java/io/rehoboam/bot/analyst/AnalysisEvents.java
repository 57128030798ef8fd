package io.rehoboam.bot.analyst;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rehoboam.spi.event.AnalysisEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A validated answer ({@link AnalysisSchema}) as the {@code analysis} event it is published as. */
final class AnalysisEvents {
  private AnalysisEvents() {}

  /** The event, its seq 0 until the service publishes it. */
  static AnalysisEvent of(
      String botId,
      Instant at,
      String model,
      ObjectNode analysis,
      long tokensUsed,
      long tokensUsedToday) {
    List<AnalysisEvent.Anomaly> anomalies = new ArrayList<>();
    for (JsonNode a : analysis.path("anomalies")) {
      anomalies.add(
          new AnalysisEvent.Anomaly(a.path("description").asText(), a.path("severity").asText()));
    }
    List<AnalysisEvent.SuggestedChange> changes = new ArrayList<>();
    for (JsonNode c : analysis.path("suggested_changes")) {
      changes.add(
          new AnalysisEvent.SuggestedChange(
              c.path("bot_id").asText(),
              c.path("setting").asText(),
              value(c.get("value")),
              c.path("reason").asText()));
    }
    List<AnalysisEvent.RiskFlag> flags = new ArrayList<>();
    for (JsonNode f : analysis.path("risk_flags")) {
      flags.add(
          new AnalysisEvent.RiskFlag(
              f.path("flag").asText(),
              f.path("severity").asText(),
              f.path("reason").asText(),
              f.path("trip_kill_switch").asBoolean(false)));
    }
    JsonNode summary = analysis.get("summary");
    return new AnalysisEvent(
        0,
        at,
        botId,
        model,
        analysis.path("market_regime").asText(),
        summary == null ? null : summary.asText(),
        anomalies,
        changes,
        flags,
        Math.max(0, tokensUsed),
        Math.max(0, tokensUsedToday));
  }

  /** A number (exact, as the model wrote it), text or boolean, as the schema allows. */
  private static Object value(JsonNode v) {
    if (v.isBoolean()) {
      return v.booleanValue();
    }
    if (v.isNumber()) { // a decimal: written as a JSON number, exactly
      return v.decimalValue();
    }
    return v.asText();
  }
}
