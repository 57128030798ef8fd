package io.rehoboam.core.sim.internal;

import io.rehoboam.core.scan.AmmMath;
import io.rehoboam.core.scan.TokenInfo;
import io.rehoboam.core.scan.TokenPrices;
import io.rehoboam.core.scan.gen.SyntheticMarket;
import io.rehoboam.core.scan.gen.SyntheticMarketGenerator;
import io.rehoboam.core.sim.Fill;
import io.rehoboam.core.sim.Hop;
import io.rehoboam.core.sim.SimConfig;
import io.rehoboam.core.sim.SwapResult;
import io.rehoboam.spi.Checks;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.market.Pool;
import io.rehoboam.spi.market.PoolUpdate;
import io.rehoboam.spi.market.Token;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * The state and the seeded dynamics of a simulated market: one generated market per chain, true
 * prices that random-walk, and pools that follow them through trades.
 *
 * <p>Every change of a pool is a constant-product swap computed with {@link AmmMath} (the fee stays
 * in the pool), never a direct reset of reserves: ordinary trades of random size that keep a pool
 * inside its no-arbitrage band around the true price, re-aligning trades that pull a pool that
 * drifted out of the band (the true price walked, or it was dislocated) back into it, as
 * arbitrageurs do, and occasional large trades that push one pool of a pair 1-8% away from the true
 * price, which the other pools of the pair then pay to close.
 *
 * <p>Determinism: only {@link Random} and {@link StrictMath} drive it, so the same configuration
 * gives the same market and the same updates on every JVM, as long as the same calls are made in
 * the same order (a route applied between ticks changes what later ticks see).
 *
 * <p>Not thread-safe: the owning source guards every call with its lock.
 */
public final class SimMarket {
  /**
   * Pools quote within this fraction of their fee around the true price, as in the generator: two
   * pools of a pair then differ by less than the sum of their fees and pay nothing to arbitrage.
   */
  static final double BAND_FRACTION = 0.45;

  /** Log-price step (standard deviation) of WETH and WBTC per tick. */
  static final double HUB_STEP = 0.0002;

  /** Log-price step of a long-tail token each time the walk picks it. */
  static final double TAIL_STEP = 0.001;

  /** A true price stays within a factor of ten of where it started. */
  static final double MAX_LOG_MOVE = StrictMath.log(10);

  static final int MIN_DISLOCATION_BPS = 100;
  static final int MAX_DISLOCATION_BPS = 800;

  /** Ordinary trades move a pool's price by this share of its band, log-uniformly. */
  static final double MIN_TRADE_OF_BAND = 0.02;

  static final double MAX_TRADE_OF_BAND = 0.5;

  private static final long CHAIN_SEED_STRIDE = 0x9E3779B97F4A7C15L;
  private static final long DYNAMICS_SEED_MIX = 0x632BE59BD9B4E019L;
  private static final MathContext PRICE_DIGITS = new MathContext(10);
  private static final Set<String> WALKING_HUBS = Set.of("WETH", "WBTC");
  private static final Set<String> HUBS = Set.of("WETH", "USDC", "USDT", "DAI", "WBTC");
  private static final double[] POWERS_OF_TEN = new double[155];

  static {
    for (int i = 0; i < POWERS_OF_TEN.length; i++) {
      POWERS_OF_TEN[i] = Double.parseDouble("1e" + (i - 77));
    }
  }

  private final SimConfig config;
  private final Map<String, Token> tokens;
  private final Map<String, Integer> assetOfToken;
  private final BigDecimal[] assetBasePrice;
  private final double[] assetLogMove;
  private final int[] walkingHubAssets;
  private final int[] tailAssets;
  private final Map<Long, String> wethByChain;
  private final Pool[] pools;
  private final long[] poolSequence;
  private final Map<String, Integer> poolIndex;
  private final int[] dislocatable;
  private final Random random;
  private long sequence = 1;

