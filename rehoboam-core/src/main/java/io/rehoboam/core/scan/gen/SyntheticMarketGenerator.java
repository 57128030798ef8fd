package io.rehoboam.core.scan.gen;

import io.rehoboam.spi.Checks;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.market.Pool;
import io.rehoboam.spi.market.Token;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Builds seeded synthetic markets that look like a real EVM DEX landscape: WETH as the hub with
 * stablecoins and WBTC next to it, a long tail of tokens whose use falls off Zipf-like, twelve
 * venues with different fees, log-normal pool depths, and prices that sit inside each pool's fee
 * band around the token's true price, so that, as in a market that arbitrageurs keep in line, no
 * pair and no cycle pays after fees, except for the few {@link PlantedDislocation planted
 * dislocations}.
 *
 * <p>That is the {@link MarketRegime#CALM calm} market; a {@link MarketRegime regime} can move the
 * prices ({@link MarketRegime#VOLATILE volatile}) and add forks ({@link MarketRegime#CROWDED
 * crowded}), from separate random streams, so that the calm market of a seed stays the same.
 *
 * <p>Every non-WETH token has at least one pool against WETH; the remaining pools join pairs drawn
 * by popularity on venues drawn by popularity, at most one pool per pair and venue. Reserves are in
 * base units, between 1 and 2^112-1. The same arguments always give the same market, on every JVM
 * (only {@link Random} and {@link StrictMath} drive it). Stateless and thread-safe.
 */
public final class SyntheticMarketGenerator {
  /** The chain id of markets generated without one. */
  public static final long DEFAULT_CHAIN_ID = 1;

  /** The true USD price of one WETH. */
  public static final BigDecimal WETH_USD = new BigDecimal("3000");

  /** The venues, most used first. */
  public static final List<Venue> VENUES =
      List.of(
          new Venue("uniswap_v2", 30),
          new Venue("sushiswap", 30),
          new Venue("pancakeswap_v2", 25),
          new Venue("shibaswap", 30),
          new Venue("fraxswap", 20),
          new Venue("defiswap", 30),
          new Venue("kyberswap_classic", 17),
          new Venue("apeswap", 20),
          new Venue("biswap", 10),
          new Venue("solidly_stable", 5),
          new Venue("velocore", 5),
          new Venue("radioshack", 100));

  private static final double[] VENUE_WEIGHTS = {30, 16, 10, 6, 5, 4, 4, 3, 3, 2, 2, 1};

  /** The fees forks charge, drawn uniformly. */
  private static final int[] FORK_FEES = {30, 30, 30, 25, 20, 17, 10, 5, 100};

  /** A fork is drawn with this weight (the twelve venues' weights sum to 86). */
  private static final double FORK_WEIGHT = 0.5;

  /** Log-normal noise of a moved pool: median, sigma and clamp, as fractions of the price. */
  private static final double NOISE_MEDIAN = 0.005;

  private static final double NOISE_SIGMA = 0.8;
  private static final double NOISE_MIN = 0.001;
  private static final double NOISE_MAX = 0.02;

  /** Fewest tokens a market can have: the five hub tokens and one long-tail token. */
  public static final int MIN_TOKENS = 6;

  private static final int MIN_DISLOCATION_BPS = 400;
  private static final int MAX_DISLOCATION_BPS = 800;
  private static final double MEDIAN_DEPTH_USD = 150_000;
  private static final double DEPTH_SIGMA = 1.5;
  private static final double HUB_DEPTH_FACTOR = 30;
  private static final double MIN_DEPTH_USD = 2_000;
  private static final double MAX_DEPTH_USD = 200_000_000;
  private static final double PLANTED_MIN_DEPTH_USD = 500_000;
  private static final double MEDIAN_TAIL_PRICE_USD = 0.5;
  private static final double TAIL_PRICE_SIGMA = 2.5;
  private static final double MIN_TAIL_PRICE_USD = 1e-6;
  private static final double MAX_TAIL_PRICE_USD = 1e5;
  private static final int[] TAIL_DECIMALS = {18, 18, 18, 18, 18, 18, 9, 8, 6};

  /**
   * A token with fewer decimals is kept only if its smallest pool still holds this many base units,
   * so that rounding reserves to integers moves no price by more than a millionth.
   */
  private static final double MIN_RESERVE_UNITS = 1e6;

  /** Pools may take up at most this share of the (pair, venue) slots, so that drawing ends. */
  private static final double MAX_FILL = 0.75;

  private static final int PAIR_REDRAWS_BEFORE_UNIFORM = 32;

  private record HubToken(String symbol, int decimals, String priceUsd) {}

  private static final List<HubToken> HUB_TOKENS =
      List.of(
          new HubToken("WETH", 18, WETH_USD.toPlainString()),
          new HubToken("USDC", 6, "1"),
          new HubToken("USDT", 6, "1"),
          new HubToken("DAI", 18, "1"),
          new HubToken("WBTC", 8, "60000"));

  private SyntheticMarketGenerator() {}

  /**
   * A market of the given shape on chain {@value #DEFAULT_CHAIN_ID}.
   *
   * @param pools how many pools (2k, 20k, 200k and 1M are the benchmark sizes)
   * @param seed the same seed gives the same market
   * @param dislocations how many pairs to dislocate on purpose (0 for a market with no profitable
   *     pair)
   * @throws RehoboamException INVALID_ARGUMENT naming {@code pools}, {@code shape} or {@code
   *     dislocations} when the market cannot be built
   */
  public static SyntheticMarket generate(
      MarketShape shape, int pools, long seed, int dislocations) {
    return generate(shape, pools, seed, dislocations, DEFAULT_CHAIN_ID);
  }

  /** As {@link #generate(MarketShape, int, long, int)}, on chain {@code chainId}. */
  public static SyntheticMarket generate(
      MarketShape shape, int pools, long seed, int dislocations, long chainId) {
    return generate(shape, MarketRegime.CALM, pools, seed, dislocations, chainId);
  }

  /** As {@link #generate(MarketShape, int, long, int)}, in the given regime. */
  public static SyntheticMarket generate(
      MarketShape shape, MarketRegime regime, int pools, long seed, int dislocations) {
    return generate(shape, regime, pools, seed, dislocations, DEFAULT_CHAIN_ID);
  }

  /** As {@link #generate(MarketShape, int, long, int, long)}, in the given regime. */
  public static SyntheticMarket generate(
      MarketShape shape,
      MarketRegime regime,
      int pools,
      long seed,
      int dislocations,
      long chainId) {
    Checks.notNull(shape, "shape");
    return generate(shape.tokenCount(pools), regime, pools, seed, dislocations, chainId);
  }

  /** The venues of a market in {@code regime}: the twelve, and the forks when crowded. */
  public static List<Venue> venues(MarketRegime regime) {
    Checks.notNull(regime, "regime");
    if (regime != MarketRegime.CROWDED) {
      return VENUES;
    }
    List<Venue> venues = new ArrayList<>(VENUES);
    for (int i = 0; i < MarketRegime.FORKS; i++) {
      venues.add(
          new Venue(
              String.format(java.util.Locale.ROOT, "fork_%03d", i),
              FORK_FEES[i % FORK_FEES.length]));
    }
    return List.copyOf(venues);
  }

  /**
   * A market with exactly {@code tokenCount} tokens and {@code pools} pools.
   *
   * @throws RehoboamException INVALID_ARGUMENT when there are fewer than {@value #MIN_TOKENS}
   *     tokens, fewer pools than tokens - 1 (each token needs its WETH pool), more pools than three
   *     quarters of all (pair, venue) slots, or fewer pairs on two venues than {@code dislocations}
   */
  public static SyntheticMarket generate(
      int tokenCount, int pools, long seed, int dislocations, long chainId) {
    return generate(tokenCount, MarketRegime.CALM, pools, seed, dislocations, chainId);
  }

  /** As {@link #generate(int, int, long, int, long)}, in the given regime. */
  public static SyntheticMarket generate(
      int tokenCount, MarketRegime regime, int pools, long seed, int dislocations, long chainId) {
    Checks.notNull(regime, "regime");
    List<Venue> venues = venues(regime);
    Checks.check(
        tokenCount >= MIN_TOKENS,
        "tokens",
        "must be at least " + MIN_TOKENS + ", was " + tokenCount);
    Checks.check(
        pools >= tokenCount - 1,
        "pools",
        "must be at least tokens - 1 = "
            + (tokenCount - 1)
            + " (one WETH pool per token), was "
            + pools);
    double slots = (double) tokenCount * (tokenCount - 1) / 2 * venues.size();
    Checks.check(
        pools <= slots * MAX_FILL,
        "pools",
        "must be at most "
            + (long) (slots * MAX_FILL)
            + " for "
            + tokenCount
            + " tokens, was "
            + pools);
    Checks.check(dislocations >= 0, "dislocations", "must not be negative, was " + dislocations);
    Checks.nonNegative(chainId, "chain_id");
    return new Build(tokenCount, regime, venues, pools, seed, dislocations, chainId).run();
  }

  /** One generation run; the arrays hold the pools until they become {@link Pool} records. */
  private static final class Build {
    private final int tokenCount;
    private final int poolCount;
    private final int dislocationCount;
    private final long chainId;
    private final Random tokenRandom;
    private final Random poolRandom;
    private final Random dislocationRandom;
    private final Random regimeRandom;
    private final MarketRegime regime;
    private final List<Venue> venues;
    private final Set<String> addresses = new HashSet<>();

    private final String[] tokenAddress;
    private final double[] tokenUnitsPerUsd;
    private final int[] pairA;
    private final int[] pairB;
    private final int[] venue;
    private final double[] depthUsd;
    private final double[] deviation;
    private final String[] poolAddress;

    Build(
        int tokenCount,
        MarketRegime regime,
        List<Venue> venues,
        int poolCount,
        long seed,
        int dislocationCount,
        long chainId) {
      this.tokenCount = tokenCount;
      this.regime = regime;
      this.venues = venues;
      this.regimeRandom = new Random(seed ^ 0x632BE59BD9B4E019L);
      this.poolCount = poolCount;
      this.dislocationCount = dislocationCount;
      this.chainId = chainId;
      // Separate streams: the tokens of a seed do not change with the pool count.
      this.tokenRandom = new Random(seed);
      this.poolRandom = new Random(seed ^ 0x2545F4914F6CDD1DL);
      this.dislocationRandom = new Random(seed ^ 0x9E3779B97F4A7C15L);
      this.tokenAddress = new String[tokenCount];
      this.tokenUnitsPerUsd = new double[tokenCount];
      this.pairA = new int[poolCount];
      this.pairB = new int[poolCount];
      this.venue = new int[poolCount];
      this.depthUsd = new double[poolCount];
      this.deviation = new double[poolCount];
      this.poolAddress = new String[poolCount];
    }

    SyntheticMarket run() {
      List<Token> tokens = new ArrayList<>(tokenCount);
      Map<String, BigDecimal> priceWeth = new HashMap<>(tokenCount * 2);
      Map<String, BigDecimal> priceUsd = new HashMap<>(tokenCount * 2);
      makeTokens(tokens, priceWeth, priceUsd);
      makePools();
      if (regime != MarketRegime.CALM) {
        movePrices();
      }
      List<PlantedDislocation> planted = plantDislocations();
      List<Pool> pools = new ArrayList<>(poolCount);
      for (int i = 0; i < poolCount; i++) {
        pools.add(pool(i));
      }
      return new SyntheticMarket(
          chainId, tokenAddress[0], tokens, priceWeth, priceUsd, pools, planted);
    }

    private void makeTokens(
        List<Token> tokens, Map<String, BigDecimal> priceWeth, Map<String, BigDecimal> priceUsd) {
      for (int i = 0; i < tokenCount; i++) {
        String symbol;
        int decimals;
        BigDecimal usd;
        if (i < HUB_TOKENS.size()) {
          HubToken hub = HUB_TOKENS.get(i);
          symbol = hub.symbol();
          decimals = hub.decimals();
          usd = new BigDecimal(hub.priceUsd());
        } else {
          symbol = "TK" + i;
          double price =
              clamp(
                  MEDIAN_TAIL_PRICE_USD
                      * StrictMath.exp(TAIL_PRICE_SIGMA * tokenRandom.nextGaussian()),
                  MIN_TAIL_PRICE_USD,
                  MAX_TAIL_PRICE_USD);
          usd = new BigDecimal(price).round(new MathContext(8));
          decimals = TAIL_DECIMALS[tokenRandom.nextInt(TAIL_DECIMALS.length)];
          if (PriceModel.unitsPerUsd(decimals, usd.doubleValue()) * MIN_DEPTH_USD
              < MIN_RESERVE_UNITS) {
            decimals = 18;
          }
        }
        String address = newAddress(tokenRandom);
        tokenAddress[i] = address;
        tokenUnitsPerUsd[i] = PriceModel.unitsPerUsd(decimals, usd.doubleValue());
        tokens.add(new Token(chainId, address, symbol, decimals));
        priceUsd.put(address, usd);
        priceWeth.put(
            address, i == 0 ? BigDecimal.ONE : usd.divide(WETH_USD, MathContext.DECIMAL64));
      }
    }

    private void makePools() {
      CumulativeSampler tokenSampler = CumulativeSampler.zipf(tokenCount);
      double[] weights = Arrays.copyOf(VENUE_WEIGHTS, venues.size());
      Arrays.fill(weights, VENUE_WEIGHTS.length, weights.length, FORK_WEIGHT);
      CumulativeSampler venueSampler = CumulativeSampler.of(weights);
      Set<Long> taken = new HashSet<>(poolCount * 2);
      int count = 0;
      // Every token reaches the hub: a token nobody can price in WETH would not be listed.
      for (int token = 1; token < tokenCount; token++) {
        int v = venueSampler.sample(poolRandom);
        taken.add(slot(0, token, v));
        count = addPool(count, 0, token, v);
      }
      while (count < poolCount) {
        int redraws = 0;
        while (true) {
          int a;
          int b;
          if (redraws++ < PAIR_REDRAWS_BEFORE_UNIFORM) {
            a = tokenSampler.sample(poolRandom);
            b = tokenSampler.sample(poolRandom);
          } else {
            // The popular pairs are on every venue already: fill the rest of the graph.
            a = poolRandom.nextInt(tokenCount);
            b = poolRandom.nextInt(tokenCount);
          }
          if (a == b) {
            continue;
          }
          int v = freeVenue(taken, a, b, venueSampler.sample(poolRandom));
          if (v >= 0) {
            count = addPool(count, a, b, v);
            break;
          }
        }
      }
    }

    private int freeVenue(Set<Long> taken, int a, int b, int preferred) {
      for (int i = 0; i < venues.size(); i++) {
        int v = (preferred + i) % venues.size();
        if (taken.add(slot(a, b, v))) {
          return v;
        }
      }
      return -1;
    }

    private long slot(int a, int b, int v) {
      long low = Math.min(a, b);
      long high = Math.max(a, b);
      return (low * tokenCount + high) * venues.size() + v;
    }

    private int addPool(int index, int a, int b, int v) {
      boolean aFirst = tokenAddress[a].compareTo(tokenAddress[b]) < 0;
      pairA[index] = aFirst ? a : b;
      pairB[index] = aFirst ? b : a;
      venue[index] = v;
      double median =
          a < HUB_TOKENS.size() && b < HUB_TOKENS.size()
              ? MEDIAN_DEPTH_USD * HUB_DEPTH_FACTOR
              : MEDIAN_DEPTH_USD;
      depthUsd[index] =
          clamp(
              median * StrictMath.exp(DEPTH_SIGMA * poolRandom.nextGaussian()),
              MIN_DEPTH_USD,
              MAX_DEPTH_USD);
      double band = PriceModel.band(venues.get(v).feeBps());
      deviation[index] = (poolRandom.nextDouble() * 2 - 1) * band;
      poolAddress[index] = newAddress(poolRandom);
      return index + 1;
    }

    /**
     * A market-wide move: each pool of a moved token leaves its band by a log-normal noise, either
     * way (a pool of two moved tokens by the noise of both).
     */
    private void movePrices() {
      boolean[] moved = new boolean[tokenCount];
      for (int t = 0; t < tokenCount; t++) {
        moved[t] = regimeRandom.nextInt(100) < MarketRegime.MOVED_PERCENT;
      }
      for (int i = 0; i < poolCount; i++) {
        double off = 0;
        if (moved[pairA[i]]) {
          off += noise();
        }
        if (moved[pairB[i]]) {
          off += noise();
        }
        if (off != 0) {
          double band = PriceModel.band(venues.get(venue[i]).feeBps()) / PriceModel.BAND_FRACTION;
          double sign = deviation[i] >= 0 ? 1 : -1;
          deviation[i] = sign * (band + Math.abs(off));
        }
      }
    }

    /** Log-normal, median {@value #NOISE_MEDIAN}, within 0.1%..2%, either sign. */
    private double noise() {
      double size =
          clamp(
              NOISE_MEDIAN * StrictMath.exp(NOISE_SIGMA * regimeRandom.nextGaussian()),
              NOISE_MIN,
              NOISE_MAX);
      return regimeRandom.nextBoolean() ? size : -size;
    }

    private List<PlantedDislocation> plantDislocations() {
      if (dislocationCount == 0) {
        return List.of();
      }
      // First two pools of every pair that is on two or more venues, in pool order.
      Map<Long, int[]> byPair = new LinkedHashMap<>();
      for (int i = 0; i < poolCount; i++) {
        long pair = (long) pairA[i] * tokenCount + pairB[i];
        int[] first = byPair.get(pair);
        if (first == null) {
          byPair.put(pair, new int[] {i, -1});
        } else if (first[1] < 0) {
          first[1] = i;
        }
      }
      List<int[]> candidates = new ArrayList<>();
      for (int[] pair : byPair.values()) {
        if (pair[1] >= 0) {
          candidates.add(pair);
        }
      }
      Checks.check(
          candidates.size() >= dislocationCount,
          "dislocations",
          "must be at most "
              + candidates.size()
              + " (the pairs on two or more venues), was "
              + dislocationCount);
      Collections.shuffle(candidates, dislocationRandom);
      List<PlantedDislocation> planted = new ArrayList<>(dislocationCount);
      for (int[] pair : candidates.subList(0, dislocationCount)) {
        boolean firstMoves = dislocationRandom.nextBoolean();
        int moved = firstMoves ? pair[0] : pair[1];
        int counterpart = firstMoves ? pair[1] : pair[0];
        int bps =
            MIN_DISLOCATION_BPS
                + dislocationRandom.nextInt(MAX_DISLOCATION_BPS - MIN_DISLOCATION_BPS + 1);
        if (dislocationRandom.nextBoolean()) {
          bps = -bps;
        }
        deviation[moved] = bps / 10_000.0;
        // Deep enough on both sides that the planted profit clears gas.
        depthUsd[moved] = Math.max(depthUsd[moved], PLANTED_MIN_DEPTH_USD);
        depthUsd[counterpart] = Math.max(depthUsd[counterpart], PLANTED_MIN_DEPTH_USD);
        planted.add(
            new PlantedDislocation(
                poolId(moved),
                poolId(counterpart),
                tokenAddress[pairA[moved]],
                tokenAddress[pairB[moved]],
                bps));
      }
      return planted;
    }

    private Pool pool(int i) {
      int t0 = pairA[i];
      int t1 = pairB[i];
      Venue v = venues.get(venue[i]);
      return new Pool(
          poolId(i),
          chainId,
          v.dex(),
          poolAddress[i],
          tokenAddress[t0],
          tokenAddress[t1],
          PriceModel.reserve(depthUsd[i] * tokenUnitsPerUsd[t0], "reserve0"),
          PriceModel.reserve(depthUsd[i] * tokenUnitsPerUsd[t1] * (1 + deviation[i]), "reserve1"),
          v.feeBps());
    }

    private String poolId(int i) {
      return chainId + ":" + poolAddress[i];
    }

    private String newAddress(Random random) {
      byte[] bytes = new byte[20];
      while (true) {
        random.nextBytes(bytes);
        String address = "0x" + HexFormat.of().formatHex(bytes);
        if (addresses.add(address)) {
          return address;
        }
      }
    }
  }

  private static double clamp(double value, double min, double max) {
    return Math.max(min, Math.min(max, value));
  }
}
