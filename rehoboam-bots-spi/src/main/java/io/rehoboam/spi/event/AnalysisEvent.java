package io.rehoboam.spi.event;

import io.rehoboam.spi.Checks;
import java.time.Instant;
import java.util.List;

/**
 * A market analysis an advisor bot (type {@code ai_analyst}) published ({@code analysis}): the
 * market regime, anomalies, suggested setting changes with their reasons and risk flags, as the
 * model answered them after validation, with the model and the tokens it cost. Advice only: nothing
 * in it is applied without an operator.
 *
 * @param model the chat model that answered
 * @param marketRegime {@code calm}, {@code trending}, {@code volatile}, {@code illiquid}, {@code
 *     stressed} or {@code unknown}
 * @param summary one paragraph, or null
 * @param tokensUsed the tokens this analysis cost (as the API reported them, else estimated)
 * @param tokensUsedToday the tokens the bot used this UTC day, this analysis included
 */
public record AnalysisEvent(
    long seq,
    Instant at,
    String botId,
    String model,
    String marketRegime,
    String summary,
    List<Anomaly> anomalies,
    List<SuggestedChange> suggestedChanges,
    List<RiskFlag> riskFlags,
    long tokensUsed,
    long tokensUsedToday)
    implements Event {
  public static final String TYPE = "analysis";

  /** Something unusual the model noticed; severity {@code low}, {@code medium} or {@code high}. */
  public record Anomaly(String description, String severity) {
    public Anomaly {
      Checks.notBlank(description, "description");
      Checks.notBlank(severity, "severity");
    }
  }

  /**
   * A setting change the model suggests, never applied by itself.
   *
   * @param value a number, text or boolean
   */
  public record SuggestedChange(String botId, String setting, Object value, String reason) {
    public SuggestedChange {
      Checks.notBlank(botId, "bot_id");
      Checks.notBlank(setting, "setting");
      Checks.notNull(value, "value");
      Checks.notBlank(reason, "reason");
    }
  }

  /**
   * A risk the model flags; severity {@code low}, {@code medium}, {@code high} or {@code critical}.
   *
   * @param tripKillSwitch whether the model asks for the kill switch (only acted on when the bot
   *     allows it)
   */
  public record RiskFlag(String flag, String severity, String reason, boolean tripKillSwitch) {
    public RiskFlag {
      Checks.notBlank(flag, "flag");
      Checks.notBlank(severity, "severity");
      Checks.notBlank(reason, "reason");
    }
  }

  public AnalysisEvent {
    Checks.notNull(at, "at");
    Checks.notBlank(botId, "bot_id");
    Checks.notBlank(model, "model");
    Checks.notBlank(marketRegime, "market_regime");
    anomalies = List.copyOf(Checks.notNull(anomalies, "anomalies"));
    suggestedChanges = List.copyOf(Checks.notNull(suggestedChanges, "suggested_changes"));
    riskFlags = List.copyOf(Checks.notNull(riskFlags, "risk_flags"));
    Checks.nonNegative(tokensUsed, "tokens_used");
    Checks.nonNegative(tokensUsedToday, "tokens_used_today");
  }

  /** This analysis with the sequence number and time its publication gives it. */
  public AnalysisEvent sequenced(long seq, Instant at) {
    return new AnalysisEvent(
        seq,
        at,
        botId,
        model,
        marketRegime,
        summary,
        anomalies,
        suggestedChanges,
        riskFlags,
        tokensUsed,
        tokensUsedToday);
  }

  @Override
  public String type() {
    return TYPE;
  }
}
