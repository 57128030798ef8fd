package io.rehoboam.evm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.evm.internal.Abi;
import io.rehoboam.evm.internal.SourceConfig;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.Settings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EvmMarketSourceProviderTest {
  private static final String POOL = "0xB4e16d0168e52d35CaCD2c6185b44281Ec28C9Dc";

  private static Map<String, Object> base() {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("rpc_url", "http://127.0.0.1:8545");
    s.put("pools", List.of(POOL));
    return s;
  }

  private static RehoboamException invalid(Map<String, Object> s, Map<String, String> env) {
    RehoboamException e =
        assertThrows(RehoboamException.class, () -> SourceConfig.from(Settings.of(s), env));
    assertEquals(ErrorCode.INVALID_CONFIG, e.code());
    return e;
  }

  @Test
  void readsPoolsFactoriesAndDefaults() {
    Map<String, Object> s = base();
    s.put(
        "factories",
        List.of(
            Map.of(
                "address",
                "0x5C69bEe701ef814a2B6a3EDD4B1652CB9cc5aA6f",
                "dex",
                "uniswap_v2",
                "tokens",
                List.of(
                    "0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2",
                    "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48"))));
    SourceConfig c = SourceConfig.from(Settings.of(s), Map.of());
    assertEquals(POOL.toLowerCase(), c.pools().get(0).address());
    assertEquals(30, c.pools().get(0).feeBps());
    assertEquals(SourceConfig.UNISWAP_V2_INIT_CODE_HASH, c.factories().get(0).initCodeHash());
    assertNull(c.wsUrl());
    assertEquals(250, c.batchSize());
    assertEquals(1_000, c.pollInterval().toMillis());
  }

  @Test
  void aWebSocketUrlAlsoServesReadsAtItsHttpTwin() {
    Map<String, Object> s = base();
    s.put("rpc_url", "wss://node.example/v2/key");
    SourceConfig c = SourceConfig.from(Settings.of(s), Map.of());
    assertEquals("https://node.example/v2/key", c.httpUrl());
    assertEquals("wss://node.example/v2/key", c.wsUrl());
  }

  @Test
  void alchemyKeyBuildsTheMainnetUrlWhenNoRpcUrlIsGiven() {
    Map<String, Object> s = base();
    s.remove("rpc_url");
    SourceConfig c = SourceConfig.from(Settings.of(s), Map.of("ALCHEMY_API_KEY", "abc123"));
    assertEquals("https://eth-mainnet.g.alchemy.com/v2/abc123", c.httpUrl());
    RehoboamException missing = invalid(s, Map.of());
    assertTrue(missing.getMessage().startsWith("rpc_url:"), missing.getMessage());
    s.put("chain_id", 10);
    assertTrue(invalid(s, Map.of("ALCHEMY_API_KEY", "abc123")).getMessage().contains("chain_id"));
  }

  @Test
  void badSettingsNameTheSetting() {
    Map<String, Object> s = base();
    s.put("pools", List.of("0x1234"));
    assertTrue(invalid(s, Map.of()).getMessage().startsWith("pools[0]:"));
    s = base();
    s.put("rpc_url", "ftp://x");
    assertTrue(invalid(s, Map.of()).getMessage().startsWith("rpc_url:"));
    s = base();
    s.put("fee_bps", 10_000);
    assertTrue(invalid(s, Map.of()).getMessage().startsWith("fee_bps:"));
    s = base();
    s.remove("pools");
    assertTrue(invalid(s, Map.of()).getMessage().startsWith("pools:"));
    s = base();
    s.put("factories", List.of(Map.of("address", POOL, "tokens", List.of(POOL))));
    assertTrue(invalid(s, Map.of()).getMessage().startsWith("factories[0].tokens:"));
    s = base();
    s.put("batch_size", 0);
    assertTrue(invalid(s, Map.of()).getMessage().startsWith("batch_size:"));
    s = base();
    s.put("ws_url", "http://x");
    assertTrue(invalid(s, Map.of()).getMessage().startsWith("ws_url:"));
  }

  @Test
  void providerDeclaresUrlsSensitiveAndBuildsNothingBeforeASubscription() {
    EvmMarketSourceProvider provider = new EvmMarketSourceProvider();
    assertEquals("evm", provider.type());
    assertTrue(provider.settingsSchema().sensitiveNames().contains("rpc_url"));
    try (TestContext ctx = new TestContext();
        EvmMarketSource source = provider.create("s", Settings.of(base()), ctx)) {
      assertFalse(source.health().up());
      assertTrue(source.pools().isEmpty());
      assertTrue(source.tokens().isEmpty());
    }
  }

  @Test
  void create2PairForGivesTheMainnetUsdcWethPair() {
    assertEquals(
        POOL.toLowerCase(),
        Abi.pairFor(
            "0x5C69bEe701ef814a2B6a3EDD4B1652CB9cc5aA6f",
            "0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2",
            "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48",
            SourceConfig.UNISWAP_V2_INIT_CODE_HASH));
  }

  @Test
  void symbolsDecodeAsStringOrBytes32() {
    String abiString =
        "0x0000000000000000000000000000000000000000000000000000000000000020"
            + "0000000000000000000000000000000000000000000000000000000000000004"
            + "5745544800000000000000000000000000000000000000000000000000000000";
    assertEquals("WETH", Abi.symbol(abiString));
    assertEquals(
        "MKR", Abi.symbol("0x4d4b520000000000000000000000000000000000000000000000000000000000"));
    assertNull(Abi.symbol("0x"));
  }

  @Test
  void forkNamesResolveFromTheRegistryOfTheConfiguredChain() {
    Map<String, Object> s = base();
    s.remove("pools");
    s.put("chain_id", 1);
    s.put(
        "discovery",
        Map.of("factories", List.of("uniswap_v2", "SushiSwap"), "from_block", 10_000_835));
    SourceConfig.Discovery d = SourceConfig.from(Settings.of(s), Map.of()).discovery();
    assertEquals(2, d.factories().size());
    assertEquals("0x5c69bee701ef814a2b6a3edd4b1652cb9cc5aa6f", d.factories().get(0).address());
    assertEquals(SourceConfig.UNISWAP_V2_INIT_CODE_HASH, d.factories().get(0).initCodeHash());
    assertEquals("sushiswap", d.factories().get(1).dex());
    assertEquals(
        "0xe18a34eb0e04b04f7a0ac29a6e80748dca96319b42c54d679cb821dca90c6303",
        d.factories().get(1).initCodeHash());
    assertEquals("logs", d.method());
    assertEquals(10_000_835, d.fromBlock());
    s.put("chain_id", 56);
    s.put("discovery", Map.of("factories", List.of("pancakeswap_v2")));
    SourceConfig.DiscoveryFactory cake =
        SourceConfig.from(Settings.of(s), Map.of()).discovery().factories().get(0);
    assertEquals(25, cake.feeBps());
    assertEquals("0xca143ce32fe78f1f7019d7d551a6402fc5350c73", cake.address());
  }

  @Test
  void badDiscoverySettingsNameTheField() {
    Map<String, Object> s = base();
    s.put("chain_id", 1);
    s.put("discovery", Map.of("factories", List.of("pancakeswap_v2")));
    assertEquals(
        "discovery.factories[0]: no fork 'pancakeswap_v2' on chain 1 (known there: [uniswap_v2,"
            + " sushiswap]); give {address, init_code_hash, fee_bps} instead",
        invalid(s, Map.of()).getMessage());
    s.remove("chain_id");
    s.put("discovery", Map.of("factories", List.of("uniswap_v2")));
    assertEquals(
        "discovery.factories[0]: a fork name needs chain_id (the registry is per chain)",
        invalid(s, Map.of()).getMessage());
    s.put("discovery", Map.of("factories", List.of()));
    assertTrue(invalid(s, Map.of()).getMessage().startsWith("discovery.factories: expected"));
    s.put("discovery", Map.of("factories", List.of(POOL), "method", "scan"));
    assertEquals(
        "discovery.method: must be logs or all_pairs, was scan", invalid(s, Map.of()).getMessage());
    s.put("discovery", Map.of("factories", List.of(POOL), "from_block", -1));
    assertTrue(invalid(s, Map.of()).getMessage().startsWith("discovery.from_block"));
    s.put("discovery", Map.of("factories", List.of(POOL), "min_liquidity", Map.of("weth", 1)));
    assertTrue(invalid(s, Map.of()).getMessage().startsWith("discovery.min_liquidity key"));
    s.put("discovery", Map.of("factories", List.of(POOL), "from", 1));
    assertTrue(invalid(s, Map.of()).getMessage().startsWith("discovery.from: unknown setting"));
    s.put(
        "discovery",
        Map.of("factories", List.of(Map.of("address", POOL, "init_code_hash", "0x12"))));
    assertEquals(
        "discovery.factories[0].init_code_hash: expected 0x and 64 hex digits",
        invalid(s, Map.of()).getMessage());
  }

  @Test
  void discoveryAloneIsEnoughToWatchPools() {
    Map<String, Object> s = base();
    s.remove("pools");
    assertTrue(invalid(s, Map.of()).getMessage().startsWith("pools:"));
    s.put("discovery", Map.of("factories", List.of(POOL)));
    assertEquals(
        POOL.toLowerCase(),
        SourceConfig.from(Settings.of(s), Map.of()).discovery().factories().get(0).address());
  }

  @Test
  void feeSettingsAreCheckedAndNeedFeeEstimate() {
    Map<String, Object> s = base();
    assertNull(SourceConfig.from(Settings.of(s), Map.of()).fees());
    s.put("fee_history_blocks", 5);
    assertTrue(invalid(s, Map.of()).getMessage().startsWith("fee_estimate: set it to true"));
    s.put("fee_estimate", true);
    assertEquals(5, SourceConfig.from(Settings.of(s), Map.of()).fees().blocks());
    s.put("priority_fee_percentile", 101);
    assertEquals(
        "priority_fee_percentile: must be 0..100, was 101", invalid(s, Map.of()).getMessage());
    s.put("priority_fee_percentile", 25);
    s.put("fee_history_blocks", 0);
    assertEquals("fee_history_blocks: must be 1..1024, was 0", invalid(s, Map.of()).getMessage());
  }

  @Test
  void severalEndpointsAreReadInOrderWithoutRepeats() {
    Map<String, Object> s = base();
    s.put("rpc_urls", List.of("wss://b.example/key", "http://127.0.0.1:8545", "https://c.example"));
    s.put("quorum", 2);
    SourceConfig c = SourceConfig.from(Settings.of(s), Map.of());
    assertEquals(
        List.of("http://127.0.0.1:8545", "https://b.example/key", "https://c.example"),
        c.endpoints());
    assertEquals(2, c.failover().quorum());
    s.put("quorum", 4);
    assertEquals(
        "quorum: must be 1..3 (the endpoints given), was 4", invalid(s, Map.of()).getMessage());
    s.put("quorum", 1);
    s.put("rpc_urls", List.of("ftp://x"));
    assertEquals(
        "rpc_urls[0]: must start with http://, https://, ws:// or wss://",
        invalid(s, Map.of()).getMessage());
  }
}
