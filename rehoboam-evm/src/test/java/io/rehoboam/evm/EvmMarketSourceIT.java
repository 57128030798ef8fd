package io.rehoboam.evm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.spi.Settings;
import io.rehoboam.spi.Subscription;
import io.rehoboam.spi.market.Pool;
import io.rehoboam.spi.market.PoolUpdate;
import io.rehoboam.spi.market.SourceHealth;
import io.rehoboam.spi.market.Token;
import io.rehoboam.testsupport.AnvilNode;
import io.rehoboam.testsupport.ArbitrageWorld;
import io.rehoboam.testsupport.ChainClient;
import io.rehoboam.testsupport.CountingProxy;
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

@SuppressWarnings("try") // subscriptions are held open by try-with-resources
class EvmMarketSourceIT {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static AnvilNode node;
  private static ChainClient chain;
  private static ArbitrageWorld world;
  private TestContext context;

  @BeforeAll
  static void deploy() {
    node = AnvilNode.start();
    chain = ChainClient.connect(node, 0);
    world = ArbitrageWorld.deploy(chain);
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

  @BeforeEach
  void context() {
    context = new TestContext();
  }

  @AfterEach
  void closeContext() {
    context.close();
  }

  private Map<String, Object> settings(String url) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("rpc_url", url);
    s.put("chain_id", 31337);
    s.put(
        "pools",
        List.of(
            world.baseUsdA(),
            Map.of("address", world.baseX(), "dex", "uniswap_v2"),
            world.xY(),
            world.yBase()));
    s.put(
        "factories",
        List.of(
            Map.of(
                "address",
                world.dexB().factory(),
                "dex",
                "sushiswap",
                "tokens",
                List.of(world.base(), world.usd(), world.z()))));
    s.put("poll_interval", "20ms");
    s.put("backoff_initial", "50ms");
    s.put("backoff_max", "200ms");
    return s;
  }

  private EvmMarketSource source(Map<String, Object> settings) {
    return new EvmMarketSourceProvider().create("chain", Settings.of(settings), context);
  }

  private static String id(String pool) {
    return "31337:" + pool;
  }

  @Test
  void pollingLoadsEveryPoolThenEmitsOnlyThePoolsWhoseReservesChanged() throws Exception {
    Map<String, Object> s = settings(node.rpcUrl());
    // Reads are made by hand after each swap is mined: anvil sometimes answers a call pinned to
    // block N with the state of block N+1 while it mines N+1 (about 2% of reads racing a mined
    // block), which would make the block tag of a concurrent poll off by one.
    s.put("poll_interval", "1h");
    try (EvmMarketSource source = source(s)) {
      assertFalse(source.health().up(), "nothing is read before the first subscription");
      Updates updates = new Updates();
      try (Subscription sub = source.subscribe(updates)) {
        List<PoolUpdate> added = updates.await(0, 7, u -> u.kind() == PoolUpdate.Kind.ADDED, WAIT);
        Map<String, Pool> byAddress =
            added.stream().collect(Collectors.toMap(u -> u.pool().address(), PoolUpdate::pool));
        assertEquals(Set.copyOf(world.pools()), byAddress.keySet());
        assertEquals("sushiswap", byAddress.get(world.baseUsdB()).dex());
        assertEquals("sushiswap", byAddress.get(world.zUsd()).dex());
        assertEquals("uniswap_v2", byAddress.get(world.baseX()).dex());
        for (String pool : world.pools()) {
          BigInteger[] r = UniswapV2.reserves(chain, pool);
          Pool p = byAddress.get(pool);
          assertEquals(id(pool), p.id());
          assertEquals(UniswapV2.token0(chain, pool), p.token0());
          assertEquals(r[0], p.reserve0());
          assertEquals(r[1], p.reserve1());
          assertEquals(30, p.feeBps());
        }
        Map<String, Token> tokens = source.tokens();
        assertEquals(Set.copyOf(world.tokenList()), tokens.keySet());
        assertEquals(18, tokens.get(world.base()).decimals());
        assertEquals("UNI-V2", tokens.get(world.base()).symbol());
        assertTrue(source.health().up());

        int mark = updates.size();
        long swapBlock =
            UniswapV2.swapExactTokensForTokens(
                    chain, world.dexA(), ArbitrageWorld.ONE, List.of(world.base(), world.usd()))
                .getBlockNumber()
                .longValueExact();
        source.refreshNow();
        PoolUpdate moved =
            updates.await(mark, 1, u -> u.pool().address().equals(world.baseUsdA()), WAIT).get(0);
        assertEquals(PoolUpdate.Kind.RESERVES, moved.kind());
        assertEquals(swapBlock, moved.sequence());
        BigInteger[] now = UniswapV2.reserves(chain, world.baseUsdA());
        assertEquals(now[0], moved.pool().reserve0());
        assertEquals(now[1], moved.pool().reserve1());

        UniswapV2.swapExactTokensForTokens(
            chain, world.dexA(), ArbitrageWorld.ONE, List.of(world.base(), world.x()));
        source.refreshNow();
        source.refreshNow(); // a read at an unchanged block emits nothing
        updates.await(mark, 1, u -> u.pool().address().equals(world.baseX()), WAIT);
        List<String> changed =
            updates.all().subList(mark, updates.size()).stream()
                .map(u -> u.pool().address())
                .toList();
        assertEquals(List.of(world.baseUsdA(), world.baseX()), changed);
      }
    }
  }

