package io.rehoboam.core.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import java.math.BigInteger;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Exact swap math against expectations that do not reuse the formula: values computed separately
 * (Python integers) and the pair contract's own invariant check, which defines the largest output a
 * swap may take.
 */
class AmmMathTest {
  private static final BigInteger MAX = BigInteger.ONE.shiftLeft(112).subtract(BigInteger.ONE);

  @ParameterizedTest(name = "amountOut({0}, {1}, {2}, {3}) = {4}")
  @CsvSource({
    // computed with Python's arbitrary-precision integers, independently of this code
    "1000000000000000000, 100000000000000000000, 200000000000000000000, 30, 1974316068794122597",
    "1, 1, 1, 30, 0",
    "1, 1000000000000000000, 1000000000000000000, 30, 0",
    "1, 5192296858534827628530496329220095, 5192296858534827628530496329220095, 30, 0",
    "1000000000000000000000000000000, 5192296858534827628530496329220095,"
        + " 5192296858534827628530496329220095, 30, 996808597582367419213564832871",
    "5192296858534827628530496329220095, 5192296858534827628530496329220095,"
        + " 5192296858534827628530496329220095, 30, 2592248356514383147543768072224554",
    "1606938044258990275541962092341162602522202993782792835301376,"
        + " 5192296858534827628530496329220095, 1000, 30, 999",
    "1, 1, 5192296858534827628530496329220095, 0, 2596148429267413814265248164610047",
    "12345, 67890, 13579, 9999, 0",
    "500000000000000000, 3000000000000000000000, 9000000000000000000000000, 5,"
        + " 1499000291534768499814",
    "1000, 1000, 1000, 0, 500"
  })
  void amountOutMatchesIndependentValues(
      String amountIn, String reserveIn, String reserveOut, int fee, String expected) {
    assertEquals(
        new BigInteger(expected),
        AmmMath.amountOut(
            new BigInteger(amountIn), new BigInteger(reserveIn), new BigInteger(reserveOut), fee));
  }

  @Test
  void amountOutIsTheLargestOutputThePairInvariantAllows() {
    List<BigInteger[]> cases =
        List.of(
            new BigInteger[] {BigInteger.ONE, BigInteger.ONE, BigInteger.ONE},
            new BigInteger[] {BigInteger.ONE, BigInteger.ONE, MAX},
            new BigInteger[] {BigInteger.ONE, MAX, MAX},
            new BigInteger[] {BigInteger.TWO, MAX, BigInteger.TEN},
            new BigInteger[] {MAX, MAX, MAX},
            new BigInteger[] {MAX, BigInteger.ONE, MAX},
            new BigInteger[] {BigInteger.ONE.shiftLeft(255), MAX, MAX},
            new BigInteger[] {BigInteger.TEN.pow(18), MAX.subtract(BigInteger.ONE), MAX},
            new BigInteger[] {
              BigInteger.valueOf(997), BigInteger.valueOf(1000), BigInteger.valueOf(1000)
            });
    for (int fee = 0; fee < 10_000; fee++) {
      for (BigInteger[] c : cases) {
        assertInvariantTight(c[0], c[1], c[2], fee);
      }
    }
    Random random = new Random(7);
    for (int i = 0; i < 20_000; i++) {
      BigInteger reserveIn =
          new BigInteger(1 + random.nextInt(112), random).add(BigInteger.ONE).min(MAX);
      BigInteger reserveOut =
          new BigInteger(1 + random.nextInt(112), random).add(BigInteger.ONE).min(MAX);
      BigInteger amountIn = new BigInteger(1 + random.nextInt(130), random);
      assertInvariantTight(amountIn, reserveIn, reserveOut, random.nextInt(10_000));
    }
  }

  /**
   * The pair accepts a swap iff {@code (reserveIn*10000 + in*(10000-fee)) * (reserveOut - out) >=
   * reserveIn*reserveOut*10000} (its K check, in basis points): out must pass and out+1 must fail.
   */
  private static void assertInvariantTight(
      BigInteger amountIn, BigInteger reserveIn, BigInteger reserveOut, int fee) {
    BigInteger out = AmmMath.amountOut(amountIn, reserveIn, reserveOut, fee);
    assertTrue(out.signum() >= 0 && out.compareTo(reserveOut) < 0, "out within the reserve");
    assertTrue(
        pairAccepts(amountIn, out, reserveIn, reserveOut, fee),
        () -> "pair must accept " + out + " for " + amountIn + " fee " + fee);
    BigInteger more = out.add(BigInteger.ONE);
    assertTrue(
        more.compareTo(reserveOut) >= 0 || !pairAccepts(amountIn, more, reserveIn, reserveOut, fee),
        () -> "pair must refuse " + more + " for " + amountIn + " fee " + fee);
  }

  private static boolean pairAccepts(
      BigInteger amountIn, BigInteger out, BigInteger reserveIn, BigInteger reserveOut, int fee) {
    BigInteger balanceInAdjusted =
        reserveIn
            .add(amountIn)
            .multiply(BigInteger.valueOf(10_000))
            .subtract(amountIn.multiply(BigInteger.valueOf(fee)));
    BigInteger balanceOutAdjusted = reserveOut.subtract(out).multiply(BigInteger.valueOf(10_000));
    return balanceInAdjusted
            .multiply(balanceOutAdjusted)
            .compareTo(reserveIn.multiply(reserveOut).multiply(BigInteger.valueOf(100_000_000)))
        >= 0;
  }