  /** Generates the market of {@code config}; its pools start at sequence 1. */
  public SimMarket(SimConfig config) {
    this.config = Checks.notNull(config, "config");
    Map<String, Token> tokenMap = new LinkedHashMap<>();
    Map<String, Integer> assets = new HashMap<>();
    Map<String, Integer> assetByKey = new HashMap<>();
    List<BigDecimal> basePrices = new ArrayList<>();
    List<Integer> hubs = new ArrayList<>();
    List<Integer> tails = new ArrayList<>();
    Map<Long, String> weth = new LinkedHashMap<>();
    List<Pool> allPools = new ArrayList<>(config.pools());
    for (int k = 0; k < config.chainIds().size(); k++) {
      long chainId = config.chainIds().get(k);
      SyntheticMarket market;
      try {
        market =
            SyntheticMarketGenerator.generate(
                config.shape(),
                config.regime(),
                config.poolsOfChain(k),
                config.seed() + k * CHAIN_SEED_STRIDE,
                0,
                chainId);
      } catch (RehoboamException e) {
        throw RehoboamException.invalid(
            "pools", "cannot generate chain " + chainId + "'s market: " + e.getMessage());
      }
      weth.put(chainId, market.weth());
      for (Token token : market.tokens()) {
        if (tokenMap.putIfAbsent(token.address(), token) != null) {
          // Two chains drew the same address: astronomically unlikely, but tokens are keyed by
          // address alone, so it would merge two tokens.
          throw new RehoboamException(
              ErrorCode.INTERNAL, "two chains generated the token address " + token.address());
        }
        boolean hub = HUBS.contains(token.symbol());
        // The hub tokens are one asset on every chain (WETH is WETH everywhere); a long-tail token
        // is an asset of its own.
        String key = hub ? "hub:" + token.symbol() : token.address();
        Integer asset = assetByKey.get(key);
        if (asset == null) {
          asset = basePrices.size();
          assetByKey.put(key, asset);
          basePrices.add(market.priceUsd().get(token.address()));
          if (WALKING_HUBS.contains(token.symbol())) {
            hubs.add(asset);
          } else if (!hub) {
            tails.add(asset);
          }
        }
        assets.put(token.address(), asset);
      }
      allPools.addAll(market.pools());
    }
    this.tokens = Collections.unmodifiableMap(tokenMap);
    this.assetOfToken = Map.copyOf(assets);
    this.assetBasePrice = basePrices.toArray(new BigDecimal[0]);
    this.assetLogMove = new double[assetBasePrice.length];
    this.walkingHubAssets = hubs.stream().mapToInt(Integer::intValue).toArray();
    this.tailAssets = tails.stream().mapToInt(Integer::intValue).toArray();
    this.wethByChain = Collections.unmodifiableMap(weth);
    this.pools = allPools.toArray(new Pool[0]);
    this.poolSequence = new long[pools.length];
    Arrays.fill(poolSequence, sequence);
    Map<String, Integer> index = new HashMap<>(pools.length * 2);
    Map<String, List<Integer>> byPair = new LinkedHashMap<>();
    for (int i = 0; i < pools.length; i++) {
      index.put(pools[i].id(), i);
      String pair = pools[i].chainId() + ":" + pools[i].token0() + ":" + pools[i].token1();
      byPair.computeIfAbsent(pair, p -> new ArrayList<>()).add(i);
    }
    this.poolIndex = index;
    List<Integer> shared = new ArrayList<>();
    for (List<Integer> pair : byPair.values()) {
      if (pair.size() > 1) {
        shared.addAll(pair);
      }
    }
    Collections.sort(shared);
    this.dislocatable = shared.stream().mapToInt(Integer::intValue).toArray();
    this.random = new Random(config.seed() ^ DYNAMICS_SEED_MIX);
  }

  public SimConfig config() {
    return config;
  }

  /** The current sequence: that of the last tick or applied route (1 for the generated market). */
  public long sequence() {
    return sequence;
  }

  /** Every token by lower-case address (unmodifiable). */
  public Map<String, Token> tokens() {
    return tokens;
  }

  /** The WETH address of each chain, in configuration order. */
  public Map<Long, String> wethByChain() {
    return wethByChain;
  }

  public int poolCount() {
    return pools.length;
  }

  /** The pool as it is now. */
  public Optional<Pool> pool(String poolId) {
    Integer i = poolIndex.get(poolId);
    return i == null ? Optional.empty() : Optional.of(pools[i]);
  }

  /** Every pool as it is now, in generation order. */
  public List<Pool> pools() {
    return List.of(pools.clone());
  }

  /**
   * Every pool as an {@link PoolUpdate.Kind#ADDED} update carrying the sequence of the change that
   * set its reserves, by sequence ascending (generation order within one sequence), so that
   * replaying them never goes back in sequence.
   */
  public List<PoolUpdate> snapshot() {
    Integer[] order = new Integer[pools.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingLong((Integer i) -> poolSequence[i]));
    List<PoolUpdate> updates = new ArrayList<>(pools.length);
    for (int i : order) {
      updates.add(PoolUpdate.added(pools[i], poolSequence[i]));
    }
    return updates;
  }

