package io.rehoboam.evm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.spi.Settings;
import io.rehoboam.spi.Subscription;
import io.rehoboam.spi.market.Pool;
import io.rehoboam.spi.market.PoolUpdate;
import io.rehoboam.testsupport.AnvilNode;
import io.rehoboam.testsupport.ChainClient;
import io.rehoboam.testsupport.FaultyRpcProxy;
import io.rehoboam.testsupport.UniswapV2;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Pool discovery on anvil: a Uniswap V2 factory deployed by the test, pairs created on it (with
 * liquidity through transfer + mint, as the v2 router does), found from PairCreated logs and from
 * allPairs, filtered by liquidity, and pairs created while the source runs.
 */
@SuppressWarnings("try") // subscriptions are held open by try-with-resources
class PoolDiscoveryIT {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final BigInteger ONE = BigInteger.TEN.pow(18);
  private static AnvilNode node;
  private static ChainClient chain;
  private static String weth;
  private TestContext context;
  private UniswapV2.Dex dex;
  private final List<String> tokens = new ArrayList<>();
  private long factoryBlock;

  @BeforeAll
  static void start() {
    node = AnvilNode.start();
    chain = ChainClient.connect(node, 0);
    weth = UniswapV2.deployWeth(chain);
  }

  @AfterAll
  static void stop() {
    if (chain != null) {
      chain.close();
    }
    if (node != null) {
      node.close();
    }
  }

  /** A fresh factory per test, four tokens; the pairs are made by each test. */
  @BeforeEach
  void deploy() {
    context = new TestContext();
    factoryBlock = chain.blockNumber() + 1;
    dex = UniswapV2.deployDex(chain, "uniswap_v2", weth);
    for (int i = 0; i < 4; i++) {
      tokens.add(UniswapV2.deployToken(chain, BigInteger.TEN.pow(36)));
    }
  }

  @AfterEach
  void closeContext() {
    context.close();
  }

  private String pair(int a, int b, long amountA, long amountB) {
    return UniswapV2.createPair(
        chain,
        dex,
        tokens.get(a),
        tokens.get(b),
        ONE.multiply(BigInteger.valueOf(amountA)),
        ONE.multiply(BigInteger.valueOf(amountB)));
  }

