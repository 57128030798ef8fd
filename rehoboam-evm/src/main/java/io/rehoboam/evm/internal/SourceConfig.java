package io.rehoboam.evm.internal;

import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.Settings;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The settings of an {@code evm} market source, validated. See the module README for each one.
 *
 * @param httpUrl the JSON-RPC URL reads go to (http or https)
 * @param wsUrl the WebSocket URL blocks and Sync logs are followed on; null to poll over HTTP
 * @param endpoints every http(s) JSON-RPC URL, {@code httpUrl} first (several with {@code
 *     rpc_urls})
 * @param failover how several endpoints are checked (used when there are two or more)
 * @param fees the EIP-1559 fee estimator, or null when {@code fee_estimate} is off
 * @param discovery pool discovery from factories, or null
 */
public record SourceConfig(
    String httpUrl,
    String wsUrl,
    Long chainId,
    List<PoolSpec> pools,
    List<FactorySpec> factories,
    Duration pollInterval,
    int batchSize,
    Duration requestTimeout,
    Duration backoffInitial,
    Duration backoffMax,
    Map<String, BigDecimal> quotePrices,
    List<String> endpoints,
    Failover failover,
    FeeEstimator fees,
    Discovery discovery) {

  /** The Uniswap V2 init-code hash (mainnet): keccak256 of the UniswapV2Pair creation code. */
  public static final String UNISWAP_V2_INIT_CODE_HASH =
      "0x96e8ac4277198ff8b6f785478aa9a39f403cb768dd02cbee326c3e7da348845f";

  public static final String DEFAULT_DEX = "uniswap_v2";
  public static final int DEFAULT_FEE_BPS = 30;

  /** A pool given by address. */
  public record PoolSpec(String address, String dex, int feeBps) {}

  /**
   * How several endpoints are checked: every {@code interval} each one is asked its head block; the
   * reference head is the highest block at least {@code quorum} of the answering endpoints reached;
   * an endpoint more than {@code maxLagBlocks} behind it (lagging) or ahead of it (unconfirmed) is
   * dropped until a later check finds it in line again.
   */
  public record Failover(int quorum, long maxLagBlocks, Duration interval) {}

  /** A factory whose pairs are discovered. */
  public record DiscoveryFactory(String address, String dex, int feeBps, String initCodeHash) {}

  /**
   * Pool discovery.
   *
   * @param method {@code logs} (PairCreated logs from {@code fromBlock}) or {@code all_pairs}
   * @param logBlocks blocks asked for in one eth_getLogs
   * @param minLiquidity least reserve, in whole tokens, by lower-case token address: a pair is kept
   *     when one of its tokens is listed and its reserve reaches it (empty: every pair is kept)
   * @param recheckInterval how often pairs below the minimum are read again
   */
  public record Discovery(
      List<DiscoveryFactory> factories,
      String method,
      long fromBlock,
      long logBlocks,
      Map<String, BigDecimal> minLiquidity,
      Duration recheckInterval) {}

  /** A factory whose pairs among {@code tokens} are watched. */
  public record FactorySpec(
      String address, String dex, int feeBps, String initCodeHash, List<String> tokens) {}

  /**
   * Reads and checks the settings.
   *
   * @param env the environment, for {@code ALCHEMY_API_KEY} when no {@code rpc_url} is given
   * @throws RehoboamException INVALID_CONFIG naming the setting
   */
  public static SourceConfig from(Settings s, Map<String, String> env) {
    String[] urls = urls(s, env);
    Long chainId = s.has("chain_id") ? s.longValue("chain_id", 0) : null;
    if (chainId != null && chainId < 0) {
      throw bad("chain_id: must not be negative");
    }
    String defaultDex = s.string("dex", DEFAULT_DEX);
    int defaultFee = fee(s.intValue("fee_bps", DEFAULT_FEE_BPS), "fee_bps");
    List<PoolSpec> pools = new ArrayList<>();
    Object rawPools = s.raw("pools").orElse(List.of());
    if (!(rawPools instanceof List<?> poolList)) {
      throw bad("pools: expected a list of addresses or {address, dex, fee_bps} sections");
    }
    for (int i = 0; i < poolList.size(); i++) {
      Object item = poolList.get(i);
      String where = "pools[" + i + "]";
      if (item instanceof Map<?, ?> map) {
        Settings p = Settings.of(stringKeys(map));
        pools.add(
            new PoolSpec(
                address(p.string("address").orElse(null), where + ".address"),
                p.string("dex", defaultDex),
                fee(p.intValue("fee_bps", defaultFee), where + ".fee_bps")));
      } else {
        pools.add(new PoolSpec(address(String.valueOf(item), where), defaultDex, defaultFee));
      }
    }
    List<FactorySpec> factories = new ArrayList<>();
    Object rawFactories = s.raw("factories").orElse(List.of());
    if (!(rawFactories instanceof List<?> factoryList)) {
      throw bad("factories: expected a list of {address, dex, fee_bps, init_code_hash, tokens}");
    }
    for (int i = 0; i < factoryList.size(); i++) {
      String where = "factories[" + i + "]";
      if (!(factoryList.get(i) instanceof Map<?, ?> map)) {
        throw bad(where + ": expected a section with address and tokens");
      }
      Settings f = Settings.of(stringKeys(map));
      String hash = f.string("init_code_hash", UNISWAP_V2_INIT_CODE_HASH).toLowerCase(Locale.ROOT);
      if (!Abi.isHash(hash)) {
        throw bad(where + ".init_code_hash: expected 0x and 64 hex digits");
      }
      List<String> tokens = new ArrayList<>();
      List<String> given = f.stringList("tokens");
      for (int t = 0; t < given.size(); t++) {
        String token = address(given.get(t), where + ".tokens[" + t + "]");
        if (!tokens.contains(token)) {
          tokens.add(token);
        }
      }
      if (tokens.size() < 2) {
        throw bad(where + ".tokens: needs at least two token addresses");
      }
      factories.add(
          new FactorySpec(
              address(f.string("address").orElse(null), where + ".address"),
              f.string("dex", defaultDex),
              fee(f.intValue("fee_bps", defaultFee), where + ".fee_bps"),
              hash,
              List.copyOf(tokens)));
    }
    Discovery discovery = discovery(s, chainId, defaultDex, defaultFee);
    if (pools.isEmpty() && factories.isEmpty() && discovery == null) {
      throw bad("pools: give pool addresses, factories with tokens to watch, or discovery");
    }
    Duration poll = s.duration("poll_interval", Duration.ofSeconds(1));
    if (poll.isZero()) {
      throw bad("poll_interval: must be positive");
    }
    int batch = s.intValue("batch_size", 250);
    if (batch < 1) {
      throw bad("batch_size: must be at least 1, was " + batch);
    }
    Duration timeout = s.duration("request_timeout", Duration.ofSeconds(10));
    if (timeout.isZero()) {
      throw bad("request_timeout: must be positive");
    }
    Duration backoffInitial = s.duration("backoff_initial", Duration.ofMillis(500));
    Duration backoffMax = s.duration("backoff_max", Duration.ofSeconds(30));
    if (backoffInitial.isZero()) {
      throw bad("backoff_initial: must be positive");
    }
    Map<String, BigDecimal> prices = new LinkedHashMap<>();
    Settings priceSection = s.section("quote_prices");
    for (String token : priceSection.names()) {
      BigDecimal price = priceSection.decimal(token, null);
      if (price == null || price.signum() <= 0) {
        throw bad("quote_prices." + token + ": must be a positive number");
      }
      prices.put(address(token, "quote_prices key"), price);
    }
    List<String> endpoints = endpoints(s, urls[0]);
    int quorum = s.intValue("quorum", 1);
    if (quorum < 1 || quorum > endpoints.size()) {
      throw bad("quorum: must be 1.." + endpoints.size() + " (the endpoints given), was " + quorum);
    }
    long maxLag = s.longValue("max_lag_blocks", 2);
    if (maxLag < 0) {
      throw bad("max_lag_blocks: must not be negative, was " + maxLag);
    }
    Duration healthInterval = s.duration("health_check_interval", Duration.ofSeconds(5));
    if (healthInterval.isZero()) {
      throw bad("health_check_interval: must be positive");
    }
    FeeEstimator fees = null;
    if (s.bool("fee_estimate", false)) {
      int blocks = s.intValue("fee_history_blocks", 10);
      if (blocks < 1 || blocks > 1024) {
        throw bad("fee_history_blocks: must be 1..1024, was " + blocks);
      }
      BigDecimal pct = s.decimal("priority_fee_percentile", BigDecimal.valueOf(50));
      if (pct.signum() < 0 || pct.compareTo(BigDecimal.valueOf(100)) > 0) {
        throw bad("priority_fee_percentile: must be 0..100, was " + pct.toPlainString());
      }
      fees = new FeeEstimator(blocks, pct.doubleValue());
    } else if (s.has("fee_history_blocks") || s.has("priority_fee_percentile")) {
      throw bad("fee_estimate: set it to true to use fee_history_blocks/priority_fee_percentile");
    }
    return new SourceConfig(
        urls[0],
        urls[1],
        chainId,
        List.copyOf(pools),
        List.copyOf(factories),
        poll,
        batch,
        timeout,
        backoffInitial,
        backoffMax,
        Map.copyOf(prices),
        endpoints,
        new Failover(quorum, maxLag, healthInterval),
        fees,
        discovery);
  }

  /**
   * Every http(s) endpoint: {@code rpc_url}'s first, then {@code rpc_urls} (ws(s) ones read at
   * their http(s) twin), without repeats.
   */
  private static List<String> endpoints(Settings s, String first) {
    List<String> out = new ArrayList<>();
    out.add(first);
    List<String> more = s.stringList("rpc_urls");
    for (int i = 0; i < more.size(); i++) {
      String url = more.get(i).trim();
      String lower = url.toLowerCase(Locale.ROOT);
      String http;
      if (lower.startsWith("http://") || lower.startsWith("https://")) {
        http = url;
      } else if (lower.startsWith("ws://") || lower.startsWith("wss://")) {
        http = "http" + url.substring(2);
      } else {
        throw bad("rpc_urls[" + i + "]: must start with http://, https://, ws:// or wss://");
      }
      if (!out.contains(http)) {
        out.add(http);
      }
    }
    return List.copyOf(out);
  }

  private static Discovery discovery(Settings s, Long chainId, String defaultDex, int defaultFee) {
    if (!s.has("discovery")) {
      return null;
    }
    Settings d = s.section("discovery");
    Object raw = d.raw("factories").orElse(null);
    if (!(raw instanceof List<?> list) || list.isEmpty()) {
      throw bad(
          "discovery.factories: expected a list of fork names (uniswap_v2, sushiswap,"
              + " pancakeswap_v2, ...) or {address, dex, fee_bps, init_code_hash}");
    }
    List<DiscoveryFactory> factories = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      String where = "discovery.factories[" + i + "]";
      Object item = list.get(i);
      if (item instanceof Map<?, ?> map) {
        Settings f = Settings.of(stringKeys(map));
        String hash =
            f.string("init_code_hash", UNISWAP_V2_INIT_CODE_HASH).toLowerCase(Locale.ROOT);
        if (!Abi.isHash(hash)) {
          throw bad(where + ".init_code_hash: expected 0x and 64 hex digits");
        }
        factories.add(
            new DiscoveryFactory(
                address(f.string("address").orElse(null), where + ".address"),
                f.string("dex", defaultDex),
                fee(f.intValue("fee_bps", defaultFee), where + ".fee_bps"),
                hash));
      } else if (item instanceof String name && !Abi.isAddress(name.trim())) {
        if (chainId == null) {
          throw bad(where + ": a fork name needs chain_id (the registry is per chain)");
        }
        KnownForks.Fork fork =
            KnownForks.find(chainId, name)
                .orElseThrow(
                    () ->
                        bad(
                            where
                                + ": no fork '"
                                + name
                                + "' on chain "
                                + chainId
                                + " (known there: "
                                + KnownForks.names(chainId)
                                + "); give {address, init_code_hash, fee_bps} instead"));
        factories.add(
            new DiscoveryFactory(fork.factory(), fork.name(), fork.feeBps(), fork.initCodeHash()));
      } else {
        factories.add(
            new DiscoveryFactory(
                address(String.valueOf(item), where),
                defaultDex,
                defaultFee,
                UNISWAP_V2_INIT_CODE_HASH));
      }
    }
    String method = d.string("method", "logs").trim().toLowerCase(Locale.ROOT);
    if (!method.equals("logs") && !method.equals("all_pairs")) {
      throw bad("discovery.method: must be logs or all_pairs, was " + method);
    }
    long fromBlock = d.longValue("from_block", 0);
    if (fromBlock < 0) {
      throw bad("discovery.from_block: must not be negative, was " + fromBlock);
    }
    long logBlocks = d.longValue("log_blocks", 2_000);
    if (logBlocks < 1) {
      throw bad("discovery.log_blocks: must be at least 1, was " + logBlocks);
    }
    Map<String, BigDecimal> min = new LinkedHashMap<>();
    Settings minSection = d.section("min_liquidity");
    for (String token : minSection.names()) {
      BigDecimal amount = minSection.decimal(token, null);
      if (amount == null || amount.signum() < 0) {
        throw bad("discovery.min_liquidity." + token + ": must be a number of whole tokens >= 0");
      }
      min.put(address(token, "discovery.min_liquidity key"), amount);
    }
    Duration recheck = d.duration("recheck_interval", Duration.ofMinutes(1));
    for (String name : d.names()) {
      if (!List.of(
              "factories",
              "method",
              "from_block",
              "log_blocks",
              "min_liquidity",
              "recheck_interval")
          .contains(name)) {
        throw bad(
            "discovery."
                + name
                + ": unknown setting (known: factories, method, from_block, log_blocks,"
                + " min_liquidity, recheck_interval)");
      }
    }
    return new Discovery(
        List.copyOf(factories), method, fromBlock, logBlocks, Map.copyOf(min), recheck);
  }

  /**
   * The HTTP and WebSocket URLs: {@code rpc_url} (http(s) or ws(s)), optional {@code ws_url}; a
   * ws(s) rpc_url also serves reads at its http(s) twin (same host, port and path, as anvil, geth
   * with one port, and hosted providers do). Without rpc_url, {@code ALCHEMY_API_KEY} gives the
   * Alchemy Ethereum mainnet URLs.
   */
  static String[] urls(Settings s, Map<String, String> env) {
    String rpc = s.string("rpc_url").map(String::trim).orElse("");
    String ws = s.string("ws_url").map(String::trim).orElse(null);
    if (rpc.isEmpty()) {
      String key = env.get("ALCHEMY_API_KEY");
      if (key == null || key.isBlank()) {
        throw bad("rpc_url: is required (or set ALCHEMY_API_KEY for Ethereum mainnet)");
      }
      if (s.has("chain_id") && s.longValue("chain_id", 1) != 1) {
        throw bad("rpc_url: is required for chain_id other than 1 (ALCHEMY_API_KEY gives mainnet)");
      }
      rpc = "https://eth-mainnet.g.alchemy.com/v2/" + key.trim();
    }
    String lower = rpc.toLowerCase(Locale.ROOT);
    String http;
    if (lower.startsWith("http://") || lower.startsWith("https://")) {
      http = rpc;
    } else if (lower.startsWith("ws://") || lower.startsWith("wss://")) {
      http = "http" + rpc.substring(2);
      ws = ws == null ? rpc : ws;
    } else {
      throw bad("rpc_url: must start with http://, https://, ws:// or wss://");
    }
    if (ws != null) {
      String w = ws.toLowerCase(Locale.ROOT);
      if (!w.startsWith("ws://") && !w.startsWith("wss://")) {
        throw bad("ws_url: must start with ws:// or wss://");
      }
    }
    return new String[] {http, ws};
  }

  private static Map<String, Object> stringKeys(Map<?, ?> map) {
    Map<String, Object> out = new LinkedHashMap<>();
    map.forEach((k, v) -> out.put(String.valueOf(k), v));
    return out;
  }

  static String address(String value, String field) {
    if (value == null || !Abi.isAddress(value.trim())) {
      throw bad(field + ": expected an address (0x and 40 hex digits)");
    }
    return value.trim().toLowerCase(Locale.ROOT);
  }

  private static int fee(int feeBps, String field) {
    if (feeBps < 0 || feeBps >= 10_000) {
      throw bad(field + ": must be 0..9999, was " + feeBps);
    }
    return feeBps;
  }

  private static RehoboamException bad(String message) {
    return new RehoboamException(ErrorCode.INVALID_CONFIG, message);
  }
}
