package io.rehoboam.core.scan.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.rehoboam.spi.trade.Leg;
import io.rehoboam.spi.trade.Opportunity;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The scan's sort (doubles first, the exact comparator where they cannot tell) gives exactly the
 * order of {@link Scanner#BY_NET_PROFIT}: on quote values that differ only in their 18th digit,
 * equal values at different scales, unvalued opportunities, and ties broken by base units and id.
 */
class NetProfitOrderTest {
  private static final String WETH = "0x00000000000000000000000000000000000000aa";
  private static final String USDC = "0x00000000000000000000000000000000000000bb";

  private static Opportunity opportunity(int i, BigInteger net, BigDecimal usd) {
    Instant now = Instant.parse("2026-12-07T00:00:00Z");
    BigInteger in = BigInteger.TEN.pow(18);
    BigInteger out = in.add(net);
    return new Opportunity(
        "cv-1-" + i,
        "cross_venue",
        "test",
        WETH,
        in,
        out,
        net,
        BigInteger.ZERO,
        net,
        usd,
        usd,
        1,
        now,
        now.plusSeconds(10),
        List.of(
            new Leg(1, "a", "1:p" + i, WETH, USDC, in, BigInteger.TEN),
            new Leg(1, "b", "1:q" + i, USDC, WETH, BigInteger.TEN, out)));
  }

  @Test
  void theFastSortOrdersExactlyAsTheComparator() {
    Random random = new Random(23);
    for (int round = 0; round < 200; round++) {
      List<Opportunity> list = new ArrayList<>();
      BigDecimal base = new BigDecimal(new BigInteger(60, random), random.nextInt(30));
      for (int i = 0; i < 300; i++) {
        BigInteger net = BigInteger.valueOf(1 + random.nextInt(5));
        BigDecimal usd;
        switch (random.nextInt(6)) {
          case 0 -> usd = null;
          case 1 -> usd = base; // ties: the base units and the id decide
          case 2 -> usd = base.add(BigDecimal.ONE.movePointLeft(base.scale() + 1));
          case 3 -> usd = base.setScale(base.scale() + 3); // equal value, other scale
          case 4 -> usd = base.subtract(BigDecimal.ONE.movePointLeft(base.scale() + 2));
          default -> usd = new BigDecimal(new BigInteger(70, random), random.nextInt(40) - 5);
        }
        list.add(opportunity(i, net, usd));
      }
      List<Opportunity> expected = new ArrayList<>(list);
      expected.sort(Scanner.BY_NET_PROFIT);
      List<Opportunity> actual = new ArrayList<>(list);
      Scanner.sortByNetProfit(actual);
      assertEquals(expected, actual, "round " + round);
      assertNotEquals(list, expected);
    }
  }
}
