package io.rehoboam.journal.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rehoboam.core.risk.KillSwitch;
import io.rehoboam.core.risk.RiskControl;
import io.rehoboam.core.risk.RiskLimits;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import java.math.BigDecimal;
import java.time.Instant;

/** The journal's JSON form of the run-time risk controls. */
public final class RiskControls {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private RiskControls() {}

  public static String toJson(RiskControl c) {
    ObjectNode n = MAPPER.createObjectNode();
    if (c.limits() != null) {
      ObjectNode l = n.putObject("limits");
      RiskLimits r = c.limits();
      l.put("max_trade_input", text(r.maxTradeInput()));
      if (r.maxTradesPerMinute() == null) {
        l.putNull("max_trades_per_minute");
      } else {
        l.put("max_trades_per_minute", r.maxTradesPerMinute());
      }
      l.put("daily_loss_limit", text(r.dailyLossLimit()));
      l.put("min_net_profit", text(r.minNetProfit()));
      n.put("limits_changed_by", c.limitsChangedBy());
      n.put("limits_changed_at", text(c.limitsChangedAt()));
    }
    if (c.killSwitch() != null) {
      KillSwitch k = c.killSwitch();
      ObjectNode ks = n.putObject("kill_switch");
      ks.put("tripped", k.tripped());
      ks.put("limit", k.limit());
      ks.put("reason", k.reason());
      ks.put("by", k.by());
      ks.put("at", text(k.at()));
      ks.put("reset_by", k.resetBy());
      ks.put("reset_at", text(k.resetAt()));
    }
    return n.toString();
  }

  public static RiskControl fromJson(String json) {
    try {
      JsonNode n = MAPPER.readTree(json);
      RiskLimits limits = null;
      JsonNode l = n.get("limits");
      if (l != null && l.isObject()) {
        JsonNode perMinute = l.get("max_trades_per_minute");
        limits =
            new RiskLimits(
                decimal(l.get("max_trade_input")),
                perMinute == null || perMinute.isNull() ? null : perMinute.asInt(),
                decimal(l.get("daily_loss_limit")),
                decimal(l.get("min_net_profit")),
                false);
      }
      KillSwitch killSwitch = null;
      JsonNode k = n.get("kill_switch");
      if (k != null && k.isObject()) {
        killSwitch =
            new KillSwitch(
                k.path("tripped").asBoolean(),
                text(k.get("limit")),
                text(k.get("reason")),
                text(k.get("by")),
                instant(k.get("at")),
                text(k.get("reset_by")),
                instant(k.get("reset_at")));
      }
      return new RiskControl(
          limits,
          text(n.get("limits_changed_by")),
          instant(n.get("limits_changed_at")),
          killSwitch);
    } catch (java.io.IOException | RuntimeException e) {
      throw new RehoboamException(
          ErrorCode.INVALID_CONFIG, "journal: unreadable risk controls: " + e.getMessage(), e);
    }
  }

  private static String text(Object v) {
    return v == null ? null : v instanceof BigDecimal d ? d.toPlainString() : v.toString();
  }

  private static String text(JsonNode n) {
    return n == null || n.isNull() ? null : n.asText();
  }

  private static BigDecimal decimal(JsonNode n) {
    return n == null || n.isNull() ? null : new BigDecimal(n.asText());
  }

  private static Instant instant(JsonNode n) {
    return n == null || n.isNull() ? null : Instant.parse(n.asText());
  }
}
