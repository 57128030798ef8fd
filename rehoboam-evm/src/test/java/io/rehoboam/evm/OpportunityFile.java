package io.rehoboam.evm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rehoboam.spi.trade.Leg;
import io.rehoboam.spi.trade.Opportunity;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** An opportunity handed to a child JVM in a file (the data contract's JSON). */
final class OpportunityFile {
  private static final ObjectMapper JSON = new ObjectMapper();

  private OpportunityFile() {}

  static void write(Opportunity o, Path file) throws IOException {
    ObjectNode n = JSON.createObjectNode();
    n.put("id", o.id());
    n.put("strategy", o.strategy());
    n.put("source_bot", o.sourceBot());
    n.put("start_token", o.startToken());
    n.put("amount_in", o.amountIn().toString());
    n.put("amount_out", o.amountOut().toString());
    n.put("gas_cost", o.gasCost().toString());
    n.put("profit_usd", o.profitUsd() == null ? null : o.profitUsd().toPlainString());
    n.put("net_profit_usd", o.netProfitUsd() == null ? null : o.netProfitUsd().toPlainString());
    n.put("block_number", o.blockNumber());
    n.put("detected_at", o.detectedAt().toString());
    n.put("expires_at", o.expiresAt().toString());
    var legs = n.putArray("legs");
    for (Leg l : o.legs()) {
      legs.addObject()
          .put("chain_id", l.chainId())
          .put("dex", l.dex())
          .put("pool_id", l.poolId())
          .put("token_in", l.tokenIn())
          .put("token_out", l.tokenOut())
          .put("amount_in", l.amountIn().toString())
          .put("amount_out", l.amountOut().toString());
    }
    Files.writeString(file, n.toString());
  }

  static Opportunity read(Path file) throws IOException {
    JsonNode n = JSON.readTree(file.toFile());
    List<Leg> legs = new ArrayList<>();
    for (JsonNode l : n.get("legs")) {
      legs.add(
          new Leg(
              l.get("chain_id").asLong(),
              l.get("dex").asText(),
              l.get("pool_id").asText(),
              l.get("token_in").asText(),
              l.get("token_out").asText(),
              new BigInteger(l.get("amount_in").asText()),
              new BigInteger(l.get("amount_out").asText())));
    }
    BigInteger in = new BigInteger(n.get("amount_in").asText());
    BigInteger out = new BigInteger(n.get("amount_out").asText());
    BigInteger gas = new BigInteger(n.get("gas_cost").asText());
    return new Opportunity(
        n.get("id").asText(),
        n.get("strategy").asText(),
        n.get("source_bot").isNull() ? null : n.get("source_bot").asText(),
        n.get("start_token").asText(),
        in,
        out,
        out.subtract(in),
        gas,
        out.subtract(in).subtract(gas),
        decimal(n.get("profit_usd")),
        decimal(n.get("net_profit_usd")),
        n.get("block_number").asLong(),
        Instant.parse(n.get("detected_at").asText()),
        Instant.parse(n.get("expires_at").asText()),
        legs);
  }

  private static BigDecimal decimal(JsonNode v) {
    return v == null || v.isNull() ? null : new BigDecimal(v.asText());
  }
}