  /** The quote (USD) price of one whole token now; empty for an unknown token. */
  public Optional<BigDecimal> quotePrice(String token) {
    Integer asset = assetOfToken.get(token);
    if (asset == null) {
      return Optional.empty();
    }
    double move = assetLogMove[asset];
    BigDecimal base = assetBasePrice[asset];
    return Optional.of(
        move == 0 ? base : base.multiply(new BigDecimal(StrictMath.exp(move))).round(PRICE_DIGITS));
  }

  /**
   * The current prices as the scan engine takes them: the first chain's WETH as the native token,
   * every token's price in native units its quote price over WETH's (WETH has one price on every
   * chain, so another chain's WETH converts gas exactly).
   */
  public TokenPrices tokenPrices() {
    String nativeToken = wethByChain.values().iterator().next();
    BigDecimal nativeQuote = quotePrice(nativeToken).orElseThrow();
    List<TokenInfo> infos = new ArrayList<>(tokens.size());
    for (Token token : tokens.values()) {
      BigDecimal quote = quotePrice(token.address()).orElseThrow();
      infos.add(
          new TokenInfo(
              token.address(),
              token.symbol(),
              token.decimals(),
              quote,
              quote.divide(nativeQuote, MathContext.DECIMAL128)));
    }
    return TokenPrices.of(nativeToken, nativeQuote, infos);
  }

  // ---------------------------------------------------------------- ticks

  /**
   * One tick: a new sequence, a step of the price walk, {@code updatesPerTick} pool moves and, with
   * the configured probability, one dislocation.
   *
   * @return the changes, all at the new sequence, in the order they happened (a pool may change
   *     twice)
   */
  public List<PoolUpdate> tick() {
    long seq = ++sequence;
    walk();
    int moves = config.updatesPerTick();
    List<PoolUpdate> updates = new ArrayList<>(moves + 1);
    for (int n = 0; n < moves; n++) {
      int i = random.nextInt(pools.length);
      Pool moved = move(pools[i]);
      if (moved != null) {
        set(i, moved, seq);
        updates.add(PoolUpdate.reserves(moved, seq));
      }
    }
    if (random.nextDouble() < config.dislocationProbability() && dislocatable.length > 0) {
      int i = dislocatable[random.nextInt(dislocatable.length)];
      int bps = MIN_DISLOCATION_BPS + random.nextInt(MAX_DISLOCATION_BPS - MIN_DISLOCATION_BPS + 1);
      Pool moved = tradeToDeviation(pools[i], (random.nextBoolean() ? bps : -bps) / 10_000.0);
      if (moved != null) {
        set(i, moved, seq);
        updates.add(PoolUpdate.reserves(moved, seq));
      }
    }
    return updates;
  }

  private void walk() {
    for (int asset : walkingHubAssets) {
      step(asset, HUB_STEP);
    }
    if (tailAssets.length > 0) {
      for (int n = 0; n < config.updatesPerTick(); n++) {
        step(tailAssets[random.nextInt(tailAssets.length)], TAIL_STEP);
      }
    }
  }

  private void step(int asset, double size) {
    double move = assetLogMove[asset] + size * random.nextGaussian();
    // Reflect at the bounds so that a long run cannot push a price into reserves that overflow.
    if (move > MAX_LOG_MOVE) {
      move = 2 * MAX_LOG_MOVE - move;
    } else if (move < -MAX_LOG_MOVE) {
      move = -2 * MAX_LOG_MOVE - move;
    }
    assetLogMove[asset] = move;
  }

  private void set(int index, Pool pool, long seq) {
    pools[index] = pool;
    poolSequence[index] = seq;
  }

  /** An ordinary move: a small trade inside the band, or a trade back into it. Null: no change. */
  private Pool move(Pool pool) {
    double band = band(pool.feeBps());
    if (Math.abs(deviation(pool)) <= band && random.nextBoolean()) {
      Pool traded = noiseTrade(pool, band);
      if (traded != null) {
        return traded;
      }
    }
    return tradeToDeviation(pool, (random.nextDouble() * 2 - 1) * band);
  }

