package io.rehoboam.journal.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rehoboam.spi.trade.ExecutionStatus;
import io.rehoboam.spi.trade.LegExecution;
import java.util.ArrayList;
import java.util.List;

/** An execution's legs as a JSON column: index, chain, status, transaction and reason of each. */
public final class Legs {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Legs() {}

  public static String toJson(List<LegExecution> legs) {
    ArrayNode out = MAPPER.createArrayNode();
    for (LegExecution l : legs) {
      ObjectNode n = out.addObject();
      n.put("index", l.index());
      n.put("chain_id", l.chainId());
      n.put("status", l.status().name());
      n.put("tx_hash", l.txHash());
      n.put("reason", l.reason());
    }
    return out.toString();
  }

  /** The legs of a column written by {@link #toJson}; none for null (written before version 2). */
  public static List<LegExecution> fromJson(String json) {
    if (json == null || json.isEmpty()) {
      return List.of();
    }
    try {
      List<LegExecution> out = new ArrayList<>();
      for (JsonNode n : MAPPER.readTree(json)) {
        out.add(
            new LegExecution(
                n.get("index").asInt(),
                n.get("chain_id").asLong(),
                ExecutionStatus.valueOf(n.get("status").asText()),
                n.path("tx_hash").isNull() ? null : n.path("tx_hash").asText(null),
                n.path("reason").isNull() ? null : n.path("reason").asText(null)));
      }
      return List.copyOf(out);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("unreadable legs column: " + e.getOriginalMessage(), e);
    }
  }
}
