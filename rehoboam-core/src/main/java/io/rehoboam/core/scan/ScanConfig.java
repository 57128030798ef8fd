package io.rehoboam.core.scan;

import io.rehoboam.spi.Checks;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What the scan engine looks for and what it reports. Immutable; build with {@link #builder()}.
 *
 * <p>An opportunity is reported when its exact {@code net_profit} (start-token base units, after
 * gas) is at least {@code minProfitBaseUnits}, and, when {@code minProfit} is set, its {@code
 * net_profit_usd} is known and at least {@code minProfit}. The gas cost of an opportunity with L
 * legs is {@code (gasPerTx + L*gasPerLeg) * gasPriceWei} wei of the native token, converted into
 * the start token by {@link TokenPrices#fromNative} (rounded up); when that conversion is unknown
 * and the gas price is positive, the candidate is skipped (it cannot be shown to pay for itself).
 *
 * @param strategies the enabled strategies (at least one)
 * @param startTokens lower-case addresses a cycle may start in, in priority order; empty means the
 *     native token of the engine's {@link TokenPrices}. A cross-venue opportunity starts in the
 *     pair's token that comes first in this list, else in the pair's token with the smaller address
 *     (Uniswap's token0 of that pair); every pair is scanned, start token or not. A cycle must
 *     start in a listed token; a cycle through several of them is reported once, from the first
 *     listed.
 * @param maxCycleLength 3 or 4: cycles of length 3 up to this length are searched
 * @param gasPriceWei gas price in wei of the native token (0 = gas is free)
 * @param gasPerLeg gas units per swap
 * @param gasPerTx gas units per transaction on top of the swaps
 * @param minProfit minimum net profit in the quote currency (USD); null = no quote threshold
 * @param minProfitBaseUnits minimum net profit in start-token base units, at least 1
 * @param ttl how long an opportunity is valid after it was detected ({@code expires_at})
 * @param chainId the chain id used for pools whose source does not say (the scan command's CSV)
 * @param sourceBot the {@code source_bot} written on every opportunity; null outside a bot
 * @param maxPerPair how many opportunities are reported per group (see below), at least 1
 *     <p>What is reported, so that a trader can act on all of it: the opportunities are grouped,
 *     for {@code cross_venue} by token pair (with its start token), for {@code cyclic} by start
 *     token and route (the set of token pairs the cycle passes through, either way round). In each
 *     group the most profitable is reported, then the next most profitable that shares no pool with
 *     any reported before it, and so on, up to {@code maxPerPair}. Reported opportunities of one
 *     group can therefore be executed side by side.
 */
public record ScanConfig(
    Set<ScanStrategy> strategies,
    List<String> startTokens,
    int maxCycleLength,
    BigInteger gasPriceWei,
    long gasPerLeg,
    long gasPerTx,
    BigDecimal minProfit,
    BigInteger minProfitBaseUnits,
    Duration ttl,
    long chainId,
    String sourceBot,
    int maxPerPair) {

  /** Default gas units per swap leg. */
  public static final long DEFAULT_GAS_PER_LEG = 100_000;

  /** Default gas units per transaction (the base cost of any transaction). */
  public static final long DEFAULT_GAS_PER_TX = 21_000;

  /** Default number of opportunities reported per group (token pair, or start token and route). */
  public static final int DEFAULT_MAX_PER_PAIR = 1;

  /** Largest {@code max_per_pair}. */
  public static final int MAX_MAX_PER_PAIR = 1_000;

  /** Default time to live of an opportunity (one mainnet block). */
  public static final Duration DEFAULT_TTL = Duration.ofSeconds(12);

  public ScanConfig {
    Checks.notNull(strategies, "strategies");
    Checks.check(!strategies.isEmpty(), "strategies", "must enable at least one strategy");
    strategies = Set.copyOf(strategies);
    Checks.notNull(startTokens, "start_tokens");
    List<String> normalized = new ArrayList<>();
    for (String token : startTokens) {
      String address = Checks.notBlank(token, "start_tokens").trim().toLowerCase(Locale.ROOT);
      if (!normalized.contains(address)) {
        normalized.add(address);
      }
    }
    startTokens = List.copyOf(normalized);
    Checks.check(
        maxCycleLength == 3 || maxCycleLength == 4,
        "max_cycle_length",
        "must be 3 or 4, was " + maxCycleLength);
    Checks.nonNegative(gasPriceWei, "gas_price_wei");
    Checks.nonNegative(gasPerLeg, "gas_per_leg");
    Checks.nonNegative(gasPerTx, "gas_per_tx");
    Checks.check(
        minProfit == null || minProfit.signum() >= 0, "min_profit", "must not be negative");
    Checks.notNull(minProfitBaseUnits, "min_profit_base_units");
    Checks.check(
        minProfitBaseUnits.signum() > 0,
        "min_profit_base_units",
        "must be at least 1, was " + minProfitBaseUnits);
    Checks.notNull(ttl, "ttl");
    Checks.check(!ttl.isNegative(), "ttl", "must not be negative");
    Checks.nonNegative(chainId, "chain_id");
    Checks.check(sourceBot == null || !sourceBot.isBlank(), "source_bot", "must not be blank");
    Checks.check(
        maxPerPair >= 1 && maxPerPair <= MAX_MAX_PER_PAIR,
        "max_per_pair",
        "must be 1.." + MAX_MAX_PER_PAIR + ", was " + maxPerPair);
  }

  /** The defaults: both strategies, native start token, length 3, free gas, net profit >= 1. */
  public static ScanConfig defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this configuration. */
  public Builder toBuilder() {
    Builder builder = new Builder();
    builder.strategies = EnumSet.copyOf(strategies);
    builder.startTokens = new ArrayList<>(startTokens);
    builder.maxCycleLength = maxCycleLength;
    builder.gasPriceWei = gasPriceWei;
    builder.gasPerLeg = gasPerLeg;
    builder.gasPerTx = gasPerTx;
    builder.minProfit = minProfit;
    builder.minProfitBaseUnits = minProfitBaseUnits;
    builder.ttl = ttl;
    builder.chainId = chainId;
    builder.sourceBot = sourceBot;
    builder.maxPerPair = maxPerPair;
    return builder;
  }

  /** True when the strategy is enabled. */
  public boolean enabled(ScanStrategy strategy) {
    return strategies.contains(strategy);
  }

  /** Gas units of an opportunity with {@code legs} swaps. */
  public BigInteger gasUnits(int legs) {
    return BigInteger.valueOf(gasPerTx)
        .add(BigInteger.valueOf(gasPerLeg).multiply(BigInteger.valueOf(legs)));
  }

  /** Builder with the defaults of {@link ScanConfig#defaults()}. Not thread-safe. */
  public static final class Builder {
    private Set<ScanStrategy> strategies = EnumSet.allOf(ScanStrategy.class);
    private List<String> startTokens = new ArrayList<>();
    private int maxCycleLength = 3;
    private BigInteger gasPriceWei = BigInteger.ZERO;
    private long gasPerLeg = DEFAULT_GAS_PER_LEG;
    private long gasPerTx = DEFAULT_GAS_PER_TX;
    private BigDecimal minProfit;
    private BigInteger minProfitBaseUnits = BigInteger.ONE;
    private Duration ttl = DEFAULT_TTL;
    private long chainId = 1;
    private String sourceBot;
    private int maxPerPair = DEFAULT_MAX_PER_PAIR;

    private Builder() {}

    public Builder strategies(Set<ScanStrategy> value) {
      strategies = EnumSet.noneOf(ScanStrategy.class);
      strategies.addAll(Checks.notNull(value, "strategies"));
      return this;
    }

    public Builder strategies(ScanStrategy... value) {
      return strategies(Set.of(value));
    }

    public Builder startTokens(List<String> value) {
      startTokens = new ArrayList<>(new LinkedHashSet<>(Checks.notNull(value, "start_tokens")));
      return this;
    }

    public Builder startTokens(String... value) {
      return startTokens(List.of(value));
    }

    public Builder maxCycleLength(int value) {
      maxCycleLength = value;
      return this;
    }

    public Builder gasPriceWei(BigInteger value) {
      gasPriceWei = value;
      return this;
    }

    public Builder gasPerLeg(long value) {
      gasPerLeg = value;
      return this;
    }

    public Builder gasPerTx(long value) {
      gasPerTx = value;
      return this;
    }

    /** Minimum net profit in the quote currency; null switches the quote threshold off. */
    public Builder minProfit(BigDecimal value) {
      minProfit = value;
      return this;
    }

    public Builder minProfitBaseUnits(BigInteger value) {
      minProfitBaseUnits = value;
      return this;
    }

    public Builder ttl(Duration value) {
      ttl = value;
      return this;
    }

    public Builder chainId(long value) {
      chainId = value;
      return this;
    }

    public Builder sourceBot(String value) {
      sourceBot = value;
      return this;
    }

    /** How many non-overlapping opportunities are reported per group, at least 1. */
    public Builder maxPerPair(int value) {
      maxPerPair = value;
      return this;
    }

    /**
     * The configuration.
     *
     * @throws io.rehoboam.spi.RehoboamException INVALID_ARGUMENT naming the first invalid field
     */
    public ScanConfig build() {
      return new ScanConfig(
          strategies,
          startTokens,
          maxCycleLength,
          gasPriceWei,
          gasPerLeg,
          gasPerTx,
          minProfit,
          minProfitBaseUnits,
          ttl,
          chainId,
          sourceBot,
          maxPerPair);
    }
  }
}
