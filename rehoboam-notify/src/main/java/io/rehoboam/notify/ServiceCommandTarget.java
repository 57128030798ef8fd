package io.rehoboam.notify;

import io.rehoboam.core.ArbitrageService;
import io.rehoboam.core.BotStatus;
import io.rehoboam.core.history.PnlQuery;
import io.rehoboam.core.risk.RiskState;
import io.rehoboam.spi.RehoboamException;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/** The Telegram commands acting on an {@link ArbitrageService}. */
final class ServiceCommandTarget implements CommandTarget {
  private final ArbitrageService service;
  private final java.time.Clock clock;

  ServiceCommandTarget(ArbitrageService service, java.time.Clock clock) {
    this.service = service;
    this.clock = clock;
  }

  @Override
  public String status() {
    StringBuilder s = new StringBuilder("Bots:");
    for (BotStatus b : service.bots()) {
      s.append("\n")
          .append(b.botId())
          .append(": ")
          .append(b.status().name().toLowerCase(Locale.ROOT))
          .append(", profit ")
          .append(b.totalProfit().toPlainString())
          .append(" USD");
    }
    RiskState risk = service.riskState();
    s.append("\nKill switch: ")
        .append(
            risk.killSwitch().tripped() ? "TRIPPED (" + risk.killSwitch().reason() + ")" : "off")
        .append("; loss today ")
        .append(risk.lossToday().toPlainString())
        .append(" USD");
    return s.toString();
  }

  @Override
  public String pnl() {
    Instant now = clock.instant();
    return DailySummary.text(
        service.pnl(new PnlQuery(null, null, now.minus(Duration.ofDays(1)), now, null)));
  }

  @Override
  public String stop(String botId) {
    try {
      BotStatus s = service.stop(botId);
      return "bot " + s.botId() + " is " + s.status().name().toLowerCase(Locale.ROOT);
    } catch (RehoboamException e) {
      return "cannot stop " + botId + ": " + e.getMessage();
    }
  }

  @Override
  public String killSwitch(String by) {
    RiskState s = service.tripKillSwitch("tripped from Telegram", by);
    return "kill switch " + (s.killSwitch().tripped() ? "tripped" : "not tripped");
  }
}
