package io.rehoboam.evm;

import io.rehoboam.core.scan.MarketState;
import io.rehoboam.core.scan.ScanConfig;
import io.rehoboam.core.scan.ScanEngine;
import io.rehoboam.core.scan.TokenPrices;
import io.rehoboam.spi.market.Pool;
import io.rehoboam.spi.trade.Opportunity;
import io.rehoboam.testsupport.ArbitrageWorld;
import io.rehoboam.testsupport.ChainClient;
import io.rehoboam.testsupport.UniswapV2;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Reads the planted world's pools from the chain and scans them with the engine. */
final class ChainWorld {
  private ChainWorld() {}

  static List<Pool> pools(ChainClient chain, ArbitrageWorld world) {
    List<Pool> pools = new ArrayList<>();
    for (String address : world.pools()) {
      BigInteger[] r = UniswapV2.reserves(chain, address);
      String token0 = UniswapV2.token0(chain, address);
      String dex =
          address.equals(world.baseUsdB())
                  || address.equals(world.baseZ())
                  || address.equals(world.zUsd())
              ? "sushiswap"
              : "uniswap_v2";
      String token1 = otherToken(chain, address, token0);
      pools.add(new Pool("31337:" + address, 31337, dex, address, token0, token1, r[0], r[1], 30));
    }
    return pools;
  }

  private static String otherToken(ChainClient chain, String pair, String token0) {
    return ((String)
            chain
                .call(
                    pair,
                    new org.web3j.abi.datatypes.Function(
                        "token1",
                        List.of(),
                        List.of(
                            new org.web3j.abi.TypeReference<org.web3j.abi.datatypes.Address>() {})))
                .get(0)
                .getValue())
        .toLowerCase();
  }

  /** Every opportunity of the world as it is on chain now, best first, starting in base. */
  static List<Opportunity> scan(ChainClient chain, ArbitrageWorld world) {
    ScanEngine engine =
        new ScanEngine(
            ScanConfig.builder().startTokens(world.base()).ttl(Duration.ofMinutes(5)).build(),
            Clock.systemUTC(),
            TokenPrices.none(world.weth()));
    return engine.fullScan(MarketState.of(pools(chain, world), chain.blockNumber()));
  }

  static Opportunity best(ChainClient chain, ArbitrageWorld world, String strategy) {
    return scan(chain, world).stream()
        .filter(o -> o.strategy().equals(strategy))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + strategy + " opportunity on chain"));
  }
}
