package io.rehoboam.core.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rehoboam.spi.trade.ExecutionStatus;
import io.rehoboam.spi.trade.Leg;
import io.rehoboam.spi.trade.Opportunity;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RehoboamJsonTest {
  private static final String WETH = "0x" + "c".repeat(40);
  private static final String USDC = "0x" + "a".repeat(40);

  static Opportunity sample() {
    BigInteger in = new BigInteger("1000000000000000000000000000001");
    BigInteger mid = BigInteger.valueOf(3_000_000_000L);
    BigInteger out = in.add(BigInteger.valueOf(12_345));
    return new Opportunity(
        "cv-7-00ff",
        "cross_venue",
        null,
        WETH,
        in,
        out,
        BigInteger.valueOf(12_345),
        BigInteger.valueOf(345),
        BigInteger.valueOf(12_000),
        new BigDecimal("0.0000000001"),
        null,
        7,
        Instant.parse("2025-01-01T00:00:00Z"),
        Instant.parse("2025-01-01T00:00:12.500Z"),
        List.of(
            new Leg(1, "uniswap_v2", "1:p1", WETH, USDC, in, mid),
            new Leg(1, "sushiswap", "1:p2", USDC, WETH, mid, out)));
  }

  @Test
  void anOpportunityHasExactlyTheContractsFields() throws Exception {
    JsonNode json =
        RehoboamJson.mapper().readTree(RehoboamJson.mapper().writeValueAsString(sample()));
    assertEquals(
        List.of(
            "id",
            "strategy",
            "source_bot",
            "start_token",
            "amount_in",
            "amount_out",
            "profit",
            "gas_cost",
            "net_profit",
            "profit_usd",
            "net_profit_usd",
            "block_number",
            "detected_at",
            "expires_at",
            "legs"),
        names(json));
    assertEquals(
        List.of("chain_id", "dex", "pool_id", "token_in", "token_out", "amount_in", "amount_out"),
        names(json.get("legs").get(0)));
    assertTrue(json.get("amount_in").isTextual(), "amounts are strings");
    assertEquals("1000000000000000000000000000001", json.get("amount_in").asText());
    assertTrue(json.get("profit_usd").isNumber(), "quote values are numbers");
    assertTrue(json.get("source_bot").isNull(), "nulls are written");
    assertTrue(json.get("net_profit_usd").isNull());
    assertEquals(7, json.get("block_number").asLong());
    assertEquals("2025-01-01T00:00:00Z", json.get("detected_at").asText());
    assertEquals("2025-01-01T00:00:12.500Z", json.get("expires_at").asText());
    assertTrue(json.get("legs").get(0).get("amount_out").isTextual());
  }

  @Test
  void decimalsArePlainAndEnumsLowerCase() throws Exception {
    ObjectMapper mapper = RehoboamJson.mapper();
    String text = mapper.writeValueAsString(sample());
    assertTrue(text.contains("\"profit_usd\":0.0000000001"), text);
    assertEquals("\"confirmed\"", mapper.writeValueAsString(ExecutionStatus.CONFIRMED));
    assertEquals(
        ExecutionStatus.CONFIRMED, mapper.readValue("\"confirmed\"", ExecutionStatus.class));
  }

  @Test
  void anOpportunityReadsBackEqual() throws Exception {
    ObjectMapper mapper = RehoboamJson.mapper();
    Opportunity back = mapper.readValue(mapper.writeValueAsString(sample()), Opportunity.class);
    assertEquals(sample(), back);
  }

  @Test
  void amountsMustBeIntegers() {
    assertThrows(
        Exception.class,
        () -> RehoboamJson.mapper().readValue("\"12.5\"", BigInteger.class),
        "a fraction of a base unit is refused");
    assertThrows(
        Exception.class, () -> RehoboamJson.mapper().readValue("\"2025-13-01\"", Instant.class));
  }

  @Test
  void newMapperIsIndependent() {
    ObjectMapper copy = RehoboamJson.newMapper();
    assertTrue(copy != RehoboamJson.mapper());
    assertEquals(
        RehoboamJson.mapper().getPropertyNamingStrategy(), copy.getPropertyNamingStrategy());
  }

  private static List<String> names(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
