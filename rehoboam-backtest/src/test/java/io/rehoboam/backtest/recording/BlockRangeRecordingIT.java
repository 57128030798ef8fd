package io.rehoboam.backtest.recording;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.core.ArbitrageService;
import io.rehoboam.core.config.ConfigLoader;
import io.rehoboam.core.config.RehoboamConfig;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.Subscription;
import io.rehoboam.spi.market.MarketSource;
import io.rehoboam.spi.market.Pool;
import io.rehoboam.spi.market.PoolUpdate;
import io.rehoboam.spi.market.Token;
import io.rehoboam.testsupport.AnvilNode;
import io.rehoboam.testsupport.ArbitrageWorld;
import io.rehoboam.testsupport.ChainClient;
import io.rehoboam.testsupport.UniswapV2;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.abi.EventEncoder;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * A recording of a range of blocks made after the fact from the node ({@code Sync} logs by {@code
 * eth_getLogs} and the reserves at the first block) equals the recording made live while those
 * blocks were mined: same tokens, prices, updates, blocks and reserves. Real Uniswap V2 pairs on
 * anvil, swapped through the router (several pairs in one transaction) and directly on a pair.
 */
@SuppressWarnings("try") // the subscription is held open by try-with-resources
class BlockRangeRecordingIT {
  private static final String SYNC_TOPIC =
      EventEncoder.buildEventSignature("Sync(uint112,uint112)");
  private static final long WAIT_SECONDS = 30;

  private static AnvilNode node;
  private static ChainClient chain;
  private static ArbitrageWorld world;

  @TempDir Path dir;

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

  /** The updates of a recording without their times, and its tokens and prices. */
  private record Content(
      List<String> sources,
      Map<String, Token> tokens,
      Map<String, BigDecimal> prices,
      List<PoolUpdate> updates,
      List<Instant> times,
      boolean complete) {
    static Content of(Path file) {
      List<String> sources = new ArrayList<>();
      Map<String, Token> tokens = new LinkedHashMap<>();
      Map<String, BigDecimal> prices = new LinkedHashMap<>();
      List<PoolUpdate> updates = new ArrayList<>();
      List<Instant> times = new ArrayList<>();
      try (RecordingReader reader = RecordingReader.open(file)) {
        RecordEntry e;
        while ((e = reader.next()) != null) {
          if (e instanceof RecordEntry.SourceEntry s) {
            sources.add(s.id() + ":" + s.type());
          } else if (e instanceof RecordEntry.TokenEntry t) {
            assertTrue(updates.isEmpty(), "tokens come before the updates");
            tokens.put(t.token().address(), t.token());
          } else if (e instanceof RecordEntry.PriceEntry p) {
            prices.put(p.token(), p.price());
          } else if (e instanceof RecordEntry.UpdateEntry u) {
            updates.add(u.update());
            times.add(u.at());
          }
        }
        return new Content(sources, tokens, prices, updates, times, reader.complete());
      }
    }
  }

  private RehoboamConfig config() {
    return ConfigLoader.parse(
        """
        sources:
          chain:
            type: evm
            rpc_url: %s
            chain_id: 31337
            pools: [%s]
            quote_prices: {"%s": 3000}
        """
            .formatted(
                node.wsUrl(),
                String.join(", ", world.pools().stream().map(p -> '"' + p + '"').toList()),
                world.base()),
        "chain.yaml",
        Map.of());
  }

