package io.rehoboam.core.scan.gen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.core.scan.TokenInfo;
import io.rehoboam.core.scan.csv.MarketCsv;
import io.rehoboam.spi.market.Pool;
import io.rehoboam.spi.market.Token;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerateMarketTest {
  @TempDir Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return GenerateMarket.run(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void writesTheGeneratedMarketAsCsvThatReadsBackExactly() throws IOException {
    Path target = dir.resolve("market");
    int code =
        run("--shape", "sparse", "--pools", "2000", "--seed", "4", "--out", target.toString());

    assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
    SyntheticMarket expected = SyntheticMarketGenerator.generate(MarketShape.SPARSE, 2_000, 4, 10);
    List<Pool> pools = MarketCsv.readPools(target.resolve("pools.csv"), 1).orThrow();
    List<TokenInfo> tokens = MarketCsv.readTokens(target.resolve("tokens.csv")).orThrow();

    assertEquals(expected.pools().size(), pools.size());
    for (int i = 0; i < pools.size(); i++) {
      Pool want = expected.pools().get(i);
      Pool got = pools.get(i);
      assertEquals(want.id(), got.id());
      assertEquals(want.dex(), got.dex());
      assertEquals(want.token0(), got.token0());
      assertEquals(want.token1(), got.token1());
      assertEquals(want.reserve0(), got.reserve0());
      assertEquals(want.reserve1(), got.reserve1());
      assertEquals(want.feeBps(), got.feeBps());
    }
    assertEquals(expected.tokens().size(), tokens.size());
    for (int i = 0; i < tokens.size(); i++) {
      Token want = expected.tokens().get(i);
      TokenInfo got = tokens.get(i);
      assertEquals(want.address(), got.address());
      assertEquals(want.symbol(), got.symbol());
      assertEquals(want.decimals(), got.decimals());
      assertEquals(
          0, expected.priceWeth().get(want.address()).compareTo(got.priceInNative()), got.symbol());
    }
    assertTrue(
        Files.readString(target.resolve("tokens.csv")).startsWith(MarketCsv.TOKENS_HEADER + "\n"));
    String printed = out.toString(StandardCharsets.UTF_8);
    assertTrue(
        printed.contains("generated 2000 pools and 500 tokens (sparse, calm, seed 4"), printed);
    assertEquals(10, printed.lines().filter(l -> l.startsWith("planted: ")).count(), printed);
  }

  @Test
  void optionsDefaultAndChainIdIsApplied() throws IOException {
    int code =
        run(
            "--pools",
            "2000",
            "--shape",
            "DENSE",
            "--chain-id",
            "10",
            "--dislocations",
            "0",
            "--out",
            dir.toString());

    assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
    List<Pool> pools = MarketCsv.readPools(dir.resolve("pools.csv"), 10).orThrow();
    assertTrue(pools.stream().allMatch(p -> p.id().startsWith("10:")));
    assertFalse(out.toString(StandardCharsets.UTF_8).contains("planted: "));
  }

  @Test
  void usageMistakesExitWithTwoAndNameTheOption() {
    assertUsage("--pools: required", "--shape", "sparse", "--out", dir.toString());
    assertUsage("--out: required", "--shape", "sparse", "--pools", "2000");
    assertUsage("shape: must be dense or sparse", "--shape", "x", "--pools", "2000", "--out", "d");
    assertUsage("--pools: not an integer", "--shape", "dense", "--pools", "2k", "--out", "d");
    assertUsage("--pools: must be 0..", "--shape", "dense", "--pools", "-1", "--out", "d");
    assertUsage(
        "regime: must be calm, volatile or crowded",
        "--shape",
        "dense",
        "--regime",
        "stormy",
        "--pools",
        "2000",
        "--out",
        "d");
    assertUsage("--size: unknown option", "--size", "1");
    assertUsage("--out: missing value", "--shape", "dense", "--pools", "2000", "--out");
    assertUsage("--seed: given twice", "--seed", "1", "--seed", "2");
    assertUsage(
        "dislocations: must be at most",
        "--shape",
        "dense",
        "--pools",
        "600",
        "--dislocations",
        "100000",
        "--out",
        "d");
  }

  @Test
  void anUnwritableDirectoryExitsWithOne() throws IOException {
    Path file = Files.writeString(dir.resolve("taken"), "not a directory");
    int code = run("--shape", "sparse", "--pools", "2000", "--out", file.toString());

    assertEquals(1, code);
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("cannot write to " + file));
  }

  private void assertUsage(String message, String... args) {
    err.reset();
    assertEquals(2, run(args), String.join(" ", args));
    String printed = err.toString(StandardCharsets.UTF_8);
    assertTrue(printed.contains("error: " + message), printed);
    assertTrue(printed.contains("usage: GenerateMarket"), printed);
  }
}
