package io.rehoboam.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rehoboam.backtest.recording.RecordEntry;
import io.rehoboam.backtest.recording.RecordingReader;
import io.rehoboam.spi.market.PoolUpdate;
import io.rehoboam.testsupport.AnvilNode;
import io.rehoboam.testsupport.ArbitrageWorld;
import io.rehoboam.testsupport.ChainClient;
import io.rehoboam.testsupport.UniswapV2;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rehoboam record --from-block N --to-block M} on an anvil chain with real Uniswap V2 pairs:
 * history fetched after the fact, then backtested with {@code rehoboam backtest}.
 */
class RecordBlocksIT {
  @TempDir Path dir;

  @Test
  void aRangeOfBlocksIsRecordedFromTheNodeAndCanBeBacktested() throws Exception {
    try (AnvilNode node = AnvilNode.start();
        ChainClient chain = ChainClient.connect(node, 0)) {
      ArbitrageWorld world = ArbitrageWorld.deploy(chain);
      long from = chain.blockNumber();
      BigInteger tenth = ArbitrageWorld.ONE.divide(BigInteger.TEN);
      UniswapV2.swapExactTokensForTokens(
          chain, world.dexA(), tenth, List.of(world.base(), world.x(), world.y()));
      UniswapV2.swapExactTokensForTokens(
          chain, world.dexA(), tenth, List.of(world.base(), world.usd()));
      long to = chain.blockNumber();
      List<String> pools = world.pools().stream().map(p -> "\"" + p + "\"").toList();
      Path config =
          Files.writeString(
              dir.resolve("chain.yaml"),
              """
              sources:
                chain:
                  type: evm
                  rpc_url: %s
                  chain_id: 31337
                  pools: [%s]
                  quote_prices: {"%s": 2000}
              executors:
                paper: {type: paper, source: chain}
              bots:
                - {id: monitor, type: live_monitor, settings: {start_tokens: ["%s"]}}
                - {id: trader, type: real_executor, settings: {max_input: 1000000}}
              """
                  .formatted(node.rpcUrl(), String.join(", ", pools), world.usd(), world.base()));
      Path recording = dir.resolve("chain.rrec");

      Run recorded =
          rehoboam(
              "record",
              "--config",
              "" + config,
              "--from-block",
              "" + from,
              "--to-block",
              "" + to,
              "--out",
              "" + recording);

      assertEquals(0, recorded.code(), recorded.err());
      // 7 pools at the first block, then 2 + 1 Sync logs that moved reserves.
      assertEquals(
          "recorded 10 updates of chain into " + recording, recorded.out().split(" \\(")[0]);
      List<PoolUpdate> updates = new ArrayList<>();
      try (RecordingReader reader = RecordingReader.open(recording)) {
        RecordEntry e;
        while ((e = reader.next()) != null) {
          if (e instanceof RecordEntry.UpdateEntry u) {
            updates.add(u.update());
          }
        }
        assertTrue(reader.complete());
      }
      assertEquals(from, updates.get(0).sequence());
      assertEquals(to, updates.get(updates.size() - 1).sequence());
      PoolUpdate last = updates.get(updates.size() - 1);
      BigInteger[] onChain = UniswapV2.reserves(chain, last.pool().address());
      assertEquals(onChain[0], last.pool().reserve0());
      assertEquals(onChain[1], last.pool().reserve1());

      Path out = dir.resolve("report");
      Run backtest =
          rehoboam(
              "backtest",
              "--config",
              "" + config,
              "--recording",
              "" + recording,
              "--out",
              "" + out);
      assertEquals(0, backtest.code(), backtest.err());
      JsonNode report = new ObjectMapper().readTree(out.resolve("report.json").toFile());
      assertEquals(10, report.path("replay").path("updates").asLong(), report.toString());
      assertEquals("chain.rrec", report.path("replay").path("recording").asText());
    }
  }

  private record Run(int code, String out, String err) {}

  private static Run rehoboam(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Rehoboam.run(args, new PrintWriter(out), new PrintWriter(err), Map.of());
    return new Run(code, out.toString(), err.toString());
  }
}