  private Map<String, Object> settings(String url, Map<String, Object> discovery) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("rpc_url", url);
    s.put("chain_id", 31337);
    s.put("poll_interval", "20ms");
    s.put("discovery", discovery);
    return s;
  }

  private Map<String, Object> discovery(Object... more) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put(
        "factories",
        List.of(
            Map.of(
                "address",
                dex.factory(),
                "dex",
                "testswap",
                "fee_bps",
                25,
                "init_code_hash",
                UniswapV2.INIT_CODE_HASH)));
    for (int i = 0; i < more.length; i += 2) {
      d.put((String) more[i], more[i + 1]);
    }
    return d;
  }

  private EvmMarketSource source(Map<String, Object> settings) {
    return new EvmMarketSourceProvider().create("chain", Settings.of(settings), context);
  }

  private static Set<String> addresses(List<PoolUpdate> updates) {
    return updates.stream().map(u -> u.pool().address()).collect(Collectors.toSet());
  }

  private static boolean added(PoolUpdate u) {
    return u.kind() == PoolUpdate.Kind.ADDED;
  }

  @Test
  void pairCreatedLogsFromTheStartBlockFindEveryPairWithTheFactorysVenueAndFee() throws Exception {
    String p01 = pair(0, 1, 100, 200);
    String p12 = pair(1, 2, 300, 300);
    String p23 = pair(2, 3, 50, 70);
    try (EvmMarketSource source =
        source(settings(node.rpcUrl(), discovery("from_block", factoryBlock, "log_blocks", 3)))) {
      Updates updates = new Updates();
      try (Subscription sub = source.subscribe(updates)) {
        List<PoolUpdate> found = updates.await(0, 3, PoolDiscoveryIT::added, WAIT);
        assertEquals(Set.of(p01, p12, p23), addresses(found));
        for (PoolUpdate u : found) {
          Pool p = u.pool();
          assertEquals("testswap", p.dex());
          assertEquals(25, p.feeBps());
          BigInteger[] r = UniswapV2.reserves(chain, p.address());
          assertEquals(List.of(r[0], r[1]), List.of(p.reserve0(), p.reserve1()));
        }
        assertEquals(3, source.pools().size());
      }
    }
  }

  @Test
  void allPairsFindsTheSamePairs() throws Exception {
    String p01 = pair(0, 1, 100, 200);
    String p13 = pair(1, 3, 10, 10);
    try (EvmMarketSource source =
        source(settings(node.rpcUrl(), discovery("method", "all_pairs")))) {
      Updates updates = new Updates();
      try (Subscription sub = source.subscribe(updates)) {
        assertEquals(
            Set.of(p01, p13), addresses(updates.await(0, 2, PoolDiscoveryIT::added, WAIT)));
        assertEquals(2, source.pools().size());
      }
    }
  }

  @Test
  void minLiquidityKeepsOnlyPairsWithEnoughOfAListedToken() throws Exception {
    String big = pair(0, 1, 1_000, 5);
    String small = pair(0, 2, 99, 5_000);
    String reverse = pair(3, 0, 7, 100); // token 0 is the pair's second token here or first
    pair(1, 2, 1_000_000, 1_000_000); // no listed token: left out however deep
    Map<String, Object> d =
        discovery("from_block", factoryBlock, "min_liquidity", Map.of(tokens.get(0), 100));
    try (EvmMarketSource source = source(settings(node.rpcUrl(), d))) {
      Updates updates = new Updates();
      try (Subscription sub = source.subscribe(updates)) {
        List<PoolUpdate> found = updates.await(0, 2, PoolDiscoveryIT::added, WAIT);
        assertEquals(Set.of(big, reverse), addresses(found));
        // Another block: still only those two (the small pair is read again, still too small).
        chain.rpc("evm_mine");
        long head = chain.blockNumber();
        updates.awaitTrue("a read at block " + head, () -> source.lastBlock() >= head, WAIT);
        assertEquals(Set.of(big, reverse), addresses(updates.all()));
        assertTrue(!addresses(updates.all()).contains(small));
      }
    }
  }

  @Test
  void aPairCreatedWhileTheSourceRunsIsAddedOnceItHasLiquidity() throws Exception {
    String first = pair(0, 1, 100, 100);
    Map<String, Object> d =
        discovery(
            "from_block",
            factoryBlock,
            "min_liquidity",
            Map.of(tokens.get(0), 10),
            "recheck_interval",
            "0s");
    try (EvmMarketSource source = source(settings(node.rpcUrl(), d))) {
      Updates updates = new Updates();
      try (Subscription sub = source.subscribe(updates)) {
        assertEquals(Set.of(first), addresses(updates.await(0, 1, PoolDiscoveryIT::added, WAIT)));
        int mark = updates.size();
        // createPair, then the liquidity in later blocks: found empty, added once it is deep.
        String later = pair(2, 0, 40, 40);
        PoolUpdate added = updates.await(mark, 1, PoolDiscoveryIT::added, WAIT).get(0);
        assertEquals(later, added.pool().address());
        BigInteger[] r = UniswapV2.reserves(chain, later);
        assertEquals(
            List.of(r[0], r[1]), List.of(added.pool().reserve0(), added.pool().reserve1()));
        assertEquals(2, source.pools().size());
      }
    }
  }

  @Test
  void overAWebSocketANewPairIsAddedAndItsSwapsFollowed() throws Exception {
    String first = pair(0, 1, 100, 100);
    try (EvmMarketSource source =
        source(settings(node.wsUrl(), discovery("from_block", factoryBlock)))) {
      assertTrue(source.followsWebSocket());
      Updates updates = new Updates();
      try (Subscription sub = source.subscribe(updates)) {
        assertEquals(Set.of(first), addresses(updates.await(0, 1, PoolDiscoveryIT::added, WAIT)));
        int mark = updates.size();
        String later = pair(2, 3, 40, 40);
        updates.await(mark, 1, u -> added(u) && u.pool().address().equals(later), WAIT);
        // A swap on the new pair arrives as its Sync log over the socket.
        int beforeSwap = updates.size();
        chain.transfer(tokens.get(2), later, ONE);
        chain.send(later, new org.web3j.abi.datatypes.Function("sync", List.of(), List.of()));
        BigInteger[] r = UniswapV2.reserves(chain, later);
        PoolUpdate moved =
            updates
                .await(
                    beforeSwap,
                    1,
                    u ->
                        u.kind() == PoolUpdate.Kind.RESERVES
                            && u.pool().address().equals(later)
                            && u.pool().reserve0().add(u.pool().reserve1()).equals(r[0].add(r[1])),
                    WAIT)
                .get(0);
        assertEquals(
            List.of(r[0], r[1]), List.of(moved.pool().reserve0(), moved.pool().reserve1()));
      }
    }
  }

  @Test
  void aFactoryWithAnotherInitCodeHashYieldsNoPools() throws Exception {
    pair(0, 1, 100, 100);
    Map<String, Object> d = discovery("from_block", factoryBlock);
    d.put(
        "factories",
        List.of(Map.of("address", dex.factory(), "init_code_hash", "0x" + "ab".repeat(32))));
    try (EvmMarketSource source = source(settings(node.rpcUrl(), d))) {
      Updates updates = new Updates();
      try (Subscription sub = source.subscribe(updates)) {
        long head = chain.blockNumber();
        updates.awaitTrue(
            "a read at block " + head,
            () -> source.health().up() && source.lastBlock() >= head,
            WAIT);
        assertEquals(List.of(), source.pools());
        assertEquals(List.of(), updates.all());
      }
    }
  }

  @Test
  void aPairCreatedWhileTheNodeWasUnreachableIsFoundWhenItAnswersAgain() throws Exception {
    String first = pair(0, 1, 100, 100);
    try (FaultyRpcProxy proxy = FaultyRpcProxy.start(node.rpcUrl());
        EvmMarketSource source = source(settings(proxy.url(), discovery("method", "all_pairs")))) {
      Updates updates = new Updates();
      try (Subscription sub = source.subscribe(updates)) {
        assertEquals(Set.of(first), addresses(updates.await(0, 1, PoolDiscoveryIT::added, WAIT)));
        proxy.kill();
        updates.awaitTrue("the source down", () -> !source.health().up(), WAIT);
        String later = pair(2, 3, 40, 40);
        int mark = updates.size();
        proxy.revive();
        PoolUpdate added = updates.await(mark, 1, PoolDiscoveryIT::added, WAIT).get(0);
        assertEquals(later, added.pool().address());
        updates.awaitTrue("the source up again", () -> source.health().up(), WAIT);
      }
    }
  }
}
