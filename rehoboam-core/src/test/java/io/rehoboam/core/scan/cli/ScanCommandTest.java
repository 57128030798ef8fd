package io.rehoboam.core.scan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.rehoboam.core.json.RehoboamJson;
import io.rehoboam.core.scan.csv.MarketCsv;
import io.rehoboam.spi.trade.Opportunity;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScanCommandTest {
  private static final String WETH = "0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2";
  private static final String USDC = "0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48";
  private static final String DAI = "0x6b175474e89094c44da98b954eedeac495271d0f";

  @TempDir Path dir;
  private Path pools;
  private Path tokens;

  /**
   * Four WETH/USDC venues, two cheap and two dear, a mispriced WETH-USDC-DAI triangle, one
   * malformed row.
   */
  @BeforeEach
  void writeMarket() throws IOException {
    pools = dir.resolve("pools.csv");
    Files.writeString(
        pools,
        String.join(
            "\n",
            MarketCsv.POOLS_HEADER,
            "a,uniswap_v2," + WETH + "," + USDC + ",1000000000000000000000,3000000000000,30",
            "b,sushiswap," + WETH + "," + USDC + ",1000000000000000000000,3300000000000,30",
            "c,uniswap_v2," + USDC + "," + DAI + ",3000000000000,3300000000000000000000000,30",
            "d,uniswap_v2,"
                + DAI
                + ","
                + WETH
                + ",3000000000000000000000000,1000000000000000000000,30",
            "e,uniswap_v2," + WETH + "," + USDC + ",12,not-a-number,30",
            "f,pancake," + WETH + "," + USDC + ",1000000000000000000000,3310000000000,30",
            "g,shiba," + WETH + "," + USDC + ",1000000000000000000000,2990000000000,30",
            ""));
    tokens = dir.resolve("tokens.csv");
    Files.writeString(
        tokens,
        String.join(
            "\n",
            MarketCsv.TOKENS_HEADER,
            WETH + ",WETH,18,1",
            USDC + ",USDC,6,0.0003333333333333333",
            DAI + ",DAI,18,0.0003333333333333333"));
  }

  private record Run(int code, List<String> lines, String err) {}

  private static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        ScanCommand.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    String text = out.toString(StandardCharsets.UTF_8);
    List<String> lines = text.isEmpty() ? List.of() : List.of(text.split("\n"));
    return new Run(code, lines, err.toString(StandardCharsets.UTF_8));
  }

  private static List<Opportunity> parse(List<String> lines) throws IOException {
    List<Opportunity> opportunities = new ArrayList<>();
    for (String line : lines) {
      opportunities.add(RehoboamJson.mapper().readValue(line, Opportunity.class));
    }
    return opportunities;
  }

  @Test
  void printsOneContractObjectPerLineMostProfitableFirst() throws IOException {
    Run run = run("--pools", pools.toString());
    assertEquals(0, run.code(), run.err());
    assertTrue(run.err().contains("pools.csv:6: reserve1: expected a decimal integer"), run.err());
    List<Opportunity> found = parse(run.lines());
    // one opportunity per token pair and per cycle route by default
    assertEquals(2, found.size(), run.lines().toString());
    assertTrue(found.stream().anyMatch(o -> o.strategy().equals("cross_venue")));
    assertTrue(found.stream().anyMatch(o -> o.strategy().equals("cyclic")));
    for (int i = 1; i < found.size(); i++) {
      assertTrue(found.get(i - 1).netProfit().compareTo(found.get(i).netProfit()) >= 0);
    }
    for (Opportunity opportunity : found) {
      assertEquals(WETH, opportunity.startToken());
      assertEquals(null, opportunity.sourceBot());
      assertEquals(null, opportunity.profitUsd(), "no prices without --tokens and --native-usd");
    }
    JsonNode first = RehoboamJson.mapper().readTree(run.lines().get(0));
    assertTrue(first.get("amount_in").isTextual());
    assertTrue(first.has("net_profit_usd") && first.get("net_profit_usd").isNull());
  }

  @Test
  void topStrategiesAndMinimumsNarrowTheOutput() throws IOException {
    List<Opportunity> all = parse(run("--pools", pools.toString()).lines());
    List<Opportunity> top = parse(run("--pools", pools.toString(), "--top", "2").lines());
    assertEquals(
        all.subList(0, 2).stream().map(Opportunity::id).toList(),
        top.stream().map(Opportunity::id).toList());

    List<Opportunity> cyclic = parse(run("--pools=" + pools, "--strategies", "cyclic").lines());
    assertFalse(cyclic.isEmpty());
    assertTrue(cyclic.stream().allMatch(o -> o.strategy().equals("cyclic")));

    BigInteger best = all.get(0).netProfit();
    List<Opportunity> above =
        parse(run("--pools", pools.toString(), "--min-profit-base-units", best.toString()).lines());
    assertEquals(List.of(all.get(0).id()), above.stream().map(Opportunity::id).toList());
  }

  @Test
  void pricesGiveUsdValuesAndTheUsdMinimum() throws IOException {
    Run priced =
        run("--pools", pools.toString(), "--tokens", tokens.toString(), "--native-usd", "3000");
    assertEquals(0, priced.code(), priced.err());
    List<Opportunity> found = parse(priced.lines());
    assertTrue(found.stream().allMatch(o -> o.profitUsd() != null && o.profitUsd().signum() > 0));
    Opportunity best = found.get(0);
    String justAbove = best.netProfitUsd().add(java.math.BigDecimal.ONE).toPlainString();
    assertEquals(
        List.of(),
        run(
                "--pools",
                pools.toString(),
                "--tokens",
                tokens.toString(),
                "--native-usd",
                "3000",
                "--min-profit",
                justAbove)
            .lines());

    Run gas =
        run(
            "--pools",
            pools.toString(),
            "--tokens",
            tokens.toString(),
            "--gas-price-gwei",
            "10",
            "--gas-per-leg",
            "50000");
    List<Opportunity> charged = parse(gas.lines());
    for (Opportunity o : charged) {
      long units = 21_000L + 50_000L * o.legs().size();
      assertEquals(BigInteger.valueOf(units * 10_000_000_000L), o.gasCost());
    }
  }

  @Test
  void maxPerPairAddsOnlyOpportunitiesThatShareNoPool() throws IOException {
    List<Opportunity> one =
        parse(run("--pools", pools.toString(), "--strategies", "cross_venue").lines());
    assertEquals(1, one.size());
    assertEquals(List.of("f", "g"), poolIds(one.get(0)), "the widest spread: dear f, cheap g");
    Run run =
        run("--pools", pools.toString(), "--strategies", "cross_venue", "--max-per-pair", "5");
    assertEquals(0, run.code(), run.err());
    List<Opportunity> more = parse(run.lines());
    assertEquals(2, more.size(), "two disjoint pool pairs exist among four pools");
    assertEquals(one.get(0).id(), more.get(0).id(), "the best comes first, unchanged");
    List<String> used = new ArrayList<>(poolIds(more.get(0)));
    used.retainAll(poolIds(more.get(1)));
    assertEquals(List.of(), used, "no pool shared");
  }

  private static List<String> poolIds(Opportunity opportunity) {
    return opportunity.legs().stream().map(leg -> leg.poolId()).toList();
  }

  @Test
  void statsPrintTheTimingOfRepeatedScansToStandardError() throws IOException {
    Run run = run("--pools", pools.toString(), "--stats", "--repeat", "3");
    assertEquals(0, run.code(), run.err());
    assertEquals(2, parse(run.lines()).size(), "the opportunities are printed once");
    assertTrue(
        java.util.regex.Pattern.compile(
                "stats: pools 6, load [0-9.]+ ms, scans 3, min [0-9.]+ ms, median [0-9.]+ ms"
                    + " \\(cpu min [0-9.]+ ms, median [0-9.]+ ms\\), opportunities 2")
            .matcher(run.err())
            .find(),
        run.err());
    assertFalse(run("--pools", pools.toString()).err().contains("stats:"), "only when asked");
    assertUsage(run("--pools", pools.toString(), "--repeat", "0"), "--repeat must be at least 1");
    assertUsage(
        run("--pools", pools.toString(), "--max-per-pair", "0"),
        "--max-per-pair must be at least 1");
    assertUsage(
        run("--pools", pools.toString(), "--max-per-pair", "x"), "--max-per-pair: not an integer");
  }

  @Test
  void strictModeRejectsTheWholeInput() {
    Run run = run("--pools", pools.toString(), "--strict");
    assertEquals(1, run.code());
    assertEquals(List.of(), run.lines(), "nothing is scanned");
    assertTrue(run.err().contains("rejected (--strict): 1 malformed row"), run.err());
    assertTrue(run.err().contains("pools.csv:6:"), run.err());
  }

  @Test
  void usageMistakesExitTwoWithAMessageAndNoStackTrace() {
    assertUsage(run(), "--pools FILE is required");
    assertUsage(run("--pools"), "--pools needs a value");
    assertUsage(run("--pools", pools.toString(), "--frobnicate"), "unknown option --frobnicate");
    assertUsage(run("--pools", pools.toString(), "--top", "many"), "--top: not an integer");
    assertUsage(run("--pools", pools.toString(), "--top", "-1"), "--top must be at least 0");
    assertUsage(
        run("--pools", pools.toString(), "--strategies", "triangular"),
        "unknown strategy 'triangular'");
    assertUsage(
        run("--pools", pools.toString(), "--max-cycle-length", "5"),
        "--max-cycle-length must be 3 or 4");
    assertUsage(
        run("--pools", pools.toString(), "--min-profit", "5"),
        "--min-profit is in USD and needs prices");
    assertUsage(
        run("--pools", pools.toString(), "--start-tokens", "weth"), "--start-tokens: expected 0x");
    assertUsage(
        run("--pools", pools.toString(), "--gas-price-gwei", "0.0000000001"), "finer than one wei");
    assertUsage(run("--pools", pools.toString(), "stray"), "unexpected argument 'stray'");
  }

  private static void assertUsage(Run run, String message) {
    assertEquals(2, run.code(), run.err());
    assertTrue(run.err().contains(message), run.err());
    assertFalse(run.err().contains("\tat "), "no stack trace: " + run.err());
  }

  @Test
  void anUnreadableFileIsRejected() {
    Run run = run("--pools", dir.resolve("missing.csv").toString());
    assertEquals(1, run.code());
    assertTrue(run.err().contains("--pools: cannot read file"), run.err());
  }

  @Test
  void helpPrintsUsage() {
    Run run = run("--help");
    assertEquals(0, run.code());
    assertTrue(String.join("\n", run.lines()).contains("usage: scan --pools FILE"));
  }
}
