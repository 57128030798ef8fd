package io.rehoboam.bot.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.core.ArbitrageService;
import io.rehoboam.core.risk.RiskLimits;
import io.rehoboam.core.testing.CallJournal;
import io.rehoboam.spi.event.ExecutionEvent;
import io.rehoboam.spi.event.RiskEvent;
import io.rehoboam.spi.trade.ExecutionStatus;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A process bot that trades by itself and reports its executions: each status goes through the
 * engine's journal (written ahead of the first status), its risk policy (a realized loss trips the
 * daily loss limit) and the bot's counters, once.
 */
class ReportedExecutionsIT extends ProcessBotFixture {
  private final CallJournal journal = new CallJournal();

  @Override
  protected ArbitrageService.Builder configure(ArbitrageService.Builder builder) {
    return builder
        .journal(journal)
        .riskLimits(new RiskLimits(null, null, new BigDecimal("50"), null, false));
  }

  @Test
  void aReportedLossTripsTheDailyLossLimitAndEveryStatusIsJournalledOnce() {
    String id = newBotId("trader");
    register(id, onFailure(0), Map.of("command", python("reports_trades.py", "--lose")));
    service.start(id);

    ExecutionEvent failed =
        (ExecutionEvent)
            recorder.await(
                e ->
                    e instanceof ExecutionEvent x
                        && x.execution().id().equals("t-1")
                        && x.execution().status() == ExecutionStatus.FAILED);
    assertEquals(new BigDecimal("-60"), failed.execution().realizedProfitUsd());
    RiskEvent tripped =
        (RiskEvent)
            recorder.await(e -> e instanceof RiskEvent r && "daily_loss_limit".equals(r.limit()));
    assertTrue(service.risk().isTripped(), tripped.toString());
    // The bot logs after its last report: every report before it has been taken.
    recorder.awaitLog(id, "all reported");
    assertEquals(
        List.of("begin opp-t", "update opp-t SUBMITTED", "update opp-t FAILED"),
        journal.calls.stream().filter(c -> c.contains("opp-t")).toList());
    assertEquals(
        1,
        recorder.events().stream()
            .filter(
                e ->
                    e instanceof ExecutionEvent x
                        && x.execution().id().equals("t-1")
                        && x.execution().status() == ExecutionStatus.FAILED)
            .count(),
        "the repeated final status changes nothing");
    assertEquals(0, service.bot(id).totalProfit().signum());
    service.stop(id);
  }
}