  private Pool noiseTrade(Pool pool, double band) {
    double share =
        band
            * MIN_TRADE_OF_BAND
            * StrictMath.exp(
                random.nextDouble() * StrictMath.log(MAX_TRADE_OF_BAND / MIN_TRADE_OF_BAND));
    boolean zeroForOne = random.nextBoolean();
    for (int attempt = 0; attempt < 2; attempt++) {
      boolean direction = attempt == 0 ? zeroForOne : !zeroForOne;
      BigInteger reserveIn = direction ? pool.reserve0() : pool.reserve1();
      // A trade of share*reserve moves the price by about twice the share: half the share keeps
      // the move at the drawn fraction of the band.
      BigInteger amountIn = whole(reserveIn.doubleValue() * share / 2);
      Pool traded = amountIn.signum() > 0 ? swap(pool, direction, amountIn) : null;
      if (traded != null && Math.abs(deviation(traded)) <= band) {
        return traded;
      }
    }
    return null;
  }

  /** The swap that moves the pool's price to about {@code target} from the true price. */
  private Pool tradeToDeviation(Pool pool, double target) {
    double reserve0 = pool.reserve0().doubleValue();
    double reserve1 = pool.reserve1().doubleValue();
    double ratio = reserve1 / reserve0;
    double targetRatio = trueRatio(pool) * (1 + target);
    double k = reserve0 * reserve1;
    if (targetRatio < ratio) {
      // token0 must get cheaper: sell token0 into the pool.
      BigInteger amountIn = whole(StrictMath.sqrt(k / targetRatio) - reserve0);
      return amountIn.signum() > 0 ? swap(pool, true, amountIn) : null;
    }
    if (targetRatio > ratio) {
      BigInteger amountIn = whole(StrictMath.sqrt(k * targetRatio) - reserve1);
      return amountIn.signum() > 0 ? swap(pool, false, amountIn) : null;
    }
    return null;
  }

  /** The pool after an exact swap; null when it would take nothing out or overflow a reserve. */
  private static Pool swap(Pool pool, boolean zeroForOne, BigInteger amountIn) {
    BigInteger reserveIn = zeroForOne ? pool.reserve0() : pool.reserve1();
    BigInteger reserveOut = zeroForOne ? pool.reserve1() : pool.reserve0();
    BigInteger amountOut = AmmMath.amountOut(amountIn, reserveIn, reserveOut, pool.feeBps());
    BigInteger newIn = reserveIn.add(amountIn);
    BigInteger newOut = reserveOut.subtract(amountOut);
    if (amountOut.signum() == 0 || newOut.signum() <= 0 || newIn.compareTo(Pool.MAX_RESERVE) > 0) {
      return null;
    }
    return zeroForOne ? pool.withReserves(newIn, newOut) : pool.withReserves(newOut, newIn);
  }

  private static BigInteger whole(double amount) {
    return amount >= 1 && Double.isFinite(amount)
        ? new BigDecimal(amount).toBigInteger()
        : BigInteger.ZERO;
  }

  static double band(int feeBps) {
    return BAND_FRACTION * feeBps / 10_000.0;
  }

  /** reserve1 / reserve0 of a pool quoting the true price. */
  private double trueRatio(Pool pool) {
    Token t0 = tokens.get(pool.token0());
    Token t1 = tokens.get(pool.token1());
    return POWERS_OF_TEN[77 + t1.decimals() - t0.decimals()]
        * priceDouble(pool.token0())
        / priceDouble(pool.token1());
  }

  /** How far the pool's price of token0 in token1 is from the true price (0.01: 1% dearer). */
  double deviation(Pool pool) {
    return pool.reserve1().doubleValue() / pool.reserve0().doubleValue() / trueRatio(pool) - 1;
  }

  private double priceDouble(String token) {
    int asset = assetOfToken.get(token);
    return assetBasePrice[asset].doubleValue() * StrictMath.exp(assetLogMove[asset]);
  }

  // ---------------------------------------------------------------- routes

  /** A route's result and, when it was applied, the updates it made. */
  public record RouteOutcome(SwapResult result, List<PoolUpdate> updates) {}

