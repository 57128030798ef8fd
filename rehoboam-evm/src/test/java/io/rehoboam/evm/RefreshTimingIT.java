package io.rehoboam.evm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rehoboam.spi.Settings;
import io.rehoboam.spi.market.PoolUpdate;
import io.rehoboam.testsupport.AnvilNode;
import io.rehoboam.testsupport.ChainClient;
import io.rehoboam.testsupport.UniswapV2;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Measures (prints, never asserts: speed is for JMH) how long one batched refresh of 100 and 1,000
 * pools takes against anvil, and checks that a refresh reads every pool exactly.
 */
class RefreshTimingIT {

  @Test
  void refreshOf100And1000PoolsReadsEveryPoolAndIsMeasured() throws Exception {
    try (AnvilNode node = AnvilNode.start();
        ChainClient chain = ChainClient.connect(node, 0);
        TestContext context = new TestContext()) {
      String weth = UniswapV2.deployWeth(chain);
      UniswapV2.Dex dex = UniswapV2.deployDex(chain, "uniswap_v2", weth);
      List<String> tokens = new ArrayList<>();
      for (int i = 0; i < 46; i++) {
        tokens.add(UniswapV2.deployToken(chain, BigInteger.TEN.pow(30)));
      }
      long deployStart = System.nanoTime();
      List<String> pairs =
          UniswapV2.createPairsQuickly(chain, dex, tokens, 1_000, BigInteger.TEN.pow(20));
      System.out.printf(
          "[measure] deployed 1000 pairs (4000 transactions) in %d ms%n",
          (System.nanoTime() - deployStart) / 1_000_000);
      for (int size : new int[] {100, 1_000}) {
        for (int batch : new int[] {250, 1_000}) {
          Map<String, Object> s = new LinkedHashMap<>();
          s.put("rpc_url", node.rpcUrl());
          s.put("pools", pairs.subList(0, size));
          s.put("batch_size", batch);
          try (EvmMarketSource source =
              new EvmMarketSourceProvider().create("t", Settings.of(s), context)) {
            Updates updates = new Updates();
            source.subscribe(updates);
            updates.await(0, size, u -> u.kind() == PoolUpdate.Kind.ADDED, Duration.ofSeconds(60));
            for (int warm = 0; warm < 5; warm++) {
              source.refreshNow();
            }
            long[] micros = new long[30];
            for (int i = 0; i < micros.length; i++) {
              long t0 = System.nanoTime();
              source.refreshNow();
              micros[i] = (System.nanoTime() - t0) / 1_000;
            }
            Arrays.sort(micros);
            System.out.printf(
                "[measure] refresh of %d pools, batch_size %d: median %.2f ms, p90 %.2f ms, min"
                    + " %.2f ms (30 runs, %d HTTP requests each)%n",
                size,
                batch,
                micros[15] / 1000.0,
                micros[27] / 1000.0,
                micros[0] / 1000.0,
                1 + (size + batch - 1) / batch);
            assertEquals(size, source.pools().size());
            for (PoolUpdate u : updates.all().subList(0, size)) {
              BigInteger[] r = UniswapV2.reserves(chain, u.pool().address());
              assertEquals(r[0], u.pool().reserve0());
              assertEquals(r[1], u.pool().reserve1());
            }
          }
        }
      }
    }
  }
}
