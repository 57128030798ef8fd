package io.rehoboam.core.sim;

import io.rehoboam.core.scan.gen.MarketRegime;
import io.rehoboam.core.scan.gen.MarketShape;
import io.rehoboam.spi.Checks;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.SettingSpec;
import io.rehoboam.spi.SettingType;
import io.rehoboam.spi.Settings;
import io.rehoboam.spi.SettingsSchema;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * How a {@link SimMarketSource} builds and moves its market. Immutable. Read from a source's
 * settings with {@link #fromSettings}; the grammar is documented on {@link
 * SimMarketSourceProvider}.
 *
 * @param seed the same seed (and the same other settings) gives the same market and the same stream
 *     of updates
 * @param pools pools over all chains; split evenly across {@code chainIds} (the first chains take
 *     the remainder)
 * @param shape how many tokens each chain's pools spread over ({@link MarketShape})
 * @param chainIds the chains, each with its own generated market (own WETH and tokens); at least
 *     one, no duplicates
 * @param updateInterval time between two ticks of the engine's scheduler; {@link Duration#ZERO}
 *     means no timer (ticks only through {@link SimMarketSource#tick()})
 * @param updatesPerTick ordinary pool moves (trades, re-alignments) per tick, at least 1
 * @param dislocationProbability chance per tick (0..1) of one large trade that knocks a pool out of
 *     line with the other pools of its pair
 * @param quoteCurrency the currency prices are quoted in; the synthetic market prices in USD only
 * @param regime how the generated market starts ({@link MarketRegime}: calm, volatile or crowded)
 */
public record SimConfig(
    long seed,
    int pools,
    MarketShape shape,
    List<Long> chainIds,
    Duration updateInterval,
    int updatesPerTick,
    double dislocationProbability,
    String quoteCurrency,
    MarketRegime regime) {

  /** Default seed. */
  public static final long DEFAULT_SEED = 42;

  /** Default pool count. */
  public static final int DEFAULT_POOLS = 2000;

  /** Default time between ticks. */
  public static final Duration DEFAULT_UPDATE_INTERVAL = Duration.ofMillis(250);

  /** Default pool moves per tick. */
  public static final int DEFAULT_UPDATES_PER_TICK = 20;

  /** Default chance of a dislocation per tick. */
  public static final double DEFAULT_DISLOCATION_PROBABILITY = 0.05;

  /** The settings {@link #fromSettings} reads: the one list of them. */
  public static final SettingsSchema SCHEMA =
      SettingsSchema.of(
          SettingSpec.of(
                  "seed",
                  SettingType.INTEGER,
                  "The same seed and settings give the same market and the same stream of updates")
              .defaultValue(DEFAULT_SEED)
              .min(Long.MIN_VALUE)
              .max(Long.MAX_VALUE),
          SettingSpec.of(
                  "pools",
                  SettingType.INTEGER,
                  "Pools over all chains, split evenly (the first chains take the remainder); per"
                      + " chain at least 24 (sparse) or 499 (dense)")
              .defaultValue(DEFAULT_POOLS)
              .min(1)
              .max(Integer.MAX_VALUE),
          SettingSpec.of(
                  "shape",
                  SettingType.STRING,
                  "sparse spreads a chain's pools over one token per four pools, dense over 500"
                      + " tokens")
              .defaultValue(MarketShape.SPARSE.wireName())
              .allowed(MarketShape.SPARSE.wireName(), MarketShape.DENSE.wireName()),
          SettingSpec.of(
                  "regime",
                  SettingType.STRING,
                  "How the market starts: in line (calm), just after a market-wide move with most"
                      + " pools off their fee band (volatile), or that on many forks (crowded)")
              .defaultValue(MarketRegime.CALM.wireName())
              .allowed(
                  MarketRegime.CALM.wireName(),
                  MarketRegime.VOLATILE.wireName(),
                  MarketRegime.CROWDED.wireName()),
          SettingSpec.of(
                  "chain_ids",
                  SettingType.LIST,
                  "Chain ids (integers); each chain gets a generated market of its own (own WETH,"
                      + " stablecoins, WBTC and long-tail tokens)")
              .defaultValue("[1]"),
          SettingSpec.of(
                  "update_interval",
                  SettingType.DURATION,
                  "Time between ticks on the engine's scheduler; 0 switches the timer off")
              .defaultValue("250ms"),
          SettingSpec.of("updates_per_tick", SettingType.INTEGER, "Ordinary pool moves per tick")
              .defaultValue(DEFAULT_UPDATES_PER_TICK)
              .min(1)
              .max(1_000_000),
          SettingSpec.of(
                  "dislocation_probability",
                  SettingType.DECIMAL,
                  "Chance per tick of a large trade that pushes one pool of a multi-venue pair 1-8%"
                      + " off the true price")
              .defaultValue(DEFAULT_DISLOCATION_PROBABILITY)
              .min(0)
              .max(1),
          SettingSpec.of(
                  "quote_currency",
                  SettingType.STRING,
                  "The currency of quote prices; the simulated market prices in USD only")
              .defaultValue("USD"));

  /** Smallest pool count per chain: a sparse market needs six tokens, one per four pools. */
  static final int MIN_SPARSE_POOLS_PER_CHAIN = 4 * 6;

  /** Smallest pool count per chain of a dense market: each of its tokens needs a WETH pool. */
  static final int MIN_DENSE_POOLS_PER_CHAIN = MarketShape.DENSE_TOKENS - 1;

  /** A calm market ({@link MarketRegime#CALM}). */
  public SimConfig(
      long seed,
      int pools,
      MarketShape shape,
      List<Long> chainIds,
      Duration updateInterval,
      int updatesPerTick,
      double dislocationProbability,
      String quoteCurrency) {
    this(
        seed,
        pools,
        shape,
        chainIds,
        updateInterval,
        updatesPerTick,
        dislocationProbability,
        quoteCurrency,
        MarketRegime.CALM);
  }

  public SimConfig {
    Checks.check(pools > 0, "pools", "must be positive, was " + pools);
    Checks.notNull(regime, "regime");
    Checks.notNull(shape, "shape");
    Checks.notNull(chainIds, "chain_ids");
    Checks.check(!chainIds.isEmpty(), "chain_ids", "must name at least one chain");
    Set<Long> seen = new HashSet<>();
    for (Long chainId : chainIds) {
      Checks.check(chainId != null && chainId >= 0, "chain_ids", "must be non-negative integers");
      Checks.check(seen.add(chainId), "chain_ids", "lists chain " + chainId + " twice");
    }
    chainIds = List.copyOf(chainIds);
    int perChain = pools / chainIds.size();
    int least = shape == MarketShape.DENSE ? MIN_DENSE_POOLS_PER_CHAIN : MIN_SPARSE_POOLS_PER_CHAIN;
    Checks.check(
        perChain >= least,
        "pools",
        "must be at least "
            + least
            + " per chain for the "
            + shape.wireName()
            + " shape ("
            + (long) least * chainIds.size()
            + " for "
            + chainIds.size()
            + " chain(s)), was "
            + pools);
    Checks.notNull(updateInterval, "update_interval");
    Checks.check(!updateInterval.isNegative(), "update_interval", "must not be negative");
    Checks.check(
        updatesPerTick >= 1 && updatesPerTick <= 1_000_000,
        "updates_per_tick",
        "must be 1..1000000, was " + updatesPerTick);
    Checks.check(
        dislocationProbability >= 0 && dislocationProbability <= 1,
        "dislocation_probability",
        "must be within 0..1, was " + dislocationProbability);
    Checks.notBlank(quoteCurrency, "quote_currency");
    quoteCurrency = quoteCurrency.trim().toUpperCase(Locale.ROOT);
    Checks.check(
        quoteCurrency.equals("USD"),
        "quote_currency",
        "the simulated market prices in USD only, was '" + quoteCurrency + "'");
  }

  /** Every setting at its default. */
  public static SimConfig defaults() {
    return fromSettings(Settings.empty());
  }

  /**
   * Reads the settings of a {@code sim} source (without {@code type}).
   *
   * @throws RehoboamException INVALID_CONFIG naming the setting that is unknown or wrong
   */
  public static SimConfig fromSettings(Settings settings) {
    Checks.notNull(settings, "settings");
    SCHEMA.validate(settings, Map.of());
    try {
      return new SimConfig(
          settings.longValue("seed", DEFAULT_SEED),
          settings.intValue("pools", DEFAULT_POOLS),
          MarketShape.parse(settings.string("shape", MarketShape.SPARSE.wireName())),
          chainIds(settings),
          settings.duration("update_interval", DEFAULT_UPDATE_INTERVAL),
          settings.intValue("updates_per_tick", DEFAULT_UPDATES_PER_TICK),
          settings
              .decimal(
                  "dislocation_probability", BigDecimal.valueOf(DEFAULT_DISLOCATION_PROBABILITY))
              .doubleValue(),
          settings.string("quote_currency", "USD"),
          MarketRegime.parse(settings.string("regime", MarketRegime.CALM.wireName())));
    } catch (RehoboamException e) {
      throw e.code() == ErrorCode.INVALID_CONFIG
          ? e
          : new RehoboamException(ErrorCode.INVALID_CONFIG, e.getMessage(), e);
    }
  }

  private static List<Long> chainIds(Settings settings) {
    if (!settings.has("chain_ids")) {
      return List.of(1L);
    }
    List<Long> ids = new ArrayList<>();
    for (String item : settings.stringList("chain_ids")) {
      try {
        ids.add(Long.parseLong(item.trim()));
      } catch (NumberFormatException e) {
        throw new RehoboamException(
            ErrorCode.INVALID_CONFIG,
            "chain_ids: expected a list of integers but an item was a text of "
                + item.length()
                + " characters");
      }
    }
    return ids;
  }

  /** The pools of the chain at {@code index} in {@link #chainIds}. */
  public int poolsOfChain(int index) {
    Checks.check(index >= 0 && index < chainIds.size(), "index", "no chain at " + index);
    int base = pools / chainIds.size();
    return index < pools % chainIds.size() ? base + 1 : base;
  }
}
