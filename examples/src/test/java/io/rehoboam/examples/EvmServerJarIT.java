package io.rehoboam.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.rehoboam.testsupport.AnvilNode;
import io.rehoboam.testsupport.ArbitrageWorld;
import io.rehoboam.testsupport.ChainClient;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped server jar on a real chain, configured the way a user writes it: an {@code evm}
 * source whose RPC URL comes from the environment ({@code ${ANVIL_RPC_URL}}) and whose pool
 * addresses are written without quotes; the live monitor finds the planted cross-venue dislocation
 * between the two real Uniswap V2 pairs, with amounts from the chain's reserves.
 */
class EvmServerJarIT {
  @TempDir Path dir;

  private AnvilNode node;
  private ChainClient deployer;
  private ServerProcess server;

  @BeforeEach
  void chain() {
    node = AnvilNode.start();
    deployer = ChainClient.connect(node, 0);
  }

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.stop();
    }
    if (deployer != null) {
      deployer.close();
    }
    if (node != null) {
      node.close();
    }
  }

  @Test
  void theServerJarFollowsAnEvmSourceConfiguredAsUsersWriteIt() throws Exception {
    ArbitrageWorld world = ArbitrageWorld.deploy(deployer);
    Path config = dir.resolve("chain.yaml");
    Files.writeString(
        config,
        """
        sources:
          chain:
            type: evm
            rpc_url: ${ANVIL_RPC_URL}
            chain_id: 31337
            poll_interval: 50ms
            pools:
              - %s
              - {address: %s, dex: sushiswap}
            quote_prices: {%s: 1}
        bots:
          - id: monitor
            type: live_monitor
            autostart: true
            settings:
              sources: [chain]
              strategies: [cross_venue]
              ttl: 1h
        """
            .formatted(world.baseUsdA(), world.baseUsdB(), world.base()));

    server =
        ServerProcess.start(
            List.of("-Xmx512m"),
            List.of("--config", config.toString(), "--data-dir", dir.resolve("data").toString()),
            Map.of("ANVIL_RPC_URL", node.rpcUrl()));

    JsonNode found = awaitOpportunity();
    JsonNode legs = found.get("legs");
    assertEquals(2, legs.size(), found.toString());
    Set<String> pools = new HashSet<>();
    legs.forEach(leg -> pools.add(leg.get("pool_id").asText().toLowerCase(Locale.ROOT)));
    // pool ids are chain id and address
    assertEquals(
        Set.of(
            "31337:" + world.baseUsdA().toLowerCase(Locale.ROOT),
            "31337:" + world.baseUsdB().toLowerCase(Locale.ROOT)),
        pools,
        "the two planted pools: " + found);
    assertTrue(
        Set.of(world.base().toLowerCase(Locale.ROOT), world.usd().toLowerCase(Locale.ROOT))
            .contains(found.get("start_token").asText().toLowerCase(Locale.ROOT)),
        "starts from a token of the pair: " + found);
    BigInteger in = new BigInteger(found.get("amount_in").asText());
    BigInteger out = new BigInteger(found.get("amount_out").asText());
    assertTrue(out.compareTo(in) > 0, "a profit in base units: " + found);
    assertEquals(out.subtract(in), new BigInteger(found.get("profit").asText()));
  }

  private JsonNode awaitOpportunity() throws Exception {
    long deadline = System.nanoTime() + ServerProcess.START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode page = server.json(server.get("/api/arbitrage/opportunities?strategy=cross_venue"));
      if (page.get("count").asInt() > 0) {
        return page.get("opportunities").get(0);
      }
      // a condition polled, not a fixed wait: the source follows the chain every 50 ms
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
    }
    throw new AssertionError(
        "no cross_venue opportunity from the evm source; health: "
            + server.get("/api/arbitrage/health").body()
            + "; stderr: "
            + server.stderr());
  }
}
