package io.rehoboam.core.scan.csv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.core.scan.TokenInfo;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.market.Pool;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

class MarketCsvTest {
  private static final String A = "0x" + "a".repeat(40);
  private static final String B = "0x" + "b".repeat(40);
  private static final String C = "0x" + "C".repeat(40);
  private static final String MAX = Pool.MAX_RESERVE.toString();

  private static MarketCsv.PoolsResult read(String text) throws IOException {
    return MarketCsv.readPools(new StringReader(text), "pools.csv", 1);
  }

  @Test
  void readsPoolsAndReportsEveryMalformedRowWithItsLine() throws IOException {
    String text =
        String.join(
            "\n",
            MarketCsv.POOLS_HEADER,
            "p1,uniswap_v2," + A + "," + B + ",1000,2000,30",
            "",
            "# a comment",
            "p2,sushiswap," + B + "," + C + "," + MAX + ",1,0",
            "p3,uniswap_v2," + A + "," + B + ",1000,2000",
            "p4,uniswap_v2," + A + "," + B + ",1.5,2000,30",
            "p5,uniswap_v2," + A + "," + B + ",-3,2000,30",
            "p6,uniswap_v2,"
                + A
                + ","
                + B
                + ",1000,"
                + Pool.MAX_RESERVE.add(BigInteger.ONE)
                + ",30",
            "p7,uniswap_v2," + A + "," + B + ",1000,2000,10000",
            "p8,uniswap_v2,0x1234," + B + ",1000,2000,30",
            "p9,uniswap_v2," + A + "," + A.toUpperCase().replace("0X", "0x") + ",1000,2000,30",
            "p1,uniswap_v2," + A + "," + C + ",1,1,30",
            "p10,uniswap_v2," + A + "," + B + ",abc,2000,30",
            "p11,uniswap_v2," + A + "," + B + ",1000,2000,-1",
            ",uniswap_v2," + A + "," + B + ",1000,2000,30",
            "p12 , uniswap_v2 , " + A + " , " + C + " , 5 , 6 , 25 ");
    MarketCsv.PoolsResult result = read(text);
    assertEquals(List.of("p1", "p2", "p12"), result.pools().stream().map(Pool::id).toList());
    Pool p2 = result.pools().get(1);
    assertEquals(Pool.MAX_RESERVE, p2.reserve0());
    assertEquals(C.toLowerCase(), p2.token1(), "addresses are lower-cased");
    assertEquals(25, result.pools().get(2).feeBps());

    List<String> problems = result.problems().stream().map(MarketCsv.Problem::toString).toList();
    assertEquals(11, problems.size(), problems::toString);
    assertProblem(problems.get(0), 6, "expected 7 columns");
    assertProblem(problems.get(1), 7, "reserve0: expected a decimal integer");
    assertProblem(problems.get(2), 8, "reserve0: must not be negative");
    assertProblem(problems.get(3), 9, "reserve1: must be at most 2^112-1");
    assertProblem(problems.get(4), 10, "fee_bps: expected an integer 0..9999");
    assertProblem(problems.get(5), 11, "token0: expected 0x followed by 40 hex digits");
    assertProblem(problems.get(6), 12, "token1: must differ from token0");
    assertProblem(problems.get(7), 13, "pool_id: duplicate pool id p1");
    assertProblem(problems.get(8), 14, "reserve0: expected a decimal integer");
    assertProblem(problems.get(9), 15, "fee_bps: expected an integer 0..9999");
    assertProblem(problems.get(10), 16, "pool_id: must not be empty");

    RehoboamException strict = assertThrows(RehoboamException.class, result::orThrow);
    assertTrue(strict.getMessage().contains("pools.csv:6:"), strict.getMessage());
    assertTrue(strict.getMessage().contains("pools.csv:16:"), strict.getMessage());
  }

  private static void assertProblem(String problem, int line, String text) {
    assertTrue(problem.startsWith("pools.csv:" + line + ": "), problem);
    assertTrue(problem.contains(text), problem);
  }

  @Test
  void aMissingOrWrongHeaderRejectsTheFile() throws IOException {
    MarketCsv.PoolsResult wrong = read("p1,uniswap_v2," + A + "," + B + ",1000,2000,30\n");
    assertEquals(List.of(), wrong.pools());
    assertTrue(wrong.problems().get(0).toString().startsWith("pools.csv:1: expected the header"));
    assertTrue(read("").problems().get(0).message().contains("empty file"));
    assertTrue(read(MarketCsv.POOLS_HEADER.toUpperCase() + "\n").problems().isEmpty());
  }

  @Test
  void readsTokensWithOptionalPrices() throws IOException {
    String text =
        String.join(
            "\n",
            MarketCsv.TOKENS_HEADER,
            A + ",WETH,18,1",
            B + ",USDC,6,0.0004",
            C + ",XYZ,18,",
            "0xnothex,BAD,18,1",
            A + ",DUP,18,1",
            "0x" + "d".repeat(40) + ",D,78,1",
            "0x" + "e".repeat(40) + ",E,18,-2",
            "0x" + "f".repeat(40) + ",F,18,abc");
    MarketCsv.TokensResult result = MarketCsv.readTokens(new StringReader(text), "tokens.csv");
    assertEquals(3, result.tokens().size());
    assertEquals(new BigDecimal("0.0004"), result.tokens().get(1).priceInNative());
    assertEquals(null, result.tokens().get(2).priceInNative());
    List<String> problems = result.problems().stream().map(MarketCsv.Problem::toString).toList();
    assertEquals(5, problems.size(), problems::toString);
    assertTrue(problems.get(0).startsWith("tokens.csv:5: address:"));
    assertTrue(problems.get(1).startsWith("tokens.csv:6: address: duplicate"));
    assertTrue(problems.get(2).startsWith("tokens.csv:7: decimals:"));
    assertTrue(problems.get(3).startsWith("tokens.csv:8: price_weth: must be positive"));
    assertTrue(problems.get(4).startsWith("tokens.csv:9: price_weth: not a decimal number"));
  }

  @Test
  void writtenFilesReadBackUnchanged() throws IOException {
    List<Pool> pools =
        List.of(
            new Pool("1:p1", 1, "uniswap_v2", "1:p1", A, B, BigInteger.ONE, Pool.MAX_RESERVE, 30),
            new Pool("1:p2", 1, "sushiswap", "1:p2", B, C, BigInteger.ZERO, BigInteger.TEN, 9999));
    StringWriter poolsOut = new StringWriter();
    MarketCsv.writePools(poolsOut, pools);
    assertEquals(pools, read(poolsOut.toString()).orThrow());

    List<TokenInfo> tokens =
        List.of(
            new TokenInfo(A, "WETH", 18, null, BigDecimal.ONE),
            new TokenInfo(B, "USDC", 6, null, new BigDecimal("0.00033")),
            new TokenInfo(C, "XYZ", 0, null, null));
    StringWriter tokensOut = new StringWriter();
    MarketCsv.writeTokens(tokensOut, tokens);
    assertEquals(
        tokens, MarketCsv.readTokens(new StringReader(tokensOut.toString()), "t").orThrow());

    Pool unwritable =
        new Pool("a,b", 1, "uniswap_v2", "x", A, B, BigInteger.ONE, BigInteger.ONE, 30);
    RehoboamException e =
        assertThrows(
            RehoboamException.class,
            () -> MarketCsv.writePools(new StringWriter(), List.of(unwritable)));
    assertTrue(e.getMessage().startsWith("pool_id:"));
  }
}
