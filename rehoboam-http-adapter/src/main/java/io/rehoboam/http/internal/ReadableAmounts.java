package io.rehoboam.http.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rehoboam.core.ArbitrageService;
import io.rehoboam.core.history.TradeRecord;
import io.rehoboam.spi.market.Token;
import io.rehoboam.spi.trade.Opportunity;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Puts readable money beside base units: each token's symbol and each amount in whole tokens (a
 * decimal string, exact) where a market source of the service knows the token; null where none
 * does. The base-unit fields stay as they are.
 */
final class ReadableAmounts {
  private static final long REFRESH_NANOS = 10_000_000_000L;

  private final ArbitrageService service;
  private volatile Map<String, Token> byChainAndAddress = Map.of();
  private volatile Map<String, Token> byAddress = Map.of();
  private volatile long refreshedAt = Long.MIN_VALUE / 2;

  ReadableAmounts(ArbitrageService service) {
    this.service = service;
  }

  List<JsonNode> opportunities(List<Opportunity> opportunities) {
    return opportunities.stream().map(o -> (JsonNode) opportunity(o)).toList();
  }

  ObjectNode opportunity(Opportunity o) {
    ObjectNode n = Json.mapper().valueToTree(o);
    long chain = o.legs().get(0).chainId();
    Token start = token(chain, o.startToken());
    n.put("start_token_symbol", start == null ? null : start.symbol());
    for (String field : List.of("amount_in", "amount_out", "profit", "gas_cost", "net_profit")) {
      n.put(field + "_decimal", decimal(start, n.path(field).asText(null)));
    }
    legs(n.withArray("legs"));
    return n;
  }

  List<JsonNode> executions(List<TradeRecord> records) {
    return records.stream().map(r -> (JsonNode) execution(r)).toList();
  }

  ObjectNode execution(TradeRecord r) {
    ObjectNode n = Json.mapper().valueToTree(r);
    long chain = r.legs().isEmpty() ? -1 : r.legs().get(0).chainId();
    Token start = token(chain, r.startToken());
    n.put("start_token_symbol", start == null ? null : start.symbol());
    for (String field : List.of("amount_in", "expected_profit", "realized_profit")) {
      n.put(field + "_decimal", decimal(start, n.path(field).asText(null)));
    }
    legs(n.withArray("legs"));
    return n;
  }

  private void legs(ArrayNode legs) {
    for (JsonNode leg : legs) {
      ObjectNode l = (ObjectNode) leg;
      long chain = l.path("chain_id").asLong();
      Token in = token(chain, l.path("token_in").asText());
      Token out = token(chain, l.path("token_out").asText());
      l.put("token_in_symbol", in == null ? null : in.symbol());
      l.put("token_out_symbol", out == null ? null : out.symbol());
      l.put("amount_in_decimal", decimal(in, l.path("amount_in").asText(null)));
      l.put("amount_out_decimal", decimal(out, l.path("amount_out").asText(null)));
    }
  }

  private static String decimal(Token token, String baseUnits) {
    if (token == null || baseUnits == null || baseUnits.equals("null")) {
      return null;
    }
    try {
      BigDecimal whole = new BigDecimal(new BigInteger(baseUnits), token.decimals());
      return whole.signum() == 0 ? "0" : whole.stripTrailingZeros().toPlainString();
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** The token, by chain and address, else by address on any chain; null when unknown. */
  private Token token(long chainId, String address) {
    if (address == null) {
      return null;
    }
    Token t = lookup(chainId, address);
    if (t == null && System.nanoTime() - refreshedAt > REFRESH_NANOS) {
      refresh(); // sources learn tokens as they go; look again at most every 10 s
      t = lookup(chainId, address);
    }
    return t;
  }

  private Token lookup(long chainId, String address) {
    String a = address.toLowerCase(java.util.Locale.ROOT);
    Token t = byChainAndAddress.get(chainId + ":" + a);
    return t != null ? t : byAddress.get(a);
  }

  private synchronized void refresh() {
    Map<String, Token> chained = new HashMap<>();
    Map<String, Token> plain = new HashMap<>();
    for (String id : service.marketSourceIds()) {
      try {
        for (Token t : service.marketSource(id).tokens().values()) {
          chained.putIfAbsent(t.chainId() + ":" + t.address(), t);
          plain.putIfAbsent(t.address(), t);
        }
      } catch (RuntimeException e) {
        // a source that cannot list its tokens now adds none
      }
    }
    byChainAndAddress = Map.copyOf(chained);
    byAddress = Map.copyOf(plain);
    refreshedAt = System.nanoTime();
  }
}
