package io.rehoboam.bot.process.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.spi.BotHealth;
import io.rehoboam.spi.LogLevel;
import io.rehoboam.spi.trade.Execution;
import io.rehoboam.spi.trade.ExecutionMode;
import io.rehoboam.spi.trade.ExecutionStatus;
import io.rehoboam.spi.trade.Opportunity;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ProtocolParserTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private static final String WETH = "0x" + "c".repeat(40);
  private static final String USDC = "0x" + "a".repeat(40);
  private final ProtocolParser parser =
      new ProtocolParser("bot-1", Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofSeconds(30));

  private static String legs() {
    return "[{\"chain_id\":1,\"dex\":\"uni\",\"pool_id\":\"p1\",\"token_in\":\""
        + WETH.toUpperCase()
        + "\",\"token_out\":\""
        + USDC
        + "\",\"amount_in\":\"1000\",\"amount_out\":20},"
        + "{\"chain_id\":\"1\",\"dex\":\"sushi\",\"pool_id\":\"p2\",\"token_in\":\""
        + USDC
        + "\",\"token_out\":\""
        + WETH
        + "\",\"amount_in\":20,\"amount_out\":\"1100\"}]";
  }

  private String error(String line) {
    return assertThrows(ProtocolParser.ProtocolException.class, () -> parser.parse(line))
        .getMessage();
  }

  @Test
  void heartbeatLogAndStatus() throws Exception {
    assertInstanceOf(Message.Heartbeat.class, parser.parse(" {\"type\":\"heartbeat\"} "));
    assertEquals(
        new Message.Log(LogLevel.WARN, "careful"),
        parser.parse("{\"type\":\"log\",\"level\":\"warning\",\"message\":\"careful\"}"));
    assertEquals(
        new Message.Log(LogLevel.INFO, "42"), parser.parse("{\"type\":\"log\",\"message\":42}"));
    assertEquals(
        new Message.Status(BotHealth.degraded("slow rpc")),
        parser.parse("{\"type\":\"status\",\"message\":\"slow rpc\",\"health\":\"DEGRADED\"}"));
    assertEquals(
        new Message.Status(new BotHealth(BotHealth.Status.UP, "ok")),
        parser.parse("{\"type\":\"status\",\"message\":\"ok\",\"extra\":[1,2]}"));
  }

  @Test
  void aMinimalOpportunityGetsItsDerivedFieldsAndDefaults() throws Exception {
    Message m =
        parser.parse(
            "{\"type\":\"opportunity\",\"start_token\":\""
                + WETH
                + "\",\"amount_in\":\"1000\",\"amount_out\":1100,\"legs\":"
                + legs()
                + "}");
    Opportunity o = ((Message.Found) m).opportunity();
    assertTrue(o.id().startsWith("bot-1-"), o.id());
    assertEquals("process", o.strategy());
    assertEquals("bot-1", o.sourceBot());
    assertEquals(BigInteger.valueOf(100), o.profit());
    assertEquals(BigInteger.ZERO, o.gasCost());
    assertEquals(BigInteger.valueOf(100), o.netProfit());
    assertNull(o.profitUsd());
    assertEquals(0, o.blockNumber());
    assertEquals(NOW, o.detectedAt());
    assertEquals(NOW.plusSeconds(30), o.expiresAt());
    assertEquals(WETH, o.legs().get(0).tokenIn(), "addresses lower-cased");
  }

  @Test
  void aFullOpportunityKeepsItsFieldsButNotAnotherSourceBot() throws Exception {
    String big = "115792089237316195423570985008687907853269984665640564039457584007913129639935";
    Message m =
        parser.parse(
            "{\"type\":\"opportunity\",\"id\":\"o-7\",\"strategy\":\"cyclic\","
                + "\"source_bot\":\"someone-else\",\"start_token\":\""
                + WETH
                + "\","
                + "\"amount_in\":\"1000\",\"amount_out\":\"1100\",\"profit\":\"100\","
                + "\"gas_cost\":\"30\",\"net_profit\":\"70\",\"profit_usd\":\"1.50\","
                + "\"net_profit_usd\":1.05,\"block_number\":\"19000000\","
                + "\"detected_at\":\"2026-01-01T00:00:01+00:00\","
                + "\"expires_at\":\"2026-01-01T00:00:13Z\",\"legs\":"
                + legs()
                + ",\"unknown\":\""
                + big
                + "\"}");
    Opportunity o = ((Message.Found) m).opportunity();
    assertEquals("o-7", o.id());
    assertEquals("cyclic", o.strategy());
    assertEquals("bot-1", o.sourceBot());
    assertEquals(BigInteger.valueOf(70), o.netProfit());
    assertEquals(new BigDecimal("1.50"), o.profitUsd());
    assertEquals(new BigDecimal("1.05"), o.netProfitUsd());
    assertEquals(19_000_000, o.blockNumber());
    assertEquals(NOW.plusSeconds(1), o.detectedAt());
    assertEquals(NOW.plusSeconds(13), o.expiresAt());
  }

  @Test
  void anExecutionWithDefaults() throws Exception {
    Message m =
        parser.parse(
            "{\"type\":\"execution\",\"opportunity_id\":\"o-7\",\"status\":\"confirmed\","
                + "\"expected_profit\":\"70\",\"realized_profit\":\"65\","
                + "\"realized_profit_usd\":0.98,\"tx_hashes\":[\"0xabc\"],\"gas_used\":21000,"
                + "\"mode\":\"live\",\"legs\":[{\"chain_id\":1,\"status\":\"confirmed\","
                + "\"tx_hash\":\"0xabc\"}]}");
    Execution x = ((Message.Executed) m).execution();
    assertTrue(x.id().startsWith("bot-1-x-"));
    assertEquals(ExecutionMode.LIVE, x.mode());
    assertEquals(ExecutionStatus.CONFIRMED, x.status());
    assertEquals(BigInteger.valueOf(65), x.realizedProfit());
    assertEquals(new BigDecimal("0.98"), x.realizedProfitUsd());
    assertEquals(NOW, x.startedAt());
    assertEquals(NOW, x.finishedAt(), "a terminal status without finished_at finishes now");
    assertEquals(0, x.legs().get(0).index());

    Execution submitted =
        ((Message.Executed)
                parser.parse(
                    "{\"type\":\"execution\",\"id\":\"x\",\"opportunity_id\":\"o\","
                        + "\"status\":\"submitted\",\"expected_profit\":1}"))
            .execution();
    assertEquals(ExecutionMode.PAPER, submitted.mode());
    assertNull(submitted.finishedAt());
  }

  @Test
  void everyProblemIsNamed() {
    assertTrue(error("{nope").startsWith("not valid JSON: "));
    assertTrue(error("{\"type\":\"heartbeat\"} trailing").startsWith("not valid JSON"));
    assertEquals("type: is required (a string)", error("{\"message\":\"x\"}"));
    assertEquals("type: is required (a string)", error("{\"type\":7}"));
    assertTrue(error("{\"type\":\"dance\"}").startsWith("type: unknown message type 'dance'"));
    assertEquals("log: message: is required", error("{\"type\":\"log\"}"));
    assertTrue(
        error("{\"type\":\"status\",\"message\":\"m\",\"health\":\"meh\"}")
            .startsWith("status: health: expected one of up, degraded, down"));
    String base = "{\"type\":\"opportunity\",\"start_token\":\"" + WETH + "\",";
    assertEquals(
        "opportunity: amount_in: is required",
        error(base + "\"amount_out\":1,\"legs\":" + legs() + "}"));
    assertTrue(
        error(base + "\"amount_in\":\"1e3\",\"amount_out\":1,\"legs\":" + legs() + "}")
            .startsWith("opportunity: amount_in: expected an integer"));
    assertTrue(
        error(base + "\"amount_in\":1.5,\"amount_out\":1,\"legs\":" + legs() + "}")
            .endsWith("but had a fraction"));
    assertTrue(
        error(base + "\"amount_in\":\"" + "9".repeat(101) + "\",\"amount_out\":1,\"legs\":[]}")
            .startsWith("opportunity: amount_in: expected an integer"),
        "absurdly long numbers are refused before parsing");
    assertEquals(
        "opportunity: legs: is required", error(base + "\"amount_in\":1,\"amount_out\":1}"));
    assertEquals(
        "opportunity: legs: must not be empty",
        error(base + "\"amount_in\":1,\"amount_out\":1,\"legs\":[]}"));
    assertEquals(
        "opportunity: legs[0].chain_id: is required",
        error(base + "\"amount_in\":1,\"amount_out\":1,\"legs\":[{\"dex\":\"u\"}]}"));
    assertEquals(
        "opportunity: legs[0]: dex: is required",
        error(base + "\"amount_in\":1,\"amount_out\":1,\"legs\":[{\"chain_id\":1}]}"));
    assertEquals(
        "opportunity: profit: must equal amount_out - amount_in",
        error(
            base + "\"amount_in\":1000,\"amount_out\":1100,\"profit\":5,\"legs\":" + legs() + "}"));
    assertTrue(
        error(
                base
                    + "\"amount_in\":1000,\"amount_out\":1100,\"expires_at\":\"tomorrow\",\"legs\":"
                    + legs()
                    + "}")
            .startsWith("opportunity: expires_at: expected an ISO-8601 time"));
    assertEquals(
        "execution: reason: is required when FAILED",
        error(
            "{\"type\":\"execution\",\"opportunity_id\":\"o\",\"status\":\"failed\","
                + "\"expected_profit\":1}"));
    assertEquals(
        "execution: status: is required",
        error("{\"type\":\"execution\",\"opportunity_id\":\"o\",\"expected_profit\":1}"));
  }

  @Test
  void onlyLinesStartingWithABraceAreProtocol() {
    assertTrue(ProtocolParser.isProtocolLine("  {\"type\":\"heartbeat\"}"));
    assertFalse(ProtocolParser.isProtocolLine("[1,2]"));
    assertFalse(ProtocolParser.isProtocolLine("hello {\"type\":1}"));
    assertFalse(ProtocolParser.isProtocolLine(""));
  }
}
