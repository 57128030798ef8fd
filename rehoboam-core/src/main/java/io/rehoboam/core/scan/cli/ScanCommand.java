package io.rehoboam.core.scan.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.rehoboam.core.json.RehoboamJson;
import io.rehoboam.core.scan.MarketState;
import io.rehoboam.core.scan.ScanConfig;
import io.rehoboam.core.scan.ScanEngine;
import io.rehoboam.core.scan.ScanStrategy;
import io.rehoboam.core.scan.TokenInfo;
import io.rehoboam.core.scan.TokenPrices;
import io.rehoboam.core.scan.csv.MarketCsv;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.trade.Opportunity;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code scan} command: reads a pools CSV (and optionally a tokens CSV), runs a full scan and
 * prints one opportunity per line as the contract's JSON object, by net profit descending.
 *
 * <p>Malformed rows are reported on the error stream with their line numbers and skipped; with
 * {@code --strict} any malformed row rejects the input and nothing is scanned.
 *
 * <p>Exit codes: 0 success, 1 rejected input (a file cannot be read, or {@code --strict} and some
 * rows are malformed), 2 usage error. User mistakes print a message, never a stack trace.
 */
public final class ScanCommand {
  /** Exit code of a successful run. */
  public static final int OK = 0;

  /** Exit code when the input was rejected. */
  public static final int REJECTED = 1;

  /** Exit code of a usage error. */
  public static final int USAGE = 2;

  /** Most scans {@code --repeat} asks for. */
  static final int MAX_REPEAT = 10_000;

  private static final Pattern ADDRESS = Pattern.compile("0x[0-9a-fA-F]{40}");
  private static final BigDecimal WEI_PER_GWEI = BigDecimal.TEN.pow(9);
  private static final Set<String> FLAGS = Set.of("--strict", "--stats", "--help", "-h");
  private static final Set<String> OPTIONS =
      Set.of(
          "--pools",
          "--tokens",
          "--strategies",
          "--top",
          "--min-profit",
          "--min-profit-base-units",
          "--gas-price-gwei",
          "--gas-per-leg",
          "--gas-per-tx",
          "--start-tokens",
          "--max-cycle-length",
          "--chain-id",
          "--native-token",
          "--native-usd",
          "--max-per-pair",
          "--repeat");

  static final String USAGE_TEXT =
      String.join(
          "\n",
          "usage: scan --pools FILE [options]",
          "",
          "Scans a market for arbitrage and prints one opportunity per line (JSON), most profitable"
              + " first.",
          "",
          "  --pools FILE                 pools CSV: " + MarketCsv.POOLS_HEADER + " (required)",
          "  --tokens FILE                tokens CSV: " + MarketCsv.TOKENS_HEADER,
          "  --strategies LIST            cross_venue,cyclic (default: both)",
          "  --top N                      print at most N opportunities",
          "  --min-profit USD             minimum net profit in USD (needs --tokens and --native-usd)",
          "  --min-profit-base-units N    minimum net profit in start-token base units (default 1)",
          "  --gas-price-gwei X           gas price in gwei of the native token (default 0)",
          "  --gas-per-leg N              gas units per swap (default "
              + ScanConfig.DEFAULT_GAS_PER_LEG
              + ")",
          "  --gas-per-tx N               gas units per transaction (default "
              + ScanConfig.DEFAULT_GAS_PER_TX
              + ")",
          "  --start-tokens A,B           start token addresses in priority order (default: native)",
          "  --max-cycle-length 3|4       longest cycle searched (default 3)",
          "  --chain-id N                 chain id of the pools (default 1)",
          "  --native-token ADDR          the token gas is paid in (default: the tokens file's WETH,"
              + " else mainnet WETH)",
          "  --native-usd PRICE           USD price of one native token; with price_weth gives USD"
              + " values",
          "  --max-per-pair N             opportunities per token pair (cyclic: per start token and"
              + " route): the best, then the next best sharing no pool with those before it"
              + " (default "
              + ScanConfig.DEFAULT_MAX_PER_PAIR
              + ")",
          "  --strict                     reject the input if any row is malformed",
          "  --stats                      print timing to stderr: pools loaded, load ms, min and"
              + " median scan ms, opportunities reported",
          "  --repeat N                   scan N times (default 1), for --stats; prints the last",
          "  --help                       this text",
          "",
          "Exit codes: 0 ok, 1 input rejected, 2 usage error.");

  private ScanCommand() {}

  public static void main(String[] args) {
    int code = run(args, System.out, System.err);
    System.out.flush();
    if (code != OK) {
      System.exit(code);
    }
  }

