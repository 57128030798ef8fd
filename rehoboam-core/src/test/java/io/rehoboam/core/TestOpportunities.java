package io.rehoboam.core;

import io.rehoboam.spi.trade.Leg;
import io.rehoboam.spi.trade.Opportunity;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;

/** Small valid opportunities for tests that need one. */
public final class TestOpportunities {
  private TestOpportunities() {}

  public static Opportunity sample(String id) {
    String weth = "0x" + "c".repeat(40);
    String usdc = "0x" + "a".repeat(40);
    BigInteger in = BigInteger.valueOf(1_000_000);
    BigInteger mid = BigInteger.valueOf(2_000);
    BigInteger out = BigInteger.valueOf(1_000_500);
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    return new Opportunity(
        id,
        "cross_venue",
        null,
        weth,
        in,
        out,
        out.subtract(in),
        BigInteger.valueOf(100),
        out.subtract(in).subtract(BigInteger.valueOf(100)),
        new BigDecimal("1.5"),
        new BigDecimal("1.2"),
        1,
        now,
        now.plusSeconds(30),
        List.of(
            new Leg(1, "uni", "p1", weth, usdc, in, mid),
            new Leg(1, "sushi", "p2", usdc, weth, mid, out)));
  }
}