  @Test
  void amountInIsTheSmallestInputReachingTheOutput() {
    Random random = new Random(11);
    for (int i = 0; i < 20_000; i++) {
      BigInteger reserveIn =
          new BigInteger(1 + random.nextInt(112), random).add(BigInteger.ONE).min(MAX);
      BigInteger reserveOut =
          new BigInteger(2 + random.nextInt(111), random).add(BigInteger.TWO).min(MAX);
      BigInteger wanted = new BigInteger(reserveOut.bitLength(), random).mod(reserveOut);
      int fee = random.nextInt(10_000);
      BigInteger in = AmmMath.amountIn(wanted, reserveIn, reserveOut, fee);
      assertTrue(AmmMath.amountOut(in, reserveIn, reserveOut, fee).compareTo(wanted) >= 0);
      if (in.signum() > 0) {
        assertTrue(
            AmmMath.amountOut(in.subtract(BigInteger.ONE), reserveIn, reserveOut, fee)
                    .compareTo(wanted)
                < 0,
            "one unit less falls short");
      }
    }
    // Uniswap's getAmountIn (floor + 1) is one unit high when the division is exact
    assertEquals(
        BigInteger.valueOf(1_000),
        AmmMath.amountIn(
            BigInteger.valueOf(500), BigInteger.valueOf(1_000), BigInteger.valueOf(1_000), 0));
  }

  @Test
  void closedFormOptimumMatchesTheTwoPoolFormula() {
    // d* = (sqrt(a*c) - c) / b with a = gA*gB*yA*xB, c = xA*yB, b = gA*(yB + gB*yA)
    double xA = 1_000_000, yA = 2_100_000, yB = 2_000_000, xB = 1_000_000;
    double gA = 0.997, gB = 0.9975;
    double a = gA * gB * yA * xB;
    double c = xA * yB;
    double b = gA * (yB + gB * yA);
    double expected = (Math.sqrt(a * c) - c) / b;
    BigInteger optimal =
        AmmMath.optimalTwoPoolInput(
            BigInteger.valueOf(1_000_000),
            BigInteger.valueOf(2_100_000),
            30,
            BigInteger.valueOf(2_000_000),
            BigInteger.valueOf(1_000_000),
            25);
    assertTrue(Math.abs(optimal.doubleValue() - expected) <= 1, optimal + " vs " + expected);
    assertEquals(
        BigInteger.ZERO,
        AmmMath.optimalTwoPoolInput(
            BigInteger.valueOf(1_000_000),
            BigInteger.valueOf(2_000_000),
            30,
            BigInteger.valueOf(2_000_000),
            BigInteger.valueOf(1_000_000),
            30),
        "no input pays when the prices agree");
  }

  @Test
  void foldedPathIsTheCompositionOfItsHops() {
    AmmMath.VirtualPath path =
        AmmMath.VirtualPath.identity()
            .then(BigInteger.valueOf(5_000), BigInteger.valueOf(9_000), 30)
            .then(BigInteger.valueOf(7_000), BigInteger.valueOf(4_000), 100);
    // out(d) = a*d/(c+b*d) must bound the floored two-hop output from above, within a unit
    for (long d = 1; d < 3_000; d += 7) {
      BigInteger in = BigInteger.valueOf(d);
      BigInteger hop1 =
          AmmMath.amountOut(in, BigInteger.valueOf(5_000), BigInteger.valueOf(9_000), 30);
      BigInteger exact =
          AmmMath.amountOut(hop1, BigInteger.valueOf(7_000), BigInteger.valueOf(4_000), 100);
      double real =
          path.a().doubleValue() * d / (path.c().doubleValue() + path.b().doubleValue() * d);
      assertTrue(
          exact.doubleValue() <= real + 1e-9 && real < exact.doubleValue() + 2,
          d + ": " + exact + " vs " + real);
    }
  }

  @Test
  void badArgumentsAreRefusedNamingTheField() {
    BigInteger one = BigInteger.ONE;
    assertField("reserve_in", () -> AmmMath.amountOut(one, BigInteger.ZERO, one, 30));
    assertField("reserve_out", () -> AmmMath.amountOut(one, one, BigInteger.ZERO, 30));
    assertField("amount_in", () -> AmmMath.amountOut(one.negate(), one, one, 30));
    assertField("fee_bps", () -> AmmMath.amountOut(one, one, one, 10_000));
    assertField("fee_bps", () -> AmmMath.amountOut(one, one, one, -1));
    assertField("amount_out", () -> AmmMath.amountIn(BigInteger.TEN, one, BigInteger.TEN, 30));
    assertEquals(BigInteger.ZERO, AmmMath.amountOut(BigInteger.ZERO, one, one, 30));
  }

  private static void assertField(String field, Runnable call) {
    RehoboamException e = assertThrows(RehoboamException.class, call::run);
    assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
    assertTrue(e.getMessage().startsWith(field + ":"), e.getMessage());
  }
}