  @Test
  void aRangeOfBlocksReadByEthGetLogsEqualsTheLiveRecordingOfThoseBlocks() throws Exception {
    RehoboamConfig config = config();
    Path live = dir.resolve("live.rrec");
    BlockingQueue<PoolUpdate> seen = new LinkedBlockingQueue<>();
    long firstBlock;
    long lastBlock;
    int syncs = 0;
    try (ArbitrageService service = ArbitrageService.builder().config(config).build();
        RecordingWriter writer = RecordingWriter.create(live)) {
      service.initialize();
      MarketSource source = service.marketSource("chain");
      MarketRecorder recorder = new MarketRecorder(source, "evm", writer, Clock.systemUTC());
      recorder.start();
      try (Subscription watch = source.subscribe(seen::add)) {
        List<PoolUpdate> added = take(seen, world.pools().size());
        assertTrue(added.stream().allMatch(u -> u.kind() == PoolUpdate.Kind.ADDED), "" + added);
        firstBlock = added.get(0).sequence();
        List<TransactionReceipt> receipts = new ArrayList<>();
        BigInteger tenth = ArbitrageWorld.ONE.divide(BigInteger.TEN);
        // Two pairs in one transaction, then three (a cycle).
        receipts.add(
            UniswapV2.swapExactTokensForTokens(
                chain, world.dexA(), tenth, List.of(world.base(), world.x(), world.y())));
        receipts.add(
            UniswapV2.swapExactTokensForTokens(
                chain,
                world.dexA(),
                tenth,
                List.of(world.base(), world.x(), world.y(), world.base())));
        // A swap on the pair itself, as a searcher's contract does it.
        String swap = UniswapV2.prepareSwapOnPair(chain, world.yBase(), world.y(), tenth);
        receipts.add(chain.awaitReceipt(chain.sendRaw(world.yBase(), swap, BigInteger.ZERO)));
        receipts.add(
            UniswapV2.swapExactTokensForTokens(
                chain,
                world.dexB(),
                ArbitrageWorld.ONE.multiply(BigInteger.valueOf(500)),
                List.of(world.usd(), world.base())));
        lastBlock = 0;
        for (TransactionReceipt r : receipts) {
          assertTrue(r.isStatusOK(), r.toString());
          syncs += syncLogs(r);
          lastBlock = Math.max(lastBlock, r.getBlockNumber().longValueExact());
        }
        assertEquals(7, syncs, "Sync logs of the swaps");
        List<PoolUpdate> moves = take(seen, syncs);
        assertTrue(moves.stream().allMatch(u -> u.kind() == PoolUpdate.Kind.RESERVES));
      }
      recorder.close();
    }
    assertTrue(lastBlock > firstBlock);

    Path ranged = dir.resolve("range.rrec");
    Recordings.Summary summary =
        Recordings.recordBlocks(config, "chain", ranged, firstBlock, lastBlock, null);

    Content a = Content.of(live);
    Content b = Content.of(ranged);
    assertEquals(world.pools().size() + syncs, a.updates().size(), "live: " + a.updates());
    assertEquals(a.updates().size(), summary.updates());
    assertEquals(a.sources(), b.sources());
    assertEquals(a.tokens(), b.tokens());
    assertEquals(a.prices(), b.prices());
    assertEquals(a.updates(), b.updates(), "the same updates, blocks and reserves");
    assertTrue(a.complete() && b.complete());
    // And the recordings tell the truth: the pools end as the chain has them.
    Map<String, Pool> last = new LinkedHashMap<>();
    b.updates().forEach(u -> last.put(u.pool().address(), u.pool()));
    for (String pool : world.pools()) {
      BigInteger[] onChain = UniswapV2.reserves(chain, pool);
      assertEquals(onChain[0], last.get(pool).reserve0(), pool);
      assertEquals(onChain[1], last.get(pool).reserve1(), pool);
    }
    assertEquals(5, b.tokens().size());
    assertEquals(new BigDecimal("3000"), b.prices().get(world.base()));
    // The range recording's times are its blocks' times: whole seconds, in order.
    for (int i = 0; i < b.times().size(); i++) {
      assertEquals(0, b.times().get(i).getNano());
      assertFalse(i > 0 && b.times().get(i).isBefore(b.times().get(i - 1)));
    }
  }

  @Test
  void aRangeBeyondTheChainsHeadIsRefusedNamingToBlockAndLeavesNoFile() {
    Path file = dir.resolve("beyond.rrec");
    long head = chain.blockNumber();
    RehoboamException e =
        assertThrows(
            RehoboamException.class,
            () -> Recordings.recordBlocks(config(), "chain", file, 1, head + 1000, null));
    assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
    assertTrue(e.getMessage().startsWith("to_block: "), e.getMessage());
    assertFalse(Files.exists(file));
  }

  @Test
  void aSourceThatCannotReadPastBlocksIsRefusedNamingIt() {
    RehoboamConfig sim =
        ConfigLoader.parse("sources:\n  market: {type: sim, pools: 50}\n", "sim.yaml", Map.of());
    Path file = dir.resolve("sim.rrec");
    RehoboamException e =
        assertThrows(
            RehoboamException.class, () -> Recordings.recordBlocks(sim, null, file, 1, 2, null));
    assertTrue(
        e.getMessage().contains("market (type sim) cannot read past blocks"), e.getMessage());
    assertFalse(Files.exists(file));
  }

  private static int syncLogs(TransactionReceipt receipt) {
    int n = 0;
    for (Log log : receipt.getLogs()) {
      if (!log.getTopics().isEmpty()
          && log.getTopics().get(0).equals(SYNC_TOPIC)
          && world.pools().contains(log.getAddress().toLowerCase())) {
        n++;
      }
    }
    return n;
  }

  private static List<PoolUpdate> take(BlockingQueue<PoolUpdate> queue, int n)
      throws InterruptedException {
    List<PoolUpdate> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      PoolUpdate u = queue.poll(WAIT_SECONDS, TimeUnit.SECONDS);
      assertNotNull(u, "update " + (i + 1) + " of " + n + " within " + WAIT_SECONDS + "s: " + out);
      out.add(u);
    }
    return out;
  }
}
