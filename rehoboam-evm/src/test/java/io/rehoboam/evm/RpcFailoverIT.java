package io.rehoboam.evm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.evm.internal.RpcClient;
import io.rehoboam.evm.internal.RpcEndpoints;
import io.rehoboam.spi.Settings;
import io.rehoboam.spi.Subscription;
import io.rehoboam.spi.market.PoolUpdate;
import io.rehoboam.testsupport.AnvilNode;
import io.rehoboam.testsupport.ArbitrageWorld;
import io.rehoboam.testsupport.ChainClient;
import io.rehoboam.testsupport.FaultyRpcProxy;
import io.rehoboam.testsupport.UniswapV2;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A source on several endpoints of one anvil chain, the preferred one behind a proxy the test
 * breaks: killed, stuck at an old head, or claiming a head nobody else has. The source keeps
 * following the live chain through the other endpoint and goes back to the preferred one once it is
 * healthy again.
 */
@SuppressWarnings("try") // subscriptions are held open by try-with-resources
class RpcFailoverIT {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static AnvilNode node;
  private static ChainClient chain;
  private static ArbitrageWorld world;
  private TestContext context;
  private final List<FaultyRpcProxy> proxies = new ArrayList<>();

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
  void close() {
    context.close();
    proxies.forEach(FaultyRpcProxy::close);
  }

  private FaultyRpcProxy proxy() {
    FaultyRpcProxy p = FaultyRpcProxy.start(node.rpcUrl());
    proxies.add(p);
    return p;
  }

