package io.rehoboam.core.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rehoboam.spi.trade.Leg;
import io.rehoboam.spi.trade.Opportunity;
import java.math.BigInteger;
import java.time.Instant;

/** An opportunity as the data contract's JSON (snake_case, amounts as decimal strings). */
final class OpportunityJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private OpportunityJson() {}

  static String of(Opportunity o) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("id", o.id());
    n.put("strategy", o.strategy());
    n.put("source_bot", o.sourceBot());
    n.put("start_token", o.startToken());
    n.put("amount_in", amount(o.amountIn()));
    n.put("amount_out", amount(o.amountOut()));
    n.put("profit", amount(o.profit()));
    n.put("gas_cost", amount(o.gasCost()));
    n.put("net_profit", amount(o.netProfit()));
    n.put("profit_usd", o.profitUsd());
    n.put("net_profit_usd", o.netProfitUsd());
    n.put("block_number", o.blockNumber());
    n.put("detected_at", time(o.detectedAt()));
    n.put("expires_at", time(o.expiresAt()));
    ArrayNode legs = n.putArray("legs");
    for (Leg l : o.legs()) {
      ObjectNode leg = legs.addObject();
      leg.put("chain_id", l.chainId());
      leg.put("dex", l.dex());
      leg.put("pool_id", l.poolId());
      leg.put("token_in", l.tokenIn());
      leg.put("token_out", l.tokenOut());
      leg.put("amount_in", amount(l.amountIn()));
      leg.put("amount_out", amount(l.amountOut()));
    }
    return n.toString();
  }

  /**
   * The quote value of {@code amount} of an opportunity's start token, from the opportunity's own
   * profit and its quote value as journalled; null when the JSON has no quote value.
   */
  static java.math.BigDecimal quoteValue(String json, BigInteger amount) {
    try {
      com.fasterxml.jackson.databind.JsonNode n =
          MAPPER
              .reader()
              .with(
                  com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
              .readTree(json);
      com.fasterxml.jackson.databind.JsonNode usd = n.path("profit_usd");
      String profit = n.path("profit").asText(null);
      if (usd.isMissingNode() || usd.isNull() || profit == null) {
        return null;
      }
      BigInteger p = new BigInteger(profit);
      if (p.signum() == 0) {
        return null;
      }
      return usd.decimalValue()
          .multiply(new java.math.BigDecimal(amount))
          .divide(new java.math.BigDecimal(p), java.math.MathContext.DECIMAL64)
          .stripTrailingZeros();
    } catch (com.fasterxml.jackson.core.JsonProcessingException | RuntimeException e) {
      return null;
    }
  }

  private static String amount(BigInteger v) {
    return v == null ? null : v.toString();
  }

  private static String time(Instant t) {
    return t == null ? null : t.toString();
  }
}