  /**
   * Runs the command with the given streams.
   *
   * @return the exit code: {@link #OK}, {@link #REJECTED} or {@link #USAGE}
   */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    Map<String, String> options;
    try {
      options = parse(args);
    } catch (UsageException e) {
      err.println("scan: " + e.getMessage());
      err.println("Try 'scan --help'.");
      return USAGE;
    }
    if (options.containsKey("--help")) {
      out.println(USAGE_TEXT);
      return OK;
    }
    try {
      return scan(options, out, err);
    } catch (UsageException e) {
      err.println("scan: " + e.getMessage());
      err.println("Try 'scan --help'.");
      return USAGE;
    } catch (RehoboamException e) {
      err.println("scan: " + e.getMessage());
      return USAGE;
    }
  }

  private static int scan(Map<String, String> options, PrintStream out, PrintStream err) {
    String poolsFile = options.get("--pools");
    if (poolsFile == null) {
      throw new UsageException("--pools FILE is required");
    }
    long chainId = longOption(options, "--chain-id", 1, 0);
    boolean strict = options.containsKey("--strict");
    long top = longOption(options, "--top", Long.MAX_VALUE, 0);
    ScanConfig.Builder config = ScanConfig.builder().chainId(chainId);
    if (options.containsKey("--strategies")) {
      EnumSet<ScanStrategy> strategies = EnumSet.noneOf(ScanStrategy.class);
      for (String id : options.get("--strategies").split(",", -1)) {
        try {
          strategies.add(ScanStrategy.fromId(id));
        } catch (RehoboamException e) {
          throw new UsageException(
              "--strategies: unknown strategy '" + id.trim() + "' (cross_venue, cyclic)");
        }
      }
      config.strategies(strategies);
    }
    long maxCycleLength = longOption(options, "--max-cycle-length", 3, 3);
    if (maxCycleLength > 4) {
      throw new UsageException("--max-cycle-length must be 3 or 4, was " + maxCycleLength);
    }
    config.maxCycleLength((int) maxCycleLength);
    long maxPerPair = longOption(options, "--max-per-pair", ScanConfig.DEFAULT_MAX_PER_PAIR, 1);
    if (maxPerPair > ScanConfig.MAX_MAX_PER_PAIR) {
      throw new UsageException(
          "--max-per-pair must be at most " + ScanConfig.MAX_MAX_PER_PAIR + ", was " + maxPerPair);
    }
    config.maxPerPair((int) maxPerPair);
    long repeat = longOption(options, "--repeat", 1, 1);
    if (repeat > MAX_REPEAT) {
      throw new UsageException("--repeat must be at most " + MAX_REPEAT + ", was " + repeat);
    }
    boolean stats = options.containsKey("--stats");
    config.gasPerLeg(longOption(options, "--gas-per-leg", ScanConfig.DEFAULT_GAS_PER_LEG, 0));
    config.gasPerTx(longOption(options, "--gas-per-tx", ScanConfig.DEFAULT_GAS_PER_TX, 0));
    config.gasPriceWei(gasPriceWei(options.get("--gas-price-gwei")));
    if (options.containsKey("--min-profit-base-units")) {
      config.minProfitBaseUnits(
          BigInteger.valueOf(longOption(options, "--min-profit-base-units", 1, 1)));
    }
    BigDecimal nativeUsd = decimalOption(options, "--native-usd");
    if (nativeUsd != null && nativeUsd.signum() <= 0) {
      throw new UsageException("--native-usd must be positive, was " + nativeUsd);
    }
    BigDecimal minProfit = decimalOption(options, "--min-profit");
    if (minProfit != null) {
      if (minProfit.signum() < 0) {
        throw new UsageException("--min-profit must not be negative, was " + minProfit);
      }
      if (nativeUsd == null) {
        throw new UsageException(
            "--min-profit is in USD and needs prices: pass --tokens (price_weth) and --native-usd");
      }
      config.minProfit(minProfit);
    }
    List<String> startTokens = new ArrayList<>();
    if (options.containsKey("--start-tokens")) {
      for (String token : options.get("--start-tokens").split(",", -1)) {
        startTokens.add(address(token.trim(), "--start-tokens"));
      }
    }
    config.startTokens(startTokens);
    String nativeOption =
        options.containsKey("--native-token")
            ? address(options.get("--native-token"), "--native-token")
            : null;

    long loadStart = System.nanoTime();
    List<MarketCsv.Problem> problems = new ArrayList<>();
    MarketCsv.PoolsResult pools;
    List<TokenInfo> tokens = List.of();
    try {
      pools = MarketCsv.readPools(readable(poolsFile, "--pools"), chainId);
      problems.addAll(pools.problems());
      if (options.containsKey("--tokens")) {
        MarketCsv.TokensResult read =
            MarketCsv.readTokens(readable(options.get("--tokens"), "--tokens"));
        problems.addAll(read.problems());
        tokens = read.tokens();
      }
    } catch (Unreadable e) {
      err.println("scan: " + e.getMessage());
      return REJECTED;
    } catch (IOException e) {
      err.println("scan: cannot read input: " + e.getMessage());
      return REJECTED;
    }
    if (strict && !problems.isEmpty()) {
      err.println("scan: rejected (--strict): " + problems.size() + " malformed row(s)");
      problems.forEach(problem -> err.println(problem));
      return REJECTED;
    }
    for (MarketCsv.Problem problem : problems) {
      err.println("scan: skipped " + problem);
    }

    String nativeToken = nativeOption != null ? nativeOption : nativeFrom(tokens);
    TokenPrices prices = TokenPrices.of(nativeToken, nativeUsd, tokens);
    ScanEngine engine = new ScanEngine(config.build(), Clock.systemUTC(), prices);
    MarketState state = MarketState.of(pools.pools(), 0);
    long loadNanos = System.nanoTime() - loadStart;
    List<Opportunity> found = List.of();
    long[] scanNanos = new long[(int) repeat];
    long[] cpuNanos = new long[(int) repeat];
    for (int i = 0; i < repeat; i++) {
      long cpuStart = ScanStats.cpuNanos();
      long scanStart = System.nanoTime();
      found = engine.fullScan(state);
      scanNanos[i] = System.nanoTime() - scanStart;
      cpuNanos[i] = ScanStats.cpuNanos() - cpuStart;
    }
    if (stats) {
      err.println(ScanStats.line(state.size(), loadNanos, scanNanos, cpuNanos, found.size()));
    }
    ObjectWriter writer = RehoboamJson.mapper().writer();
    long printed = 0;
    for (Opportunity opportunity : found) {
      if (printed++ >= top) {
        break;
      }
      try {
        out.println(writer.writeValueAsString(opportunity));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("an opportunity could not be written as JSON", e);
      }
    }
    out.flush();
    return OK;
  }

  private static String nativeFrom(List<TokenInfo> tokens) {
    for (TokenInfo token : tokens) {
      if (token.symbol().equalsIgnoreCase("WETH")) {
        return token.address();
      }
    }
    return TokenPrices.MAINNET_WETH;
  }

  private static Path readable(String file, String option) {
    Path path = Path.of(file);
    if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
      throw new Unreadable(option + ": cannot read file " + file);
    }
    return path;
  }

  private static BigInteger gasPriceWei(String gwei) {
    if (gwei == null) {
      return BigInteger.ZERO;
    }
    BigDecimal price;
    try {
      price = new BigDecimal(gwei.trim());
    } catch (NumberFormatException e) {
      throw new UsageException("--gas-price-gwei: not a number: '" + gwei + "'");
    }
    if (price.signum() < 0) {
      throw new UsageException("--gas-price-gwei must not be negative, was " + gwei);
    }
    try {
      return price.multiply(WEI_PER_GWEI).toBigIntegerExact();
    } catch (ArithmeticException e) {
      throw new UsageException("--gas-price-gwei: finer than one wei: " + gwei);
    }
  }

  private static String address(String value, String option) {
    if (!ADDRESS.matcher(value).matches()) {
      throw new UsageException(
          option + ": expected 0x followed by 40 hex digits, got '" + value + "'");
    }
    return value.toLowerCase(Locale.ROOT);
  }

  private static long longOption(
      Map<String, String> options, String name, long fallback, long min) {
    String text = options.get(name);
    if (text == null) {
      return fallback;
    }
    long value;
    try {
      value = Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      throw new UsageException(name + ": not an integer: '" + text + "'");
    }
    if (value < min) {
      throw new UsageException(name + " must be at least " + min + ", was " + value);
    }
    return value;
  }

  private static BigDecimal decimalOption(Map<String, String> options, String name) {
    String text = options.get(name);
    if (text == null) {
      return null;
    }
    try {
      return new BigDecimal(text.trim());
    } catch (NumberFormatException e) {
      throw new UsageException(name + ": not a number: '" + text + "'");
    }
  }

  private static Map<String, String> parse(String[] args) {
    Map<String, String> options = new HashMap<>();
    if (args == null) {
      return options;
    }
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg == null) {
        throw new UsageException("empty argument");
      }
      if (FLAGS.contains(arg)) {
        options.put(arg.equals("-h") ? "--help" : arg, "");
        continue;
      }
      String name = arg;
      String value = null;
      int equals = arg.indexOf('=');
      if (arg.startsWith("--") && equals > 0) {
        name = arg.substring(0, equals);
        value = arg.substring(equals + 1);
      }
      if (!OPTIONS.contains(name)) {
        throw new UsageException(
            arg.startsWith("-") ? "unknown option " + name : "unexpected argument '" + arg + "'");
      }
      if (value == null) {
        if (i + 1 >= args.length) {
          throw new UsageException(name + " needs a value");
        }
        value = args[++i];
      }
      options.put(name, value);
    }
    return options;
  }

  /** A mistake in the command line; the message says which. */
  private static final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message, null, false, false);
    }
  }

  /** An input file that cannot be read. */
  private static final class Unreadable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Unreadable(String message) {
      super(message, null, false, false);
    }
  }
}