  @Test
  void aLateSubscriberFirstGetsEveryKnownPoolAsAdded() throws Exception {
    try (EvmMarketSource source = source(settings(node.rpcUrl()))) {
      Updates first = new Updates();
      try (Subscription a = source.subscribe(first)) {
        first.await(0, 7, u -> true, WAIT);
        Updates late = new Updates();
        try (Subscription b = source.subscribe(late)) {
          List<PoolUpdate> snapshot = late.await(0, 7, u -> true, WAIT);
          assertTrue(snapshot.stream().allMatch(u -> u.kind() == PoolUpdate.Kind.ADDED));
        }
      }
    }
  }

  @Test
  void webSocketFollowsSyncLogsAndReportsTheirBlock() throws Exception {
    try (EvmMarketSource source = source(settings(node.wsUrl()))) {
      assertTrue(source.followsWebSocket());
      Updates updates = new Updates();
      try (Subscription sub = source.subscribe(updates)) {
        updates.await(0, 7, u -> u.kind() == PoolUpdate.Kind.ADDED, WAIT);
        List<Long> latencies = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
          int mark = updates.size();
          String swap =
              UniswapV2.prepareSwapOnPair(
                  chain, world.xY(), world.x(), ArbitrageWorld.ONE.divide(BigInteger.TEN));
          long sent = System.nanoTime();
          String hash = chain.sendRaw(world.xY(), swap, BigInteger.ZERO);
          PoolUpdate moved =
              updates.await(mark, 1, u -> u.pool().address().equals(world.xY()), WAIT).get(0);
          long arrived = updates.arrivalOf(mark, u -> u.pool().address().equals(world.xY()));
          latencies.add((arrived - sent) / 1_000);
          var receipt = chain.awaitReceipt(hash);
          assertTrue(receipt.isStatusOK());
          assertEquals(receipt.getBlockNumber().longValueExact(), moved.sequence());
          BigInteger[] now = UniswapV2.reserves(chain, world.xY());
          assertEquals(now[0], moved.pool().reserve0());
          assertEquals(now[1], moved.pool().reserve1());
        }
        System.out.println(
            "[measure] eth_sendRawTransaction of a swap to its PoolUpdate via the Sync log (us): "
                + latencies);
        assertTrue(source.health().up());
      }
    }
  }

  @Test
  void aFactoryWithTheWrongInitCodeHashContributesNoPool() throws Exception {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("rpc_url", node.rpcUrl());
    s.put("pools", List.of(world.baseX()));
    s.put(
        "factories",
        List.of(
            Map.of(
                "address",
                world.dexB().factory(),
                "init_code_hash",
                "0x" + "11".repeat(32),
                "tokens",
                List.of(world.base(), world.usd()))));
    try (EvmMarketSource source = source(s)) {
      Updates updates = new Updates();
      try (Subscription sub = source.subscribe(updates)) {
        updates.await(0, 1, u -> true, WAIT);
        source.refreshNow();
        assertEquals(List.of(world.baseX()), source.pools().stream().map(Pool::address).toList());
      }
    }
  }

  @Test
  void aChainIdMismatchKeepsTheSourceDownAndSaysWhy() throws Exception {
    Map<String, Object> s = settings(node.rpcUrl());
    s.put("chain_id", 1);
    try (EvmMarketSource source = source(s)) {
      try (Subscription sub = source.subscribe(u -> {})) {
        SourceHealth h = awaitHealth(source, x -> x.message().contains("chain_id"));
        assertFalse(h.up());
        assertTrue(h.message().contains("31337"), h.message());
      }
    }
  }

  static SourceHealth awaitHealth(
      EvmMarketSource source, java.util.function.Predicate<SourceHealth> wanted)
      throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    Object monitor = new Object();
    while (true) {
      SourceHealth h = source.health();
      if (wanted.test(h)) {
        return h;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("health never matched; last: " + h);
      }
      synchronized (monitor) {
        monitor.wait(5);
      }
    }
  }

  @Test
  void oneRefreshOf200PoolsIsASmallConstantNumberOfHttpRequests() throws Exception {
    List<String> tokens = new ArrayList<>();
    for (int i = 0; i < 21; i++) {
      tokens.add(UniswapV2.deployToken(chain, BigInteger.TEN.pow(30)));
    }
    List<String> pairs =
        UniswapV2.createPairsQuickly(chain, world.dexA(), tokens, 200, ArbitrageWorld.ONE);
    for (int batchSize : new int[] {250, 50}) {
      try (CountingProxy proxy = CountingProxy.start(node.rpcUrl())) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("rpc_url", proxy.url());
        s.put("pools", pairs);
        s.put("batch_size", batchSize);
        try (EvmMarketSource source = source(s)) {
          source.refreshNow(); // loads tokens and pools once
          assertEquals(200, source.pools().size());
          proxy.reset();
          long before = source.httpRequests();
          source.refreshNow();
          long expectedRequests = 1 + (200 + batchSize - 1) / batchSize;
          assertEquals(expectedRequests, proxy.requests(), "batch_size " + batchSize);
          assertEquals(201, proxy.calls(), proxy.methods().toString());
          assertEquals(expectedRequests, source.httpRequests() - before);
        }
      }
    }
  }
}
