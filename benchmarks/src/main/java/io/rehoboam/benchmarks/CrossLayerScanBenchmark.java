package io.rehoboam.benchmarks;

import io.rehoboam.bot.layer2.AssetMap;
import io.rehoboam.bot.layer2.BridgeTerms;
import io.rehoboam.bot.layer2.ChainCosts;
import io.rehoboam.bot.layer2.CrossLayerConfig;
import io.rehoboam.bot.layer2.CrossLayerQuote;
import io.rehoboam.bot.layer2.CrossLayerScanner;
import io.rehoboam.bot.layer2.Layer2Mode;
import io.rehoboam.core.scan.gen.MarketShape;
import io.rehoboam.core.scan.gen.SyntheticMarket;
import io.rehoboam.core.scan.gen.SyntheticMarketGenerator;
import io.rehoboam.spi.market.Pool;
import io.rehoboam.spi.market.PoolUpdate;
import io.rehoboam.spi.market.Token;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The layer2 bot's cross-layer scan over three chains (an L1 and two L2s) of {@code poolsPerChain}
 * pools each: one synthetic market laid out on every chain (the same assets at chain-specific
 * addresses, all mapped in the asset map), each chain's reserves moved off the others by up to 0.2%
 * (inside the pool fees: no opportunity), plus ten planted gaps of 3% on the L2s that the scan must
 * find. Start assets are the hub tokens (WETH, USDC, USDT, DAI, WBTC), as a bot would use.
 *
 * <p>{@code fullScan}: one reserve update, then {@link CrossLayerScanner#scanAll} of every asset
 * pair on every ordered pair of chains (what the bot does at start and on {@code rescan}). {@code
 * incrementalScan}: one reserve update, then {@link CrossLayerScanner#scanChanged} (what it does
 * per update batch).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx4g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Thread)
public class CrossLayerScanBenchmark {
  private static final long[] CHAINS = {1, 42161, 10};
  private static final Set<String> HUBS = Set.of("WETH", "USDC", "USDT", "DAI", "WBTC");

  @Param({"10000"})
  public int poolsPerChain;

  private CrossLayerScanner scanner;
  private CrossLayerScanner.Inputs inputs;
  private PoolUpdate[] ring;
  private int next;
  private long sequence = 10;

  @Setup(Level.Trial)
  public void build() {
    SyntheticMarket base =
        SyntheticMarketGenerator.generate(MarketShape.SPARSE, poolsPerChain, ScanFixture.SEED, 0);
    Map<String, Map<Long, String>> assets = new LinkedHashMap<>();
    Map<String, Integer> decimals = new HashMap<>();
    Map<String, BigDecimal> prices = new HashMap<>();
    List<String> startAssets = new ArrayList<>();
    String wethAsset = null;
    for (Token t : base.tokens()) {
      String asset = t.symbol() + "@" + t.address().substring(2, 10);
      Map<Long, String> byChain = new LinkedHashMap<>();
      for (int k = 0; k < CHAINS.length; k++) {
        String address = chainAddress(t.address(), k);
        byChain.put(CHAINS[k], address);
        decimals.put(address, t.decimals());
        prices.put(address, base.priceUsd().get(t.address()));
      }
      assets.put(asset, byChain);
      if (HUBS.contains(t.symbol())) {
        startAssets.add(asset);
      }
      if (t.address().equals(base.weth())) {
        wethAsset = asset;
      }
    }
    BigInteger gwei = BigInteger.TEN.pow(9);
    CrossLayerConfig config =
        new CrossLayerConfig(
            new AssetMap(assets),
            List.of(
                new ChainCosts(
                    1, gwei.multiply(BigInteger.valueOf(20)), 120_000, BigInteger.ZERO, wethAsset),
                new ChainCosts(
                    42161,
                    gwei.divide(BigInteger.valueOf(100)),
                    120_000,
                    gwei.multiply(BigInteger.valueOf(30_000)),
                    wethAsset),
                new ChainCosts(
                    10,
                    gwei.divide(BigInteger.valueOf(1000)),
                    120_000,
                    gwei.multiply(BigInteger.valueOf(20_000)),
                    wethAsset)),
            Map.of(
                "default",
                new BridgeTerms(
                    "canonical",
                    5,
                    BigInteger.ZERO,
                    100_000,
                    Duration.ofMinutes(10),
                    new BigDecimal("0.1"))),
            Layer2Mode.INVENTORY,
            startAssets,
            BigInteger.ONE);
    scanner = new CrossLayerScanner(config);
    Random random = new Random(ScanFixture.SEED);
    List<PoolUpdate> moves = new ArrayList<>();
    for (int k = 0; k < CHAINS.length; k++) {
      List<Pool> pools = base.pools();
      for (int i = 0; i < pools.size(); i++) {
        Pool p = pools.get(i);
        // Off by up to 0.2% from the same pool on the other chains; 3% on ten pools of the L2s.
        double off = (random.nextDouble() * 2 - 1) * 0.002;
        if (k > 0 && i % (pools.size() / 5) == 7) {
          off = 0.03;
        }
        Pool moved =
            new Pool(
                CHAINS[k] + ":" + p.address(),
                CHAINS[k],
                p.dex(),
                chainAddress(p.address(), k),
                chainAddress(p.token0(), k),
                chainAddress(p.token1(), k),
                scale(p.reserve0(), 1 + off),
                p.reserve1(),
                p.feeBps());
        scanner.apply(PoolUpdate.added(moved, 1));
        if (moves.size() < 4096 && i % 3 == 0) {
          moves.add(
              PoolUpdate.reserves(
                  moved.withReserves(scale(moved.reserve0(), 1.0001), moved.reserve1()), 2));
          moves.add(PoolUpdate.reserves(moved, 3));
        }
      }
    }
    ring = moves.toArray(new PoolUpdate[0]);
    inputs =
        new CrossLayerScanner.Inputs() {
          @Override
          public OptionalInt decimals(long chainId, String token) {
            Integer d = decimals.get(token);
            return d == null ? OptionalInt.empty() : OptionalInt.of(d);
          }

          @Override
          public Optional<BigDecimal> quotePrice(long chainId, String token) {
            return Optional.ofNullable(prices.get(token));
          }

          @Override
          public BigInteger available(long chainId, String token) {
            return null;
          }
        };
    List<CrossLayerQuote> found = scanner.scanAll(inputs);
    if (found.size() < 5 || scanner.poolCount() != CHAINS.length * base.pools().size()) {
      throw new IllegalStateException(
          "found " + found.size() + " opportunities over " + scanner.poolCount() + " pools");
    }
  }

  private static String chainAddress(String address, int chainIndex) {
    return "0x" + String.format("%02x", chainIndex + 0xa0) + address.substring(4);
  }

  private static BigInteger scale(BigInteger value, double factor) {
    return new BigDecimal(value).multiply(BigDecimal.valueOf(factor)).toBigInteger();
  }

  private void move() {
    PoolUpdate u = ring[next];
    next = (next + 1) % ring.length;
    scanner.apply(new PoolUpdate(u.kind(), u.pool(), ++sequence));
  }

  @Benchmark
  public List<CrossLayerQuote> fullScan() {
    move();
    return scanner.scanAll(inputs);
  }

  @Benchmark
  public List<CrossLayerQuote> incrementalScan() {
    move();
    return scanner.scanChanged(inputs);
  }
}
