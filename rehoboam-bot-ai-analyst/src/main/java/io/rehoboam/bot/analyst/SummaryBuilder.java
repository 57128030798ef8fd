package io.rehoboam.bot.analyst;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rehoboam.core.ArbitrageService;
import io.rehoboam.core.BotStatus;
import io.rehoboam.core.history.ExecutionQuery;
import io.rehoboam.core.history.PnlFigures;
import io.rehoboam.core.history.PnlQuery;
import io.rehoboam.core.history.TradeRecord;
import io.rehoboam.core.risk.RiskLimits;
import io.rehoboam.core.risk.RiskState;
import io.rehoboam.spi.BotContext;
import io.rehoboam.spi.SecretNames;
import io.rehoboam.spi.market.MarketSource;
import io.rehoboam.spi.market.SourceHealth;
import io.rehoboam.spi.trade.Opportunity;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The compact summary sent to the model (see the module README for its fields): market sources'
 * health and size, the opportunities seen since the last analysis and the most recent ones, and,
 * when the bot is bound to its service, recent executions, the last 24 hours' PnL, risk usage and
 * each bot's state with its numeric and boolean settings.
 *
 * <p>Never in it: keys, tokens, URLs, addresses (any {@code 0x} and 40 hex digits is masked, so
 * neither an operator's account nor any other address leaves the machine), string settings (which
 * may hold addresses, URLs or keys) and settings named like secrets.
 */
final class SummaryBuilder {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern ADDRESS = Pattern.compile("0x[0-9a-fA-F]{40}");
  private static final Pattern NUMBER_OR_DURATION =
      Pattern.compile("-?[0-9]+(\\.[0-9]+)?(ms|s|m|h|d)?");

  private SummaryBuilder() {}

  static String build(
      BotContext context,
      ArbitrageService service,
      OpportunityWindow window,
      int recent,
      List<String> secrets) {
    Instant now = context.clock().instant();
    ObjectNode root = JSON.createObjectNode();
    root.put("generated_at", now.toString());
    root.put("quote_currency", "USD");
    market(root.putObject("market"), context, window, recent);
    if (service != null) {
      executions(root.putArray("recent_executions"), service, recent);
      pnl(root.putObject("pnl_24h"), service, now);
      risk(root.putObject("risk"), service.riskState());
      bots(root.putArray("bots"), service, context.botId());
    }
    String text = ADDRESS.matcher(root.toString()).replaceAll("0x…");
    for (String secret : secrets) {
      if (secret != null && secret.length() >= 4) {
        text = text.replace(secret, "***");
      }
    }
    return text;
  }

  private static void market(
      ObjectNode market, BotContext context, OpportunityWindow window, int recent) {
    ArrayNode sources = market.putArray("sources");
    for (String id : context.marketSourceIds()) {
      ObjectNode s = sources.addObject();
      s.put("id", id);
      try {
        MarketSource source = context.marketSource(id);
        SourceHealth h = source.health();
        s.put("up", h.up());
        if (!h.up()) {
          s.put("problem", clip(h.message()));
        }
        s.put("tokens", source.tokens().size());
      } catch (RuntimeException e) {
        s.put("up", false);
        s.put("problem", "unavailable");
      }
    }
    OpportunityWindow.Snapshot w = window.drain();
    ObjectNode opp = market.putObject("opportunities_since_last_analysis");
    opp.put("count", w.count());
    opp.put("seconds", w.span().toSeconds());
    ObjectNode by = opp.putObject("by_strategy");
    new TreeMap<>(w.byStrategy()).forEach(by::put);
    if (w.bestNetProfitUsd() != null) {
      opp.put("best_net_profit_usd", w.bestNetProfitUsd());
    }
    ArrayNode list = market.putArray("recent_opportunities");
    List<Opportunity> last = w.recent();
    for (Opportunity o : last.subList(Math.max(0, last.size() - recent), last.size())) {
      ObjectNode n = list.addObject();
      n.put("strategy", o.strategy());
      n.put("hops", o.legs().size());
      if (o.netProfitUsd() != null) {
        n.put("net_profit_usd", o.netProfitUsd());
      }
      n.put("detected_at", o.detectedAt().toString());
    }
  }

  private static void executions(ArrayNode out, ArbitrageService service, int recent) {
    if (recent == 0) {
      return;
    }
    for (TradeRecord r :
        service
            .executions(new ExecutionQuery(null, null, null, null, null, null, recent))
            .executions()) {
      ObjectNode n = out.addObject();
      n.put("bot_id", r.botId());
      n.put("strategy", r.strategy());
      n.put("mode", r.mode() == null ? null : r.mode().name().toLowerCase(java.util.Locale.ROOT));
      n.put("status", r.status().name().toLowerCase(java.util.Locale.ROOT));
      if (r.realizedProfitUsd() != null) {
        n.put("realized_profit_usd", r.realizedProfitUsd());
      }
      if (r.reason() != null) {
        n.put("reason", clip(r.reason()));
      }
      n.put("started_at", r.startedAt().toString());
    }
  }

  private static void pnl(ObjectNode out, ArbitrageService service, Instant now) {
    PnlFigures f =
        service.pnl(new PnlQuery(null, null, now.minus(Duration.ofDays(1)), now, null)).totals();
    out.put("executions", f.executions());
    out.put("succeeded", f.succeeded());
    out.put("failed", f.failed());
    out.put("win_rate", f.winRate());
    out.put("realized_profit_usd", f.realizedProfitUsd());
    out.put("gas_cost_usd", f.gasCostUsd());
  }

  private static void risk(ObjectNode out, RiskState r) {
    RiskLimits l = r.limits();
    out.put("trades_last_minute", r.tradesLastMinute());
    putIf(out, "max_trades_per_minute", l.maxTradesPerMinute());
    out.put("loss_today_usd", r.lossToday());
    putIf(out, "daily_loss_limit_usd", l.dailyLossLimit());
    putIf(out, "max_trade_input", l.maxTradeInput());
    putIf(out, "min_net_profit", l.minNetProfit());
    out.put("kill_switch_tripped", r.killSwitch().tripped());
  }

  private static void bots(ArrayNode out, ArbitrageService service, String self) {
    for (BotStatus b : service.bots()) {
      if (b.botId().equals(self)) {
        continue;
      }
      ObjectNode n = out.addObject();
      n.put("id", b.botId());
      n.put("type", b.type());
      n.put("state", b.status().name().toLowerCase(java.util.Locale.ROOT));
      n.put("opportunities_found", b.opportunitiesFound());
      n.put("total_profit_usd", b.totalProfit());
      ObjectNode settings = n.putObject("settings");
      Map<String, Object> all;
      try {
        all = service.botSettings(b.botId());
      } catch (RuntimeException e) {
        continue;
      }
      new TreeMap<>(all)
          .forEach(
              (name, value) -> {
                if (SecretNames.looksSecret(name)) {
                  return;
                }
                if (value instanceof Number number) {
                  settings.put(name, new BigDecimal(number.toString()));
                } else if (value instanceof Boolean bool) {
                  settings.put(name, bool);
                } else if (value instanceof String s && NUMBER_OR_DURATION.matcher(s).matches()) {
                  settings.put(name, s);
                }
              });
    }
  }

  private static void putIf(ObjectNode out, String name, Object value) {
    if (value instanceof BigDecimal d) {
      out.put(name, d);
    } else if (value instanceof Integer i) {
      out.put(name, i);
    }
  }

  private static String clip(String s) {
    return s == null ? null : s.length() > 200 ? s.substring(0, 200) + "…" : s;
  }
}
