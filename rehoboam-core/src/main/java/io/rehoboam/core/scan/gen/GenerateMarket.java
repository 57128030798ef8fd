package io.rehoboam.core.scan.gen;

import io.rehoboam.core.scan.csv.MarketCsv;
import io.rehoboam.spi.RehoboamException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes a synthetic market as {@code pools.csv} and {@code tokens.csv} (the {@link MarketCsv}
 * formats) into a directory:
 *
 * <pre>
 * GenerateMarket --shape sparse|dense [--regime calm|volatile|crowded] --pools N [--seed S]
 *     [--dislocations K] [--chain-id C] --out DIR
 * </pre>
 *
 * Defaults: regime calm ({@link MarketRegime}), seed {@value #DEFAULT_SEED}, {@value
 * #DEFAULT_DISLOCATIONS} dislocations, chain {@value SyntheticMarketGenerator#DEFAULT_CHAIN_ID}.
 * Prints a summary and the planted dislocations.
 *
 * <p>Exit codes: 0 written, 1 the files could not be written, 2 usage error (unknown or missing
 * option, a value out of range). Mistakes print a message, never a stack trace.
 */
public final class GenerateMarket {
  /** The seed when {@code --seed} is not given. */
  public static final long DEFAULT_SEED = 1;

  /** The dislocation count when {@code --dislocations} is not given. */
  public static final int DEFAULT_DISLOCATIONS = 10;

  private static final String USAGE =
      "usage: GenerateMarket --shape sparse|dense [--regime calm|volatile|crowded] --pools N"
          + " [--seed S] [--dislocations K] [--chain-id C] --out DIR";

  private static final Set<String> OPTIONS =
      Set.of("--shape", "--regime", "--pools", "--seed", "--dislocations", "--chain-id", "--out");

  private GenerateMarket() {}

  public static void main(String[] args) {
    int code = run(args, System.out, System.err);
    if (code != 0) {
      System.exit(code);
    }
  }

  /**
   * Runs the command.
   *
   * @return the exit code
   */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    SyntheticMarket market;
    Path dir;
    try {
      Map<String, String> options = parse(args);
      MarketShape shape = MarketShape.parse(required(options, "--shape"));
      MarketRegime regime = MarketRegime.parse(options.getOrDefault("--regime", "calm"));
      int pools = (int) number(required(options, "--pools"), "--pools", Integer.MAX_VALUE);
      long seed = number(options.getOrDefault("--seed", "" + DEFAULT_SEED), "--seed", null);
      int dislocations =
          (int)
              number(
                  options.getOrDefault("--dislocations", "" + DEFAULT_DISLOCATIONS),
                  "--dislocations",
                  Integer.MAX_VALUE);
      long chainId =
          number(
              options.getOrDefault("--chain-id", "" + SyntheticMarketGenerator.DEFAULT_CHAIN_ID),
              "--chain-id",
              null);
      dir = Path.of(required(options, "--out"));
      market = SyntheticMarketGenerator.generate(shape, regime, pools, seed, dislocations, chainId);
      out.printf(
          "generated %d pools and %d tokens (%s, %s, seed %d, chain %d)%n",
          market.pools().size(),
          market.tokens().size(),
          shape.wireName(),
          regime.wireName(),
          seed,
          chainId);
    } catch (RehoboamException e) {
      err.println("error: " + e.getMessage());
      err.println(USAGE);
      return 2;
    }
    try {
      Files.createDirectories(dir);
      Path poolsFile = dir.resolve("pools.csv");
      Path tokensFile = dir.resolve("tokens.csv");
      try (Writer writer = Files.newBufferedWriter(poolsFile, StandardCharsets.UTF_8)) {
        MarketCsv.writePools(writer, market.pools());
      }
      try (Writer writer = Files.newBufferedWriter(tokensFile, StandardCharsets.UTF_8)) {
        MarketCsv.writeTokens(writer, market.tokenInfos());
      }
      out.println("wrote " + poolsFile + " and " + tokensFile);
    } catch (IOException e) {
      err.println("error: cannot write to " + dir + ": " + e);
      return 1;
    }
    for (PlantedDislocation planted : market.dislocations()) {
      out.printf(
          "planted: %s is %+d bps off against %s%n",
          planted.poolId(), planted.deviationBps(), planted.counterpartPoolId());
    }
    return 0;
  }

  private static Map<String, String> parse(String[] args) {
    Map<String, String> options = new HashMap<>();
    List<String> list = args == null ? List.of() : List.of(args);
    for (int i = 0; i < list.size(); i += 2) {
      String option = list.get(i);
      if (!OPTIONS.contains(option)) {
        throw RehoboamException.invalid(option, "unknown option");
      }
      if (i + 1 >= list.size()) {
        throw RehoboamException.invalid(option, "missing value");
      }
      if (options.put(option, list.get(i + 1)) != null) {
        throw RehoboamException.invalid(option, "given twice");
      }
    }
    return options;
  }

  private static String required(Map<String, String> options, String option) {
    String value = options.get(option);
    if (value == null || value.isBlank()) {
      throw RehoboamException.invalid(option, "required");
    }
    return value;
  }

  private static long number(String text, String option, Integer max) {
    long value;
    try {
      value = Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      throw RehoboamException.invalid(option, "not an integer: '" + text + "'");
    }
    if (max != null && (value < 0 || value > max)) {
      throw RehoboamException.invalid(option, "must be 0.." + max + ", was " + value);
    }
    return value;
  }
}
