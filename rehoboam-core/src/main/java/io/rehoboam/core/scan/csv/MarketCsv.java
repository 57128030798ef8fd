package io.rehoboam.core.scan.csv;

import io.rehoboam.core.scan.TokenInfo;
import io.rehoboam.spi.Checks;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.market.Pool;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads and writes the market CSV files of the scan command and the dataset generator.
 *
 * <p>Pools: header {@value #POOLS_HEADER}; reserves are decimal integers 0..2^112-1, addresses
 * {@code 0x} followed by 40 hex digits, fee 0..9999 bps. Tokens: header {@value #TOKENS_HEADER};
 * {@code price_weth} (the price of one whole token in WETH) may be empty. Blank lines and lines
 * starting with {@code #} are ignored. Fields are separated by commas and trimmed; quoting is not
 * supported (no field may contain a comma).
 *
 * <p>A malformed row never becomes a pool: it is reported as a {@link Problem} with its 1-based
 * line number and skipped; {@link PoolsResult#orThrow()} turns any problem into a failure for
 * strict callers. Stateless and thread-safe.
 */
public final class MarketCsv {
  /** The pools file header. */
  public static final String POOLS_HEADER = "pool_id,dex,token0,token1,reserve0,reserve1,fee_bps";

  /** The tokens file header. */
  public static final String TOKENS_HEADER = "address,symbol,decimals,price_weth";

  private static final Pattern ADDRESS = Pattern.compile("0x[0-9a-fA-F]{40}");
  private static final Pattern INTEGER = Pattern.compile("[0-9]+");
  private static final Pattern PLAIN_FIELD = Pattern.compile("[^,\\s\"]+");
  private static final int POOL_COLUMNS = 7;
  private static final int TOKEN_COLUMNS = 4;

  private MarketCsv() {}

  /**
   * One rejected row.
   *
   * @param source the file name (or what the caller calls the input)
   * @param line 1-based line number
   * @param message what was wrong, naming the column
   */
  public record Problem(String source, int line, String message) {
    public Problem {
      Checks.notNull(source, "source");
      Checks.notBlank(message, "message");
    }

    @Override
    public String toString() {
      return source + ":" + line + ": " + message;
    }
  }

  /** The pools read and the rows rejected, in file order. */
  public record PoolsResult(List<Pool> pools, List<Problem> problems) {
    public PoolsResult {
      pools = List.copyOf(pools);
      problems = List.copyOf(problems);
    }

    /**
     * The pools when no row was rejected.
     *
     * @throws RehoboamException INVALID_ARGUMENT listing every rejected row
     */
    public List<Pool> orThrow() {
      throwIfAny(problems);
      return pools;
    }
  }

  /** The tokens read and the rows rejected, in file order. */
  public record TokensResult(List<TokenInfo> tokens, List<Problem> problems) {
    public TokensResult {
      tokens = List.copyOf(tokens);
      problems = List.copyOf(problems);
    }

    /**
     * The tokens when no row was rejected.
     *
     * @throws RehoboamException INVALID_ARGUMENT listing every rejected row
     */
    public List<TokenInfo> orThrow() {
      throwIfAny(problems);
      return tokens;
    }
  }

  /** Reads a pools file (UTF-8); every pool gets {@code chainId}. */
  public static PoolsResult readPools(Path file, long chainId) throws IOException {
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return readPools(in, file.toString(), chainId);
    }
  }

  /** Reads pools CSV text; {@code source} names the input in problems. */
  public static PoolsResult readPools(Reader in, String source, long chainId) throws IOException {
    Checks.nonNegative(chainId, "chain_id");
    Rows<Pool> rows =
        readRows(
            in,
            source,
            POOLS_HEADER,
            row -> parsePool(row, chainId),
            Pool::id,
            "pool_id: duplicate pool id ");
    return new PoolsResult(rows.rows(), rows.problems());
  }

  /** Reads a tokens file (UTF-8). */
  public static TokensResult readTokens(Path file) throws IOException {
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return readTokens(in, file.toString());
    }
  }

  /** Reads tokens CSV text; {@code source} names the input in problems. */
  public static TokensResult readTokens(Reader in, String source) throws IOException {
    Rows<TokenInfo> rows =
        readRows(
            in,
            source,
            TOKENS_HEADER,
            MarketCsv::parseToken,
            TokenInfo::address,
            "address: duplicate token ");
    return new TokensResult(rows.rows(), rows.problems());
  }

  /** Parses one data row; throws {@link RowException} naming the field. */
  @FunctionalInterface
  private interface RowParser<T> {
    T parse(String row);
  }

  private record Rows<T>(List<T> rows, List<Problem> problems) {}

  /**
   * The CSV grammar both files share: blank lines and {@code #} comments skipped, the header
   * required first, one record per row, a row that fails (or repeats a key) reported with its line
   * number and skipped.
   */
  private static <T> Rows<T> readRows(
      Reader in,
      String source,
      String header,
      RowParser<T> parser,
      java.util.function.Function<T, String> key,
      String duplicate)
      throws IOException {
    List<T> rows = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    Set<String> keys = new HashSet<>();
    BufferedReader reader = buffered(in);
    boolean headerSeen = false;
    int lineNumber = 0;
    String line;
    while ((line = reader.readLine()) != null) {
      lineNumber++;
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      if (!headerSeen) {
        headerSeen = true;
        if (!isHeader(trimmed, header)) {
          problems.add(
              new Problem(
                  source,
                  lineNumber,
                  "expected the header '" + header + "', got: " + clip(trimmed)));
          return new Rows<>(rows, problems);
        }
        continue;
      }
      try {
        T row = parser.parse(trimmed);
        if (!keys.add(key.apply(row))) {
          throw new RowException(duplicate + key.apply(row));
        }
        rows.add(row);
      } catch (RowException e) {
        problems.add(new Problem(source, lineNumber, e.getMessage()));
      }
    }
    if (!headerSeen) {
      problems.add(
          new Problem(source, Math.max(1, lineNumber), "empty file: no header '" + header + "'"));
    }
    return new Rows<>(rows, problems);
  }

  /**
   * Writes a pools file: the header, then one row per pool (chain id is not written).
   *
   * @throws RehoboamException INVALID_ARGUMENT when a pool id or dex cannot be written as a plain
   *     CSV field (comma, quote or blank inside)
   */
  public static void writePools(Writer out, Collection<Pool> pools) throws IOException {
    Checks.notNull(out, "out");
    Checks.notNull(pools, "pools");
    StringBuilder row = new StringBuilder(160);
    out.write(POOLS_HEADER);
    out.write('\n');
    for (Pool pool : pools) {
      row.setLength(0);
      row.append(plain(pool.id(), "pool_id"))
          .append(',')
          .append(plain(pool.dex(), "dex"))
          .append(',')
          .append(pool.token0())
          .append(',')
          .append(pool.token1())
          .append(',')
          .append(pool.reserve0())
          .append(',')
          .append(pool.reserve1())
          .append(',')
          .append(pool.feeBps())
          .append('\n');
      out.write(row.toString());
    }
    out.flush();
  }

  /**
   * Writes a tokens file; {@code price_weth} is the token's price in native units, empty when
   * unknown.
   */
  public static void writeTokens(Writer out, Collection<TokenInfo> tokens) throws IOException {
    Checks.notNull(out, "out");
    Checks.notNull(tokens, "tokens");
    out.write(TOKENS_HEADER);
    out.write('\n');
    for (TokenInfo token : tokens) {
      out.write(
          token.address()
              + ','
              + plain(token.symbol(), "symbol")
              + ','
              + token.decimals()
              + ','
              + (token.priceInNative() == null ? "" : token.priceInNative().toPlainString())
              + '\n');
    }
    out.flush();
  }

  private static Pool parsePool(String line, long chainId) {
    String[] fields = line.split(",", -1);
    if (fields.length != POOL_COLUMNS) {
      throw new RowException(
          "expected " + POOL_COLUMNS + " columns (" + POOLS_HEADER + "), got " + fields.length);
    }
    String id = field(fields[0], "pool_id");
    String dex = field(fields[1], "dex");
    String token0 = address(fields[2], "token0");
    String token1 = address(fields[3], "token1");
    if (token0.equals(token1)) {
      throw new RowException("token1: must differ from token0 (" + token0 + ")");
    }
    BigInteger reserve0 = reserve(fields[4], "reserve0");
    BigInteger reserve1 = reserve(fields[5], "reserve1");
    int fee = fee(fields[6]);
    try {
      return new Pool(id, chainId, dex, id, token0, token1, reserve0, reserve1, fee);
    } catch (RehoboamException e) {
      throw new RowException(e.getMessage());
    }
  }

  private static TokenInfo parseToken(String line) {
    String[] fields = line.split(",", -1);
    if (fields.length != TOKEN_COLUMNS) {
      throw new RowException(
          "expected " + TOKEN_COLUMNS + " columns (" + TOKENS_HEADER + "), got " + fields.length);
    }
    String address = address(fields[0], "address");
    String symbol = fields[1].strip();
    String decimalsText = fields[2].strip();
    if (!INTEGER.matcher(decimalsText).matches() || decimalsText.length() > 2) {
      throw new RowException(
          "decimals: expected an integer 0..77, got '" + clip(decimalsText) + "'");
    }
    int decimals = Integer.parseInt(decimalsText);
    if (decimals > 77) {
      throw new RowException("decimals: expected an integer 0..77, got " + decimals);
    }
    String priceText = fields[3].strip();
    BigDecimal price = null;
    if (!priceText.isEmpty()) {
      try {
        price = new BigDecimal(priceText);
      } catch (NumberFormatException e) {
        throw new RowException("price_weth: not a decimal number: '" + clip(priceText) + "'");
      }
      if (price.signum() <= 0) {
        throw new RowException("price_weth: must be positive, got " + priceText);
      }
    }
    try {
      return new TokenInfo(address, symbol, decimals, null, price);
    } catch (RehoboamException e) {
      throw new RowException(e.getMessage());
    }
  }

  private static String field(String raw, String column) {
    String value = raw.strip();
    if (value.isEmpty()) {
      throw new RowException(column + ": must not be empty");
    }
    if (!PLAIN_FIELD.matcher(value).matches()) {
      throw new RowException(column + ": must not contain blanks or quotes: '" + clip(value) + "'");
    }
    return value;
  }

  private static String address(String raw, String column) {
    String value = raw.strip();
    if (!ADDRESS.matcher(value).matches()) {
      throw new RowException(
          column + ": expected 0x followed by 40 hex digits, got '" + clip(value) + "'");
    }
    return value.toLowerCase(Locale.ROOT);
  }

  private static BigInteger reserve(String raw, String column) {
    String value = raw.strip();
    if (value.startsWith("-")) {
      throw new RowException(column + ": must not be negative, got " + clip(value));
    }
    if (!INTEGER.matcher(value).matches()) {
      throw new RowException(column + ": expected a decimal integer, got '" + clip(value) + "'");
    }
    BigInteger reserve = new BigInteger(value);
    if (reserve.compareTo(Pool.MAX_RESERVE) > 0) {
      throw new RowException(column + ": must be at most 2^112-1, got " + clip(value));
    }
    return reserve;
  }

  private static int fee(String raw) {
    String value = raw.strip();
    if (!INTEGER.matcher(value).matches() || value.length() > 5) {
      throw new RowException("fee_bps: expected an integer 0..9999, got '" + clip(value) + "'");
    }
    int fee = Integer.parseInt(value);
    if (fee > 9999) {
      throw new RowException("fee_bps: expected an integer 0..9999, got " + fee);
    }
    return fee;
  }

  private static boolean isHeader(String line, String header) {
    String[] got = line.split(",", -1);
    String[] want = header.split(",");
    if (got.length != want.length) {
      return false;
    }
    for (int i = 0; i < want.length; i++) {
      if (!got[i].strip().equalsIgnoreCase(want[i])) {
        return false;
      }
    }
    return true;
  }

  private static String plain(String value, String field) {
    if (!PLAIN_FIELD.matcher(value).matches()) {
      throw RehoboamException.invalid(
          field, "cannot be written to CSV (comma, quote or blank inside): '" + value + "'");
    }
    return value;
  }

  private static String clip(String value) {
    return value.length() <= 80 ? value : value.substring(0, 77) + "...";
  }

  private static BufferedReader buffered(Reader in) {
    Checks.notNull(in, "in");
    return in instanceof BufferedReader ? (BufferedReader) in : new BufferedReader(in);
  }

  private static void throwIfAny(List<Problem> problems) {
    if (!problems.isEmpty()) {
      throw new RehoboamException(
          ErrorCode.INVALID_ARGUMENT,
          problems.size()
              + " malformed row(s):\n"
              + problems.stream().map(Problem::toString).collect(Collectors.joining("\n")));
    }
  }

  /** A row-level failure; the message names the column. */
  private static final class RowException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RowException(String message) {
      super(message, null, false, false);
    }
  }
}
