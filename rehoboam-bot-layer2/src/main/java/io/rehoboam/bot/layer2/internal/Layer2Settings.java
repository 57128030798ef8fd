package io.rehoboam.bot.layer2.internal;

import io.rehoboam.bot.layer2.BridgeTerms;
import io.rehoboam.bot.layer2.CrossLayerConfig;
import io.rehoboam.bot.layer2.Layer2Mode;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.SettingSpec;
import io.rehoboam.spi.SettingType;
import io.rehoboam.spi.Settings;
import io.rehoboam.spi.SettingsSchema;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The settings of a {@code layer2} bot, parsed and checked (grammar in the module README and on
 * {@link io.rehoboam.bot.layer2.Layer2BotProvider}). Asset addresses given by symbol are resolved
 * later, against the sources, when the bot starts.
 */
public record Layer2Settings(
    Layer2Mode mode,
    String executor,
    boolean autoExecute,
    Duration ttl,
    int slippageBps,
    FailurePolicy failurePolicy,
    int maxUnwindLossBps,
    List<ChainSettings> chains,
    Map<String, Map<Long, String>> assetAddresses,
    List<String> assetSymbols,
    Map<String, BigDecimal> assetQuotePrices,
    List<String> startAssets,
    Map<String, BridgeTerms> bridges,
    BigInteger minProfitBaseUnits,
    BigDecimal minProfitUsd,
    Map<String, BigDecimal> rebalanceBelow,
    BigDecimal maxInputUsd,
    int maxTradesPerMinute) {

  /** What happens to what a failed leg leaves behind. */
  public enum FailurePolicy {
    /** Swap it back at once on the chain where it is, within {@code max_unwind_loss_bps}. */
    UNWIND,
    /** Keep it as an open position until someone closes it. */
    HOLD;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Symbols matched on every chain when no asset map is given. */
  public static final List<String> DEFAULT_SYMBOLS = List.of("WETH", "USDC", "USDT", "DAI", "WBTC");

  /** Default gas units of one swap transaction. */
  public static final long DEFAULT_GAS_PER_SWAP = 120_000;

  /** The settings of one watched chain (an item of {@code chains}). */
  static final List<SettingSpec> CHAIN_SETTINGS =
      List.of(
          SettingSpec.of("chain_id", SettingType.INTEGER, "The chain's id; required")
              .min(0)
              .max(Long.MAX_VALUE),
          SettingSpec.of("source", SettingType.STRING, "The market source of the chain; required"),
          SettingSpec.of("gas_price_gwei", SettingType.DECIMAL, "Gas price on the chain")
              .defaultValue(0)
              .unit("gwei")
              .min(0),
          SettingSpec.of("gas_per_swap", SettingType.INTEGER, "Gas units of one swap transaction")
              .defaultValue(DEFAULT_GAS_PER_SWAP)
              .unit("gas")
              .min(0)
              .max(Long.MAX_VALUE),
          SettingSpec.of(
                  "l1_data_fee_wei",
                  SettingType.INTEGER,
                  "A rollup's L1 data fee per transaction, in the native token")
              .defaultValue(0)
              .unit("wei")
              .min(0),
          SettingSpec.of("native_asset", SettingType.STRING, "The chain's native (gas) asset")
              .defaultValue("WETH"),
          SettingSpec.of(
                  "inventory",
                  SettingType.SECTION,
                  "Whole units of each asset the paper ledger starts with (sim chains)")
              .unit("whole tokens"),
          SettingSpec.of(
                  "rpc_url",
                  SettingType.STRING,
                  "The node to send transactions to (trading live); needs a key and routers")
              .secret(),
          SettingSpec.of("private_key", SettingType.STRING, "The signing key (prefer the env)")
              .secret(),
          SettingSpec.of(
              "private_key_env", SettingType.STRING, "The environment variable holding the key"),
          SettingSpec.of(
              "routers", SettingType.SECTION, "Uniswap-V2 Router02 address by dex (live chains)"),
          SettingSpec.of(
                  "receipt_timeout", SettingType.DURATION, "Bounded wait for a receipt (live)")
              .defaultValue("60s"),
          SettingSpec.of(
                  "poll_interval", SettingType.DURATION, "How often a receipt is asked for (live)")
              .defaultValue("200ms"));

  /** The terms of one bridge direction (a section of {@code bridges}). */
  static final List<SettingSpec> BRIDGE_SETTINGS =
      List.of(
          SettingSpec.of("name", SettingType.STRING, "The bridge's name").defaultValue("bridge"),
          SettingSpec.of("fee_bps", SettingType.INTEGER, "The bridge's fee")
              .defaultValue(5)
              .unit("bps")
              .min(0)
              .max(10_000),
          SettingSpec.of("fixed_fee_wei", SettingType.INTEGER, "A fixed fee per transfer")
              .defaultValue(0)
              .unit("wei")
              .min(0),
          SettingSpec.of("deposit_gas", SettingType.INTEGER, "Gas units of the deposit")
              .defaultValue(100_000)
              .unit("gas")
              .min(0)
              .max(Long.MAX_VALUE),
          SettingSpec.of("settlement", SettingType.DURATION, "How long a transfer takes to arrive")
              .defaultValue("10m"),
          SettingSpec.of(
                  "haircut_bps_per_minute",
                  SettingType.DECIMAL,
                  "Price risk charged per minute of settlement")
              .defaultValue("0.1")
              .unit("bps")
              .min(0));

  /** The settings a layer2 bot reads: the one list of them (the module README explains each). */
  public static final SettingsSchema SCHEMA =
      SettingsSchema.of(
          SettingSpec.of("mode", SettingType.STRING, "inventory or bridge")
              .defaultValue("inventory")
              .allowed("inventory", "bridge"),
          SettingSpec.of("executor", SettingType.STRING, "The layer2 trade executor's id")
              .defaultValue("layer2"),
          SettingSpec.of(
                  "auto_execute",
                  SettingType.BOOLEAN,
                  "Execute found opportunities through the service (risk policy first)")
              .defaultValue(true),
          SettingSpec.of("ttl", SettingType.DURATION, "How long an opportunity stays valid")
              .defaultValue("30s"),
          SettingSpec.of(
                  "slippage_bps", SettingType.INTEGER, "Tolerance below the predicted output")
              .defaultValue(0)
              .unit("bps")
              .min(0)
              .max(10_000),
          SettingSpec.of(
                  "failure_policy",
                  SettingType.STRING,
                  "What happens to what a failed leg leaves: unwind (swap it back) or hold")
              .defaultValue("unwind")
              .allowed("unwind", "hold"),
          SettingSpec.of(
                  "max_unwind_loss_bps",
                  SettingType.INTEGER,
                  "The most an unwind may lose against the leg's input")
              .defaultValue(100)
              .unit("bps")
              .min(0)
              .max(10_000),
          SettingSpec.of(
                  "chains",
                  SettingType.SECTION_LIST,
                  "At least two chains ({chain_id, source, ...}); required")
              .children(CHAIN_SETTINGS.toArray(SettingSpec[]::new)),
          SettingSpec.of(
                  "assets",
                  SettingType.LIST_OR_SECTION,
                  "Symbols matched on every chain, or {asset: {chain_id: address}}")
              .defaultValue(DEFAULT_SYMBOLS),
          SettingSpec.of("quote_prices", SettingType.SECTION, "USD price per whole asset")
              .unit("usd"),
          SettingSpec.of(
              "start_assets",
              SettingType.LIST,
              "Assets an opportunity may start in; default every asset"),
          SettingSpec.of(
              "bridges",
              SettingType.SECTION,
              "Bridge terms: default, or <from chain>-><to chain>, each with "
                  + String.join(", ", BRIDGE_SETTINGS.stream().map(SettingSpec::name).toList())),
          SettingSpec.of(
                  "min_profit_base_units",
                  SettingType.INTEGER,
                  "Least net profit in the start asset's base units")
              .defaultValue(1)
              .unit("base units")
              .min(1),
          SettingSpec.of("min_profit", SettingType.DECIMAL, "Least net profit in USD")
              .unit("usd")
              .min(0),
          SettingSpec.of(
                  "rebalance_below",
                  SettingType.SECTION,
                  "Per asset: the inventory below which the bot proposes a rebalance")
              .unit("whole tokens"),
          SettingSpec.of("max_input", SettingType.DECIMAL, "Most input of one execution in USD")
              .unit("usd"),
          SettingSpec.of(
                  "max_trades_per_minute",
                  SettingType.INTEGER,
                  "The bot's own pace: at most this many executions in any sliding minute, the rest"
                      + " skipped; 0 = no pace of its own")
              .defaultValue(0)
              .min(0)
              .max(100_000));

  private static final BigDecimal WEI_PER_GWEI = BigDecimal.TEN.pow(9);

  /**
   * One watched chain.
   *
   * @param inventory whole units of each asset the paper ledger starts with (sim chains)
   * @param rpcUrl the node to send transactions to (evm chains trading live), or null
   * @param privateKey the signing key (evm chains), or null
   * @param routers Uniswap-V2 Router02 address by dex (evm chains)
   */
  public record ChainSettings(
      long chainId,
      String source,
      BigInteger gasPriceWei,
      long gasPerSwap,
      BigInteger l1DataFeeWei,
      String nativeAsset,
      Map<String, BigDecimal> inventory,
      String rpcUrl,
      String privateKey,
      Map<String, String> routers,
      Duration receiptTimeout,
      Duration pollInterval) {
    @Override
    public String toString() {
      // The key is a secret: never shown.
      return "ChainSettings[chain_id=" + chainId + ", source=" + source + "]";
    }
  }

  /**
   * Parses and checks the settings.
   *
   * @param env the environment, for {@code private_key_env}
   * @throws RehoboamException INVALID_CONFIG naming the setting that is wrong
   */
  public static Layer2Settings from(Settings s, Map<String, String> env) {
    try {
      return parse(s, env);
    } catch (RehoboamException e) {
      throw e.code() == ErrorCode.INVALID_CONFIG
          ? e
          : new RehoboamException(ErrorCode.INVALID_CONFIG, e.getMessage(), e);
    }
  }

  private static Layer2Settings parse(Settings s, Map<String, String> env) {
    Layer2Mode mode = Layer2Mode.parse(s.string("mode", "inventory"));
    int slippage = s.intValue("slippage_bps", 0);
    check(slippage >= 0 && slippage <= 10_000, "slippage_bps", "must be 0..10000");
    String policyText = s.string("failure_policy", "unwind").trim().toLowerCase(Locale.ROOT);
    FailurePolicy policy;
    switch (policyText) {
      case "unwind" -> policy = FailurePolicy.UNWIND;
      case "hold" -> policy = FailurePolicy.HOLD;
      default -> throw bad("failure_policy: expected unwind or hold but was '" + policyText + "'");
    }
    int maxUnwindLoss = s.intValue("max_unwind_loss_bps", 100);
    check(maxUnwindLoss >= 0 && maxUnwindLoss <= 10_000, "max_unwind_loss_bps", "must be 0..10000");
    List<ChainSettings> chains = chains(s, env);
    Map<String, Map<Long, String>> addresses = new LinkedHashMap<>();
    List<String> symbols = List.of();
    Object assets = s.raw("assets").orElse(null);
    if (assets == null) {
      symbols = DEFAULT_SYMBOLS;
    } else if (assets instanceof Map<?, ?>) {
      Settings section = s.section("assets");
      for (String asset : section.names()) {
        Settings byChain = section.section(asset);
        Map<Long, String> map = new LinkedHashMap<>();
        for (String chain : byChain.names()) {
          map.put(parseChainId(chain, "assets." + asset), byChain.requireString(chain));
        }
        addresses.put(asset, map);
      }
      check(!addresses.isEmpty(), "assets", "must name at least one asset");
    } else {
      symbols = s.stringList("assets");
      check(!symbols.isEmpty(), "assets", "must name at least one symbol");
    }
    Map<String, BigDecimal> prices = decimals(s.section("quote_prices"), "quote_prices");
    Map<String, BridgeTerms> bridges = bridges(s.section("bridges"));
    BigInteger minBase = s.bigInteger("min_profit_base_units", BigInteger.ONE);
    check(minBase.signum() > 0, "min_profit_base_units", "must be at least 1");
    BigDecimal minUsd = s.decimal("min_profit", null);
    check(minUsd == null || minUsd.signum() >= 0, "min_profit", "must not be negative");
    BigDecimal maxInput = s.decimal("max_input", null);
    check(maxInput == null || maxInput.signum() > 0, "max_input", "must be positive");
    int pace = s.intValue("max_trades_per_minute", 0);
    check(pace >= 0 && pace <= 100_000, "max_trades_per_minute", "must be 0 (no pace) ..100000");
    Duration ttl = s.duration("ttl", Duration.ofSeconds(30));
    check(!ttl.isZero(), "ttl", "must be positive");
    return new Layer2Settings(
        mode,
        s.string("executor", "layer2"),
        s.bool("auto_execute", true),
        ttl,
        slippage,
        policy,
        maxUnwindLoss,
        chains,
        addresses,
        symbols,
        prices,
        s.stringList("start_assets"),
        bridges,
        minBase,
        minUsd,
        decimals(s.section("rebalance_below"), "rebalance_below"),
        maxInput,
        pace);
  }

  private static List<ChainSettings> chains(Settings s, Map<String, String> env) {
    Object raw = s.raw("chains").orElse(null);
    if (!(raw instanceof List<?> list) || list.size() < 2) {
      throw bad("chains: is required: a list of at least two chains ({chain_id, source, ...})");
    }
    List<ChainSettings> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      String where = "chains[" + i + "]";
      if (!(list.get(i) instanceof Map<?, ?> map)) {
        throw bad(where + ": expected a section {chain_id, source, ...}");
      }
      Map<String, Object> copy = new LinkedHashMap<>();
      map.forEach((k, v) -> copy.put(String.valueOf(k), v));
      Settings c = Settings.of(copy);
      unknown(c, names(CHAIN_SETTINGS), where);
      try {
        check(c.has("chain_id"), "chain_id", "is required");
        long chainId = c.longValue("chain_id", 0);
        check(chainId >= 0, "chain_id", "must not be negative");
        BigDecimal gwei = c.decimal("gas_price_gwei", BigDecimal.ZERO);
        check(gwei.signum() >= 0, "gas_price_gwei", "must not be negative");
        long gasPerSwap = c.longValue("gas_per_swap", DEFAULT_GAS_PER_SWAP);
        check(gasPerSwap >= 0, "gas_per_swap", "must not be negative");
        BigInteger l1Fee = c.bigInteger("l1_data_fee_wei", BigInteger.ZERO);
        check(l1Fee.signum() >= 0, "l1_data_fee_wei", "must not be negative");
        String key = c.string("private_key").orElse(null);
        if (key == null && c.has("private_key_env")) {
          String var = c.requireString("private_key_env");
          key = env.get(var);
          check(
              key != null && !key.isBlank(), "private_key_env", "variable " + var + " is not set");
        }
        Map<String, String> routers = new LinkedHashMap<>();
        Settings r = c.section("routers");
        for (String dex : r.names()) {
          routers.put(dex, r.requireString(dex).toLowerCase(Locale.ROOT));
        }
        String rpc = c.string("rpc_url").orElse(null);
        check(
            rpc == null || key != null,
            "private_key",
            "is required with rpc_url (or private_key_env)");
        check(rpc == null || !routers.isEmpty(), "routers", "are required with rpc_url");
        Map<String, BigDecimal> inventory = decimals(c.section("inventory"), "inventory");
        check(
            rpc == null || inventory.isEmpty(), "inventory", "is read from the chain with rpc_url");
        out.add(
            new ChainSettings(
                chainId,
                c.requireString("source"),
                gwei.multiply(WEI_PER_GWEI).setScale(0, RoundingMode.CEILING).toBigIntegerExact(),
                gasPerSwap,
                l1Fee,
                c.string("native_asset", "WETH"),
                inventory,
                rpc,
                key,
                routers,
                c.duration("receipt_timeout", Duration.ofSeconds(60)),
                c.duration("poll_interval", Duration.ofMillis(200))));
      } catch (RehoboamException e) {
        throw bad(where + "." + e.getMessage());
      }
    }
    return List.copyOf(out);
  }

  private static Map<String, BridgeTerms> bridges(Settings section) {
    Map<String, BridgeTerms> out = new LinkedHashMap<>();
    if (!section.has(CrossLayerConfig.DEFAULT_BRIDGE)) {
      out.put(CrossLayerConfig.DEFAULT_BRIDGE, terms(Settings.empty(), "bridges.default"));
    }
    for (String name : section.names()) {
      String where = "bridges." + name;
      String key = name;
      if (!name.equals(CrossLayerConfig.DEFAULT_BRIDGE)) {
        String[] parts = name.split("->");
        check(parts.length == 2, where, "expected default or <from chain>-><to chain>");
        key =
            CrossLayerConfig.direction(
                parseChainId(parts[0], where), parseChainId(parts[1], where));
      }
      out.put(key, terms(section.section(name), where));
    }
    return out;
  }

  private static BridgeTerms terms(Settings b, String where) {
    unknown(b, names(BRIDGE_SETTINGS), where);
    try {
      return new BridgeTerms(
          b.string("name", "bridge"),
          b.intValue("fee_bps", 5),
          b.bigInteger("fixed_fee_wei", BigInteger.ZERO),
          b.longValue("deposit_gas", 100_000),
          b.duration("settlement", Duration.ofMinutes(10)),
          b.decimal("haircut_bps_per_minute", new BigDecimal("0.1")));
    } catch (RehoboamException e) {
      throw bad(where + "." + e.getMessage());
    }
  }

  private static Map<String, BigDecimal> decimals(Settings section, String where) {
    Map<String, BigDecimal> out = new LinkedHashMap<>();
    for (String name : section.names()) {
      BigDecimal v = section.decimal(name, null);
      check(v.signum() >= 0, where + "." + name, "must not be negative");
      out.put(name, v);
    }
    return out;
  }

  private static long parseChainId(String text, String where) {
    try {
      long id = Long.parseLong(text.trim());
      check(id >= 0, where, "chain ids must not be negative");
      return id;
    } catch (NumberFormatException e) {
      throw bad(where + ": expected a chain id but was a text of " + text.length() + " characters");
    }
  }

  private static Set<String> names(List<SettingSpec> specs) {
    Set<String> out = new TreeSet<>();
    specs.forEach(spec -> out.add(spec.name()));
    return out;
  }

  private static void unknown(Settings s, Set<String> known, String where) {
    TreeSet<String> extra = new TreeSet<>(s.names());
    extra.removeAll(known);
    if (!extra.isEmpty()) {
      throw bad(
          where
              + "."
              + extra.first()
              + ": unknown setting (known: "
              + String.join(", ", new TreeSet<>(known))
              + ")");
    }
  }

  private static void check(boolean ok, String field, String problem) {
    if (!ok) {
      throw bad(field + ": " + problem);
    }
  }

  static RehoboamException bad(String message) {
    return new RehoboamException(ErrorCode.INVALID_CONFIG, message);
  }
}