  /**
   * Computes a route of swaps leg by leg with Uniswap's integer formula, each leg taking what the
   * previous one took out, and applies it when {@code apply} is set and it does not revert: all
   * legs at one new sequence, or none.
   *
   * <p>A route reverts (and changes nothing) when a leg would take out nothing ({@code
   * INSUFFICIENT_OUTPUT_AMOUNT}), a reserve would exceed 2^112-1 ({@code OVERFLOW}), or the last
   * leg takes out less than {@code minAmountOut}.
   *
   * @throws RehoboamException NOT_FOUND for a pool the market does not have, INVALID_ARGUMENT for a
   *     malformed route (empty, a token the pool does not trade, a leg not taking the previous
   *     leg's output, a non-positive amount)
   */
  public RouteOutcome route(
      List<Hop> hops, BigInteger amountIn, BigInteger minAmountOut, boolean apply) {
    Checks.notNull(hops, "hops");
    Checks.check(!hops.isEmpty(), "hops", "must not be empty");
    Checks.notNull(amountIn, "amount_in");
    Checks.check(amountIn.signum() > 0, "amount_in", "must be positive, was " + amountIn);
    BigInteger minimum = minAmountOut == null ? BigInteger.ZERO : minAmountOut;
    Checks.nonNegative(minimum, "min_amount_out");
    // The whole route is checked before any amount is computed, so that a malformed route is
    // refused as such even when an early leg would revert.
    int[] indexes = new int[hops.size()];
    String previousOut = null;
    for (int k = 0; k < hops.size(); k++) {
      Hop hop = Checks.notNull(hops.get(k), "hops[" + k + "]");
      Integer index = poolIndex.get(hop.poolId());
      if (index == null) {
        throw new RehoboamException(
            ErrorCode.NOT_FOUND, "hops[" + k + "]: no pool '" + hop.poolId() + "' in this market");
      }
      Pool pool = pools[index];
      if (!pool.has(hop.tokenIn())) {
        throw RehoboamException.invalid(
            "hops[" + k + "].token_in",
            "pool " + pool.id() + " trades " + pool.token0() + " and " + pool.token1());
      }
      if (previousOut != null && !previousOut.equals(hop.tokenIn())) {
        throw RehoboamException.invalid(
            "hops[" + k + "].token_in", "must be what the previous leg takes out, " + previousOut);
      }
      indexes[k] = index;
      previousOut = hop.tokenIn().equals(pool.token0()) ? pool.token1() : pool.token0();
    }
    Map<Integer, Pool> working = new LinkedHashMap<>();
    List<Fill> fills = new ArrayList<>(hops.size());
    BigInteger amount = amountIn;
    String revert = null;
    for (int k = 0; k < hops.size(); k++) {
      Hop hop = hops.get(k);
      int index = indexes[k];
      Pool pool = working.getOrDefault(index, pools[index]);
      boolean zeroForOne = hop.tokenIn().equals(pool.token0());
      String tokenOut = zeroForOne ? pool.token1() : pool.token0();
      BigInteger reserveIn = zeroForOne ? pool.reserve0() : pool.reserve1();
      BigInteger reserveOut = zeroForOne ? pool.reserve1() : pool.reserve0();
      BigInteger out = AmmMath.amountOut(amount, reserveIn, reserveOut, pool.feeBps());
      BigInteger newIn = reserveIn.add(amount);
      if (out.signum() == 0) {
        revert = "INSUFFICIENT_OUTPUT_AMOUNT: leg " + k + " (pool " + pool.id() + ") gives nothing";
      } else if (newIn.compareTo(Pool.MAX_RESERVE) > 0) {
        revert = "OVERFLOW: leg " + k + " (pool " + pool.id() + ") exceeds the reserve limit";
      }
      if (revert != null) {
        fills.add(new Fill(pool, pool, hop.tokenIn(), tokenOut, amount, BigInteger.ZERO));
        return new RouteOutcome(
            new SwapResult(fills, amountIn, BigInteger.ZERO, sequence, revert), List.of());
      }
      BigInteger newOut = reserveOut.subtract(out);
      Pool after = zeroForOne ? pool.withReserves(newIn, newOut) : pool.withReserves(newOut, newIn);
      fills.add(new Fill(pool, after, hop.tokenIn(), tokenOut, amount, out));
      working.put(index, after);
      amount = out;
    }
    if (amount.compareTo(minimum) < 0) {
      revert =
          "INSUFFICIENT_OUTPUT_AMOUNT: amount out " + amount + " is below the minimum " + minimum;
    }
    if (revert != null || !apply) {
      return new RouteOutcome(new SwapResult(fills, amountIn, amount, sequence, revert), List.of());
    }
    long seq = ++sequence;
    List<PoolUpdate> updates = new ArrayList<>(working.size());
    for (Map.Entry<Integer, Pool> e : working.entrySet()) {
      set(e.getKey(), e.getValue(), seq);
      updates.add(PoolUpdate.reserves(e.getValue(), seq));
    }
    return new RouteOutcome(new SwapResult(fills, amountIn, amount, seq, null), updates);
  }
}
