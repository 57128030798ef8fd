package io.rehoboam.core.scan.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.core.scan.AmmMath;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The 128-bit swap arithmetic against the BigInteger formula ({@link AmmMath}), bit for bit, on
 * random values of every size up to 2^112-1 and on edge values (0, 1, powers of two and their
 * neighbours, 32- and 64-bit word boundaries, the uint112 maximum); and the 128-bit staircase walk
 * of {@link ExactPath} against its BigInteger walk.
 */
class WideSwapMathTest {
  private static final BigInteger MAX = BigInteger.ONE.shiftLeft(112).subtract(BigInteger.ONE);
  private static final int[] FEES = {0, 1, 5, 30, 100, 3000, 9999};

  private static List<BigInteger> edges() {
    List<BigInteger> values = new ArrayList<>();
    values.add(BigInteger.ONE);
    values.add(BigInteger.TWO);
    values.add(BigInteger.valueOf(3));
    values.add(BigInteger.valueOf(9999));
    values.add(BigInteger.valueOf(10_000));
    for (int bits : new int[] {16, 31, 32, 33, 48, 63, 64, 65, 80, 95, 96, 97, 100, 111, 112}) {
      BigInteger p = BigInteger.ONE.shiftLeft(bits);
      values.add(p.subtract(BigInteger.ONE));
      if (bits < 112) {
        values.add(p);
        values.add(p.add(BigInteger.ONE));
      }
    }
    values.add(MAX.subtract(BigInteger.ONE));
    values.add(new BigInteger("1000000000000000000"));
    values.add(new BigInteger("5192296858534827628530496329220095"));
    return values;
  }

