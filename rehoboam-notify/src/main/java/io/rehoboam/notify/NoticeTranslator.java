package io.rehoboam.notify;

import io.rehoboam.spi.event.AnalysisEvent;
import io.rehoboam.spi.event.BotState;
import io.rehoboam.spi.event.BotStatusEvent;
import io.rehoboam.spi.event.Event;
import io.rehoboam.spi.event.ExecutionEvent;
import io.rehoboam.spi.event.RiskEvent;
import io.rehoboam.spi.event.SystemEvent;
import io.rehoboam.spi.trade.Execution;
import java.util.Optional;

/**
 * Turns service events into notices: a finished execution ({@code execution_confirmed} for
 * confirmed and simulated, {@code execution_failed} for failed and reverted), a bot entering error
 * ({@code crash_loop} when the restart policy gave up, else {@code bot_error}), the kill switch
 * tripped or reset ({@code kill_switch}), a risk limit refusing an action ({@code risk_limit}) and
 * an {@code ai_analyst}'s analysis event or rejected answer (system event {@code
 * analysis.rejected}) ({@code analysis}, info or warning). Other events make none.
 */
final class NoticeTranslator {
  /** The system event kind of a model answer that was rejected. */
  static final String REJECTED_KIND = "analysis.rejected";

  private NoticeTranslator() {}

  static Optional<Notice> translate(Event event) {
    if (event instanceof ExecutionEvent e) {
      return execution(e);
    }
    if (event instanceof BotStatusEvent s && s.to() == BotState.ERROR) {
      boolean loop = s.reason().startsWith("crash loop");
      return Optional.of(
          new Notice(
              loop ? NoticeKind.CRASH_LOOP : NoticeKind.BOT_ERROR,
              Severity.CRITICAL,
              s.at(),
              s.botId(),
              "bot " + s.botId() + " entered error: " + s.reason()));
    }
    if (event instanceof RiskEvent r) {
      return risk(r);
    }
    if (event instanceof AnalysisEvent a) {
      return Optional.of(
          new Notice(NoticeKind.ANALYSIS, Severity.INFO, a.at(), a.botId(), analysisLine(a)));
    }
    if (event instanceof SystemEvent s && REJECTED_KIND.equals(s.kind())) {
      return Optional.of(
          new Notice(NoticeKind.ANALYSIS, Severity.WARNING, s.at(), null, s.message()));
    }
    return Optional.empty();
  }

  private static Optional<Notice> execution(ExecutionEvent e) {
    Execution x = e.execution();
    String who = e.botId() == null ? "api" : e.botId();
    String profit =
        x.realizedProfitUsd() == null
            ? ""
            : ", realized profit " + x.realizedProfitUsd().toPlainString() + " USD";
    return switch (x.status()) {
      case CONFIRMED, SIMULATED ->
          Optional.of(
              new Notice(
                  NoticeKind.EXECUTION_CONFIRMED,
                  Severity.INFO,
                  e.at(),
                  e.botId(),
                  who
                      + ": execution "
                      + x.id()
                      + " "
                      + x.status().name().toLowerCase(java.util.Locale.ROOT)
                      + " ("
                      + x.mode().name().toLowerCase(java.util.Locale.ROOT)
                      + ")"
                      + profit));
      case FAILED, REVERTED ->
          Optional.of(
              new Notice(
                  NoticeKind.EXECUTION_FAILED,
                  Severity.WARNING,
                  e.at(),
                  e.botId(),
                  who
                      + ": execution "
                      + x.id()
                      + " "
                      + x.status().name().toLowerCase(java.util.Locale.ROOT)
                      + (x.reason() == null ? "" : ": " + x.reason())));
      default -> Optional.empty();
    };
  }

  private static Optional<Notice> risk(RiskEvent r) {
    switch (r.decision()) {
      case "trip":
        return Optional.of(
            new Notice(
                NoticeKind.KILL_SWITCH,
                Severity.CRITICAL,
                r.at(),
                r.botId(),
                "kill switch tripped"
                    + (r.limit() == null ? "" : " by " + r.limit())
                    + ": "
                    + r.message()));
      case "reset":
        return Optional.of(
            new Notice(
                NoticeKind.KILL_SWITCH,
                Severity.WARNING,
                r.at(),
                r.botId(),
                "kill switch reset: " + r.message()));
      case "reject":
        if (r.limit() == null) {
          return Optional.empty();
        }
        return Optional.of(
            new Notice(
                NoticeKind.RISK_LIMIT,
                Severity.WARNING,
                r.at(),
                r.botId(),
                "risk limit "
                    + r.limit()
                    + " reached"
                    + (r.botId() == null ? "" : " (bot " + r.botId() + ")")
                    + ": "
                    + r.message()));
      default:
        return Optional.empty();
    }
  }

  private static String analysisLine(AnalysisEvent a) {
    return "bot "
        + a.botId()
        + ": market regime "
        + a.marketRegime()
        + ", "
        + a.anomalies().size()
        + " anomalies, "
        + a.riskFlags().size()
        + " risk flags, "
        + a.suggestedChanges().size()
        + " suggestions";
  }
}
