package io.rehoboam.http.testing;

import io.rehoboam.spi.trade.Leg;
import io.rehoboam.spi.trade.Opportunity;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Valid two-leg opportunities for tests. */
public final class Opportunities {
  public static final String WETH = "0x00000000000000000000000000000000000000aa";
  public static final String USDC = "0x00000000000000000000000000000000000000bb";
  public static final BigInteger AMOUNT_IN = BigInteger.valueOf(1_000_000);
  public static final BigInteger GAS = BigInteger.valueOf(100);

  private Opportunities() {}

  /** WETH -> USDC -> WETH, {@link #AMOUNT_IN} in, {@code netProfit} base units net of gas. */
  public static Opportunity of(
      String id,
      String strategy,
      long netProfit,
      BigDecimal netProfitUsd,
      Instant detectedAt,
      Duration ttl) {
    BigInteger net = BigInteger.valueOf(netProfit);
    BigInteger profit = net.add(GAS);
    BigInteger amountOut = AMOUNT_IN.add(profit);
    BigInteger middle = BigInteger.valueOf(2_000_000);
    return new Opportunity(
        id,
        strategy,
        null,
        WETH,
        AMOUNT_IN,
        amountOut,
        profit,
        GAS,
        net,
        netProfitUsd == null ? null : netProfitUsd.add(BigDecimal.ONE),
        netProfitUsd,
        42,
        detectedAt,
        detectedAt.plus(ttl),
        List.of(
            new Leg(1, "uniswap_v2", "pool-a", WETH, USDC, AMOUNT_IN, middle),
            new Leg(1, "sushiswap", "pool-b", USDC, WETH, middle, amountOut)));
  }
}
