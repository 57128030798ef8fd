package io.rehoboam.core.scan;

import io.rehoboam.spi.market.Pool;
import io.rehoboam.spi.trade.Leg;
import io.rehoboam.spi.trade.Opportunity;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/** Random markets and helpers shared by the scan tests. */
final class Markets {
  static final String WETH = TokenPrices.MAINNET_WETH;
  static final Clock CLOCK = Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC);
  static final String[] DEXES = {"uniswap_v2", "sushiswap", "pancake"};
  static final int[] FEES = {0, 1, 5, 25, 30, 30, 30, 100, 300, 1000};

  private Markets() {}

  /** A deterministic token address: 0x followed by 40 hex digits derived from {@code n}. */
  static String token(int n) {
    return String.format(Locale.ROOT, "0x%040x", 0x1000L + n);
  }

  static Pool pool(
      String id, String token0, String token1, long reserve0, long reserve1, int feeBps) {
    return pool(
        id, token0, token1, BigInteger.valueOf(reserve0), BigInteger.valueOf(reserve1), feeBps);
  }

  static Pool pool(
      String id,
      String token0,
      String token1,
      BigInteger reserve0,
      BigInteger reserve1,
      int feeBps) {
    return new Pool(id, 1, "uniswap_v2", id, token0, token1, reserve0, reserve1, feeBps);
  }

  /**
   * A small random market: WETH plus {@code tokens - 1} other tokens, {@code pools} pools on random
   * pairs with log-uniform reserves in [min, max] and fees from a spread of values. Nothing is
   * planted: whatever is profitable is so by chance.
   */
  static List<Pool> randomMarket(Random random, int tokens, int pools, long min, long max) {
    List<String> addresses = new ArrayList<>();
    addresses.add(WETH);
    for (int i = 1; i < tokens; i++) {
      addresses.add(token(i));
    }
    List<Pool> market = new ArrayList<>();
    for (int i = 0; i < pools; i++) {
      int a = random.nextInt(tokens);
      int b = random.nextInt(tokens - 1);
      if (b >= a) {
        b++;
      }
      market.add(
          new Pool(
              "p" + i,
              1,
              DEXES[random.nextInt(DEXES.length)],
              "p" + i,
              addresses.get(a),
              addresses.get(b),
              logUniform(random, min, max),
              logUniform(random, min, max),
              FEES[random.nextInt(FEES.length)]));
    }
    return market;
  }

  static BigInteger logUniform(Random random, long min, long max) {
    double value = Math.exp(Math.log(min) + random.nextDouble() * (Math.log(max) - Math.log(min)));
    return BigInteger.valueOf(Math.max(min, Math.min(max, Math.round(value))));
  }

  /** The path key of an opportunity, as the reference spells it. */
  static String key(Opportunity opportunity) {
    StringBuilder key =
        new StringBuilder(opportunity.strategy()).append(':').append(opportunity.startToken());
    for (Leg leg : opportunity.legs()) {
      key.append('>').append(leg.poolId());
    }
    return key.toString();
  }

  static ScanEngine engine(ScanConfig config) {
    return new ScanEngine(config, CLOCK, TokenPrices.none(WETH));
  }
}