  /** A random value of a random bit length, 1..112 bits, sometimes all ones. */
  private static BigInteger random(Random random) {
    int bits = 1 + random.nextInt(112);
    BigInteger value = new BigInteger(bits, random);
    if (random.nextInt(16) == 0) {
      value = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE);
    }
    return value;
  }

  private static void checkOut(
      WideSwapMath wide, BigInteger in, BigInteger x, BigInteger y, int fee) {
    int status =
        wide.amountOut(
            WideSwapMath.high(in),
            WideSwapMath.low(in),
            AmmMath.FEE_DENOMINATOR - fee,
            WideSwapMath.high(x),
            WideSwapMath.low(x),
            WideSwapMath.high(y),
            WideSwapMath.low(y));
    assertEquals(WideSwapMath.OK, status);
    assertEquals(
        AmmMath.amountOut(in, x, y, fee),
        WideSwapMath.toBigInteger(wide.hi, wide.lo),
        () -> "amountOut(" + in + ", " + x + ", " + y + ", " + fee + ")");
  }

  private static void checkIn(
      WideSwapMath wide, BigInteger out, BigInteger x, BigInteger y, int fee) {
    int status =
        wide.amountIn(
            WideSwapMath.high(out),
            WideSwapMath.low(out),
            AmmMath.FEE_DENOMINATOR - fee,
            WideSwapMath.high(x),
            WideSwapMath.low(x),
            WideSwapMath.high(y),
            WideSwapMath.low(y));
    String what = "amountIn(" + out + ", " + x + ", " + y + ", " + fee + ")";
    if (out.compareTo(y) >= 0) {
      assertEquals(WideSwapMath.UNREACHABLE, status, what);
      return;
    }
    BigInteger expected = AmmMath.amountIn(out, x, y, fee);
    if (expected.bitLength() > 112) {
      assertEquals(WideSwapMath.OVERFLOW, status, what);
      return;
    }
    assertEquals(WideSwapMath.OK, status, what);
    assertEquals(expected, WideSwapMath.toBigInteger(wide.hi, wide.lo), what);
  }

  @Test
  void amountOutAndInEqualTheBigIntegerFormulaOnEdgeValues() {
    WideSwapMath wide = new WideSwapMath();
    List<BigInteger> edges = edges();
    int checked = 0;
    for (BigInteger a : edges) {
      for (BigInteger x : edges) {
        for (BigInteger y : edges) {
          for (int fee : new int[] {0, 30, 9999}) {
            checkOut(wide, a, x, y, fee);
            checkIn(wide, a, x, y, fee);
            checked++;
          }
        }
      }
    }
    checkOut(wide, BigInteger.ZERO, MAX, MAX, 30);
    checkIn(wide, BigInteger.ZERO, MAX, MAX, 30);
    assertTrue(checked > 10_000);
  }

  @Test
  void amountOutAndInEqualTheBigIntegerFormulaOnRandomValues() {
    WideSwapMath wide = new WideSwapMath();
    Random random = new Random(19);
    for (int i = 0; i < 300_000; i++) {
      BigInteger x = random(random).max(BigInteger.ONE);
      BigInteger y = random(random).max(BigInteger.ONE);
      int fee = random.nextBoolean() ? FEES[random.nextInt(FEES.length)] : random.nextInt(10_000);
      BigInteger a = random(random);
      checkOut(wide, a, x, y, fee);
      // outputs of either kind: below the reserve (mostly reachable) and anything
      BigInteger out = random.nextBoolean() ? a : a.mod(y);
      checkIn(wide, out, x, y, fee);
    }
  }

  private static BigInteger number(long[] digits, int n) {
    BigInteger value = BigInteger.ZERO;
    for (int i = n - 1; i >= 0; i--) {
      value = value.shiftLeft(32).or(BigInteger.valueOf(digits[i]));
    }
    return value;
  }

  /**
   * The long division on digit patterns that make its quotient-digit estimate too high (digits 0,
   * 1, 2^31-1, 2^31, 2^32-2, 2^32-1: Knuth's add-back step and the unsigned multiply-subtract).
   */
  @Test
  void longDivisionEqualsBigIntegerOnAwkwardDigits() {
    long[] awkward = {0, 1, 2, 0x7FFF_FFFFL, 0x8000_0000L, 0xFFFF_FFFEL, 0xFFFF_FFFFL};
    WideSwapMath wide = new WideSwapMath();
    Random random = new Random(7);
    long[] u = new long[8];
    long[] v = new long[5];
    long[] q = new long[9];
    for (int i = 0; i < 400_000; i++) {
      int m = 1 + random.nextInt(8);
      int n = 1 + random.nextInt(5);
      for (int d = 0; d < m; d++) {
        u[d] =
            random.nextInt(3) == 0 ? random.nextLong() & 0xFFFF_FFFFL : awkward[random.nextInt(7)];
      }
      for (int d = 0; d < n; d++) {
        v[d] =
            random.nextInt(3) == 0 ? random.nextLong() & 0xFFFF_FFFFL : awkward[random.nextInt(7)];
      }
      BigInteger dividend = number(u, m);
      BigInteger divisor = number(v, n);
      if (divisor.signum() == 0) {
        continue;
      }
      boolean inexact = wide.divide(u.clone(), m, v.clone(), n, q);
      BigInteger[] expected = dividend.divideAndRemainder(divisor);
      assertEquals(expected[0], number(q, 9), dividend + " / " + divisor);
      assertEquals(expected[1].signum() != 0, inexact, dividend + " % " + divisor);
    }
  }

  @Test
  void unsignedDivisionByADigitEqualsTheJdks() {
    Random random = new Random(3);
    long[] dividends = {0, 1, Long.MAX_VALUE, Long.MIN_VALUE, -1, -2, 0xFFFF_FFFF_0000_0000L};
    long[] divisors = {1, 2, 3, 0x7FFF_FFFFL, 0x8000_0000L, 0xFFFF_FFFFL};
    for (long dividend : dividends) {
      for (long divisor : divisors) {
        assertEquals(
            Long.divideUnsigned(dividend, divisor), WideSwapMath.divideUnsigned(dividend, divisor));
      }
    }
    for (int i = 0; i < 1_000_000; i++) {
      long dividend = random.nextLong();
      long divisor = 1 + (random.nextLong() >>> (32 + random.nextInt(32)));
      assertEquals(
          Long.divideUnsigned(dividend, divisor),
          WideSwapMath.divideUnsigned(dividend, divisor),
          dividend + " / " + divisor);
    }
  }

  @Test
  void amountsNearTheReserveOverflowOrAreUnreachableAsTheFormulaSays() {
    WideSwapMath wide = new WideSwapMath();
    // out just below reserveOut: the input needed is about out*x*10000 / f, beyond 2^112
    checkIn(wide, MAX.subtract(BigInteger.ONE), MAX, MAX, 30);
    checkIn(wide, MAX, MAX, MAX, 30);
    checkIn(
        wide, BigInteger.valueOf(999), BigInteger.ONE.shiftLeft(100), BigInteger.valueOf(1000), 0);
    assertEquals(
        WideSwapMath.OVERFLOW,
        wide.amountIn(
            0,
            999,
            AmmMath.FEE_DENOMINATOR - 30,
            WideSwapMath.high(MAX),
            WideSwapMath.low(MAX),
            0,
            1000));
    assertEquals(
        WideSwapMath.UNREACHABLE,
        wide.amountIn(0, 1000, AmmMath.FEE_DENOMINATOR - 30, 0, 1000, 0, 1000));
  }

  @Test
  void theWideWalkFindsTheBigIntegerWalksBestOnRandomPaths() {
    Random random = new Random(14);
    WideSwapMath wide = new WideSwapMath();
    int found = 0;
    int wideWalks = 0;
    for (int i = 0; i < 20_000; i++) {
      int legs = 2 + random.nextInt(3);
      BigInteger[] reserveIn = new BigInteger[legs];
      BigInteger[] reserveOut = new BigInteger[legs];
      int[] fees = new int[legs];
      // a round trip whose prices are off by up to a few percent, at one size of 2^20..2^111
      int bits = 20 + random.nextInt(92);
      for (int k = 0; k < legs; k++) {
        BigInteger base = new BigInteger(bits, random).setBit(bits - 1);
        reserveIn[k] = base;
        double skew = 1 + (random.nextDouble() - 0.45) * 0.06;
        BigInteger other =
            new java.math.BigDecimal(base)
                .multiply(java.math.BigDecimal.valueOf(skew))
                .toBigInteger()
                .max(BigInteger.ONE)
                .min(MAX);
        reserveOut[k] = other;
        fees[k] = FEES[random.nextInt(4)];
      }
      ExactPath fast = new ExactPath(reserveIn, reserveOut, fees, legs, wide);
      ExactPath reference = new ExactPath(reserveIn, reserveOut, fees, legs);
      AmmMath.VirtualPath virtual = reference.virtual();
      BigInteger optimal =
          virtual.isProfitable() ? virtual.optimalInput() : new BigInteger(bits, random);
      ExactPath.Best expected = reference.walkBig(optimal);
      assertEquals(expected, fast.walk(optimal), "path " + i);
      ExactPath.Best wideOnly = fast.walkWide(optimal.max(BigInteger.ONE).min(MAX));
      if (wideOnly != ExactPath.OVERFLOWED) {
        wideWalks++;
        if (optimal.signum() > 0 && optimal.bitLength() <= 112) {
          assertEquals(expected, wideOnly, "path " + i);
        }
      }
      if (expected != null) {
        found++;
        assertEquals(
            List.of(reference.amounts(expected.amountIn())),
            List.of(fast.amounts(expected.amountIn())));
        assertEquals(expected.amountOut(), reference.amounts(expected.amountIn())[legs - 1]);
      }
    }
    assertTrue(found > 1000, "profitable paths: " + found);
    assertTrue(wideWalks > 18_000, "walks done on 128-bit words: " + wideWalks);
  }
}