  private EvmMarketSource source(String first, List<String> more, int quorum) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("rpc_url", first);
    s.put("rpc_urls", more);
    s.put("quorum", quorum);
    s.put("chain_id", 31337);
    s.put("pools", world.pools());
    s.put("poll_interval", "20ms");
    s.put("health_check_interval", "50ms");
    s.put("max_lag_blocks", 1);
    s.put("backoff_initial", "50ms");
    s.put("backoff_max", "200ms");
    s.put("request_timeout", "2s");
    return new EvmMarketSourceProvider().create("chain", Settings.of(s), context);
  }

  private static String endpoint(String url) {
    return RpcClient.describe(url);
  }

  /** A swap on base/usd of venue A; returns the pool's reserves after it, read from the chain. */
  private static List<BigInteger> swap() {
    UniswapV2.swapExactTokensForTokens(
        chain,
        world.dexA(),
        ArbitrageWorld.ONE.multiply(BigInteger.valueOf(1_000)),
        List.of(world.usd(), world.base()));
    BigInteger[] r = UniswapV2.reserves(chain, world.baseUsdA());
    return List.of(r[0], r[1]);
  }

  /** Waits for the update of base/usd A carrying {@code reserves}. */
  private static void awaitReserves(Updates updates, int from, List<BigInteger> reserves)
      throws InterruptedException {
    updates.await(
        from,
        1,
        u ->
            u.pool().address().equals(world.baseUsdA())
                && List.of(u.pool().reserve0(), u.pool().reserve1()).equals(reserves),
        WAIT);
  }

  private static RpcEndpoints.Status status(EvmMarketSource source, int i) {
    return source.endpoints().get(i);
  }

  @Test
  void thePreferredEndpointKilledMidRunTheSourceFollowsTheOtherAndComesBack() throws Exception {
    FaultyRpcProxy preferred = proxy();
    try (EvmMarketSource source = source(preferred.url(), List.of(node.rpcUrl()), 1)) {
      Updates updates = new Updates();
      try (Subscription sub = source.subscribe(updates)) {
        updates.await(0, 7, u -> u.kind() == PoolUpdate.Kind.ADDED, WAIT);
        assertEquals(endpoint(preferred.url()), source.activeEndpoint());

        preferred.kill();
        int mark = updates.size();
        awaitReserves(updates, mark, swap());
        assertEquals(endpoint(node.rpcUrl()), source.activeEndpoint());
        assertFalse(status(source, 0).healthy());
        assertTrue(
            status(source, 0).reason().startsWith("unreachable"), status(source, 0).reason());
        assertTrue(source.health().up(), source.health().message());

        preferred.revive();
        updates.awaitTrue(
            "the preferred endpoint back in use",
            () -> source.activeEndpoint().equals(endpoint(preferred.url())),
            WAIT);
        assertTrue(status(source, 0).healthy());
        long served = preferred.requests();
        mark = updates.size();
        awaitReserves(updates, mark, swap());
        assertTrue(preferred.requests() > served, "read through the preferred endpoint again");
      }
    }
  }

  @Test
  void anEndpointStuckAtAnOldHeadIsDroppedAsLagging() throws Exception {
    FaultyRpcProxy preferred = proxy();
    try (EvmMarketSource source = source(preferred.url(), List.of(node.rpcUrl()), 1)) {
      Updates updates = new Updates();
      try (Subscription sub = source.subscribe(updates)) {
        updates.await(0, 7, u -> u.kind() == PoolUpdate.Kind.ADDED, WAIT);
        preferred.freeze();
        int mark = updates.size();
        List<BigInteger> after = swap();
        chain.rpc("evm_mine");
        chain.rpc("evm_mine"); // three blocks past the frozen head: more than max_lag_blocks
        awaitReserves(updates, mark, after);
        assertEquals(endpoint(node.rpcUrl()), source.activeEndpoint());
        assertTrue(
            status(source, 0).reason().startsWith("lagging: head "), status(source, 0).reason());

        preferred.forward();
        updates.awaitTrue(
            "the preferred endpoint back in line",
            () -> source.activeEndpoint().equals(endpoint(preferred.url())),
            WAIT);
      }
    }
  }

  @Test
  void withAQuorumOfTwoAnEndpointClaimingAHeadNobodyElseHasIsDropped() throws Exception {
    FaultyRpcProxy liar = proxy();
    FaultyRpcProxy honest = proxy();
    try (EvmMarketSource source = source(liar.url(), List.of(node.rpcUrl(), honest.url()), 2)) {
      Updates updates = new Updates();
      try (Subscription sub = source.subscribe(updates)) {
        updates.await(0, 7, u -> u.kind() == PoolUpdate.Kind.ADDED, WAIT);
        liar.lieAhead(1_000);
        int mark = updates.size();
        awaitReserves(updates, mark, swap());
        updates.awaitTrue("the lying endpoint dropped", () -> !status(source, 0).healthy(), WAIT);
        assertTrue(
            status(source, 0).reason().contains("ahead of the quorum head"),
            status(source, 0).reason());
        assertEquals(endpoint(node.rpcUrl()), source.activeEndpoint());
        assertTrue(status(source, 2).healthy());
        mark = updates.size();
        awaitReserves(updates, mark, swap());
        assertTrue(source.health().up());
      }
    }
  }

  /**
   * Two anvil processes with the same state (the second loads the first's dumped state): the second
   * falls behind as the first mines (it does not see the first's transactions), and is then killed;
   * the source follows the first throughout.
   */
  @Test
  void ofTwoAnvilNodesOneFallsBehindAndIsKilledTheSourceFollowsTheLiveOne() throws Exception {
    try (AnvilNode twin = AnvilNode.start(new AnvilNode.Options(31337, 3, 1_000_000, true, false));
        ChainClient twinClient = ChainClient.connect(twin, 0)) {
      twinClient.rpc("anvil_loadState", chain.rpc("anvil_dumpState"));
      assertEquals(
          UniswapV2.reserves(chain, world.baseUsdA())[0],
          UniswapV2.reserves(twinClient, world.baseUsdA())[0],
          "the twin holds the same pools");
      try (EvmMarketSource source = source(twin.rpcUrl(), List.of(node.rpcUrl()), 1)) {
        Updates updates = new Updates();
        try (Subscription sub = source.subscribe(updates)) {
          updates.await(0, 7, u -> u.kind() == PoolUpdate.Kind.ADDED, WAIT);
          assertEquals(endpoint(twin.rpcUrl()), source.activeEndpoint());
          // The live node moves on: a swap and two more blocks; the twin stays where it was.
          int mark = updates.size();
          List<BigInteger> after = swap();
          chain.rpc("evm_mine");
          chain.rpc("evm_mine");
          awaitReserves(updates, mark, after);
          assertEquals(endpoint(node.rpcUrl()), source.activeEndpoint());
          assertTrue(status(source, 0).reason().startsWith("lagging"), status(source, 0).reason());

          long pid = twin.pid();
          twin.stop();
          assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
          updates.awaitTrue(
              "the killed twin found unreachable",
              () -> status(source, 0).reason().startsWith("unreachable"),
              WAIT);
          mark = updates.size();
          awaitReserves(updates, mark, swap());
          assertTrue(source.health().up(), source.health().message());
        }
      }
    }
  }

  @Test
  void anEndpointOnAnotherChainIsNeverReadEvenWhenThePreferredOneDies() throws Exception {
    FaultyRpcProxy preferred = proxy();
    try (AnvilNode other = AnvilNode.start(new AnvilNode.Options(999, 1, 1_000, true, false));
        EvmMarketSource source = source(preferred.url(), List.of(other.rpcUrl()), 1)) {
      Updates updates = new Updates();
      try (Subscription sub = source.subscribe(updates)) {
        updates.await(0, 7, u -> u.kind() == PoolUpdate.Kind.ADDED, WAIT);
        assertEquals("on chain 999, not 31337", status(source, 1).reason());
        preferred.kill();
        updates.awaitTrue("the source down", () -> !source.health().up(), WAIT);
        assertEquals(endpoint(preferred.url()), source.activeEndpoint());
        int mark = updates.size();
        preferred.revive();
        awaitReserves(updates, mark, swap());
        assertFalse(status(source, 1).healthy());
      }
    }
  }
}
