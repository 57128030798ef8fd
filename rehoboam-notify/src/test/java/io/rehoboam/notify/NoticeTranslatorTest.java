package io.rehoboam.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.spi.event.AnalysisEvent;
import io.rehoboam.spi.event.BotState;
import io.rehoboam.spi.event.BotStatusEvent;
import io.rehoboam.spi.event.ExecutionEvent;
import io.rehoboam.spi.event.RiskEvent;
import io.rehoboam.spi.event.SystemEvent;
import io.rehoboam.spi.trade.Execution;
import io.rehoboam.spi.trade.ExecutionMode;
import io.rehoboam.spi.trade.ExecutionStatus;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class NoticeTranslatorTest {
  private static final Instant AT = Instant.parse("2026-03-02T10:00:00Z");

  private static Execution execution(ExecutionStatus status, String reason) {
    return new Execution(
        "ex-1",
        "opp-1",
        ExecutionMode.PAPER,
        status,
        reason,
        List.of(),
        null,
        BigInteger.TEN,
        status == ExecutionStatus.SUBMITTED ? null : BigInteger.ONE,
        status == ExecutionStatus.SIMULATED ? new BigDecimal("1.250000") : null,
        AT,
        status.isTerminal() ? AT : null,
        List.of());
  }

  @Test
  void executions() {
    Notice ok =
        NoticeTranslator.translate(
                new ExecutionEvent(1, AT, "bot1", execution(ExecutionStatus.SIMULATED, null)))
            .orElseThrow();
    assertEquals(NoticeKind.EXECUTION_CONFIRMED, ok.kind());
    assertEquals(Severity.INFO, ok.severity());
    assertEquals("bot1: execution ex-1 simulated (paper), realized profit 1.250000 USD", ok.text());
    Notice failed =
        NoticeTranslator.translate(
                new ExecutionEvent(2, AT, null, execution(ExecutionStatus.FAILED, "slippage")))
            .orElseThrow();
    assertEquals(NoticeKind.EXECUTION_FAILED, failed.kind());
    assertEquals("api: execution ex-1 failed: slippage", failed.text());
    assertTrue(
        NoticeTranslator.translate(
                new ExecutionEvent(3, AT, "b", execution(ExecutionStatus.SUBMITTED, null)))
            .isEmpty(),
        "not finished yet");
  }

  @Test
  void botErrorsAndCrashLoops() {
    assertEquals(
        NoticeKind.CRASH_LOOP,
        NoticeTranslator.translate(
                new BotStatusEvent(
                    1,
                    AT,
                    "b",
                    BotState.BACKOFF,
                    BotState.ERROR,
                    "crash loop: 4 failures within 10 min (max_retries 3); last: exit 1"))
            .orElseThrow()
            .kind());
    Notice error =
        NoticeTranslator.translate(
                new BotStatusEvent(2, AT, "b", BotState.RUNNING, BotState.ERROR, "start failed"))
            .orElseThrow();
    assertEquals(NoticeKind.BOT_ERROR, error.kind());
    assertEquals(Severity.CRITICAL, error.severity());
    assertTrue(
        NoticeTranslator.translate(
                new BotStatusEvent(3, AT, "b", BotState.STARTING, BotState.RUNNING, ""))
            .isEmpty());
  }

  @Test
  void riskDecisions() {
    Notice trip =
        NoticeTranslator.translate(
                new RiskEvent(1, AT, null, "trip", "daily_loss_limit", null, "lost 100 (by risk)"))
            .orElseThrow();
    assertEquals(NoticeKind.KILL_SWITCH, trip.kind());
    assertEquals(Severity.CRITICAL, trip.severity());
    assertTrue(trip.text().contains("daily_loss_limit"));
    Notice limit =
        NoticeTranslator.translate(
                new RiskEvent(
                    2, AT, "b", "reject", "max_trades_per_minute", "opp-1", "5 trades this minute"))
            .orElseThrow();
    assertEquals(NoticeKind.RISK_LIMIT, limit.kind());
    assertEquals(
        "risk limit max_trades_per_minute reached (bot b): 5 trades this minute", limit.text());
    assertTrue(
        NoticeTranslator.translate(new RiskEvent(3, AT, "b", "allow", null, "opp-1", "ok"))
            .isEmpty());
    assertTrue(NoticeTranslator.translate(new SystemEvent(4, AT, "started", "x")).isEmpty());
  }

  @Test
  void anAnalysisBecomesOneLine() {
    Notice n =
        NoticeTranslator.translate(
                new AnalysisEvent(
                    5,
                    AT,
                    "analyst",
                    "deepseek-chat",
                    "volatile",
                    null,
                    List.of(new AnalysisEvent.Anomaly("spreads doubled", "medium")),
                    List.of(
                        new AnalysisEvent.SuggestedChange("t", "min_profit", 8, "why"),
                        new AnalysisEvent.SuggestedChange("t", "max_hops", 2, "why")),
                    List.of(),
                    100,
                    100))
            .orElseThrow();
    assertEquals(NoticeKind.ANALYSIS, n.kind());
    assertEquals(Severity.INFO, n.severity());
    assertEquals("analyst", n.botId());
    Notice rejected =
        NoticeTranslator.translate(
                new SystemEvent(6, AT, "analysis.rejected", "bot analyst: answer rejected"))
            .orElseThrow();
    assertEquals(NoticeKind.ANALYSIS, rejected.kind());
    assertEquals(Severity.WARNING, rejected.severity());
    assertEquals(
        "bot analyst: market regime volatile, 1 anomalies, 0 risk flags, 2 suggestions", n.text());
  }
}
