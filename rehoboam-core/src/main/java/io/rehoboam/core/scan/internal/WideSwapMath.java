package io.rehoboam.core.scan.internal;

import io.rehoboam.core.scan.AmmMath;
import java.math.BigInteger;

/**
 * Uniswap V2's swap formulas on unsigned integers below 2^112 (a pair's reserves are uint112),
 * without BigInteger: the operands are held as two {@code long}s (high and low 64 bits), the
 * products (up to 238 bits) and the division in 32-bit digits on fixed scratch arrays (Knuth's
 * algorithm D), so that nothing is allocated. Bit for bit {@link AmmMath#amountOut} and {@link
 * AmmMath#amountIn}; a result that would not fit below 2^112 is reported, never truncated, and the
 * caller then falls back to BigInteger.
 *
 * <p>Not thread-safe: one instance per thread (it holds the result and its scratch).
 */
final class WideSwapMath {
  /** Operands and results must be below 2^112: their high word below 2^48. */
  static final long HIGH_LIMIT = 1L << 48;

  /** The call succeeded; the result is in {@link #hi} and {@link #lo}. */
  static final int OK = 0;

  /** {@code amountOut >= reserveOut}: no input reaches it. */
  static final int UNREACHABLE = 1;

  /** The result is not below 2^112. */
  static final int OVERFLOW = 2;

  private static final long DIGIT = 0xFFFF_FFFFL;
  private static final long BASE = 1L << 32;

  /** High and low 64 bits of the last result. */
  long hi;

  long lo;

  private final long[] a = new long[5];
  private final long[] b = new long[5];
  private final long[] num = new long[9];
  private final long[] den = new long[5];
  private final long[] quot = new long[9];
  private final long[] un = new long[10];
  private final long[] vn = new long[5];

  /** Whether a BigInteger is non-negative and below 2^112. */
  static boolean fits(BigInteger value) {
    return value.signum() >= 0 && value.bitLength() <= 112;
  }

  static long high(BigInteger value) {
    return value.shiftRight(64).longValue();
  }

  static long low(BigInteger value) {
    return value.longValue();
  }

  static BigInteger toBigInteger(long hi, long lo) {
    BigInteger low = BigInteger.valueOf(lo >>> 1).shiftLeft(1).or(BigInteger.valueOf(lo & 1));
    return hi == 0 ? low : BigInteger.valueOf(hi).shiftLeft(64).or(low);
  }

  /**
   * {@code floor(in*f*reserveOut / (reserveIn*10000 + in*f))} with {@code f = 10000 - feeBps}: the
   * output of one swap, into {@link #hi}/{@link #lo}. Every operand below 2^112; reserves positive.
   * Always {@link #OK} (the output is below {@code reserveOut}).
   */
  int amountOut(
      long inHi, long inLo, int feeFactor, long rInHi, long rInLo, long rOutHi, long rOutLo) {
    if (inHi == 0 && inLo == 0) {
      hi = 0;
      lo = 0;
      return OK;
    }
    // a = in * f (at most 126 bits), b = reserveIn * 10000 (at most 126 bits)
    digits(inHi, inLo, a);
    multiplySmall(a, feeFactor);
    digits(rInHi, rInLo, b);
    multiplySmall(b, AmmMath.FEE_DENOMINATOR);
    // den = a + b (at most 127 bits)
    long carry = 0;
    for (int i = 0; i < 5; i++) {
      long s = a[i] + b[i] + carry;
      den[i] = s & DIGIT;
      carry = s >>> 32;
    }
    // num = a * reserveOut
    digits(rOutHi, rOutLo, b);
    multiply(a, 4, b, 4, num);
    divide(num, 8, den, 5, quot);
    return result(false);
  }

  /**
   * {@code ceil(out*reserveIn*10000 / ((reserveOut-out)*f))}: the smallest input of one swap whose
   * output is at least {@code out}, into {@link #hi}/{@link #lo}. {@link #UNREACHABLE} when {@code
   * out >= reserveOut}, {@link #OVERFLOW} when the input is not below 2^112.
   */
  int amountIn(
      long outHi, long outLo, int feeFactor, long rInHi, long rInLo, long rOutHi, long rOutLo) {
    if (outHi == 0 && outLo == 0) {
      hi = 0;
      lo = 0;
      return OK;
    }
    int cmp = compare(outHi, outLo, rOutHi, rOutLo);
    if (cmp >= 0) {
      return UNREACHABLE;
    }
    // den = (reserveOut - out) * f
    long dLo = rOutLo - outLo;
    long dHi = rOutHi - outHi - (Long.compareUnsigned(rOutLo, outLo) < 0 ? 1 : 0);
    digits(dHi, dLo, den);
    multiplySmall(den, feeFactor);
    // num = out * reserveIn * 10000
    digits(rInHi, rInLo, b);
    multiplySmall(b, AmmMath.FEE_DENOMINATOR);
    digits(outHi, outLo, a);
    multiply(a, 4, b, 4, num);
    boolean inexact = divide(num, 8, den, 5, quot);
    return result(inexact);
  }

  /** Signed comparison of two 128-bit values (each as high and low words). */
  static int compare(long aHi, long aLo, long bHi, long bLo) {
    int c = Long.compare(aHi, bHi);
    return c != 0 ? c : Long.compareUnsigned(aLo, bLo);
  }

  /** The quotient, plus one when {@code roundUp}, into hi/lo when below 2^112. */
  private int result(boolean roundUp) {
    for (int i = 4; i < 9; i++) {
      if (quot[i] != 0) {
        return OVERFLOW;
      }
    }
    long l = quot[0] | (quot[1] << 32);
    long h = quot[2] | (quot[3] << 32);
    if (roundUp) {
      l++;
      if (l == 0) {
        h++;
      }
    }
    if (h >= HIGH_LIMIT || h < 0) {
      return OVERFLOW;
    }
    hi = h;
    lo = l;
    return OK;
  }

  /**
   * Unsigned {@code dividend / divisor} for a divisor below 2^32 (JDK 17's {@link
   * Long#divideUnsigned} goes through BigInteger for a dividend of 2^63 or more).
   */
  static long divideUnsigned(long dividend, long divisor) {
    if (dividend >= 0) {
      return dividend / divisor;
    }
    long q = ((dividend >>> 1) / divisor) << 1;
    long r = dividend - q * divisor;
    return Long.compareUnsigned(r, divisor) >= 0 ? q + 1 : q;
  }

  /** The four 32-bit digits of hi:lo, least significant first; a fifth digit zeroed. */
  private static void digits(long hi, long lo, long[] out) {
    out[0] = lo & DIGIT;
    out[1] = lo >>> 32;
    out[2] = hi & DIGIT;
    out[3] = hi >>> 32;
    out[4] = 0;
  }

  /** x (four digits, fifth zero) times a factor below 2^32, in place into five digits. */
  private static void multiplySmall(long[] x, long factor) {
    long carry = 0;
    for (int i = 0; i < 5; i++) {
      long p = x[i] * factor + carry;
      x[i] = p & DIGIT;
      carry = p >>> 32;
    }
  }

  /** out = x * y, x of nx digits and y of ny digits, into out (zeroed to its length first). */
  private static void multiply(long[] x, int nx, long[] y, int ny, long[] out) {
    for (int i = 0; i < nx + ny; i++) {
      out[i] = 0;
    }
    for (int i = 0; i < nx; i++) {
      long xi = x[i];
      if (xi == 0) {
        continue;
      }
      long carry = 0;
      for (int j = 0; j < ny; j++) {
        // (2^32-1)^2 plus two digits is at most 2^64-1: exact as an unsigned long
        long p = xi * y[j] + out[i + j] + carry;
        out[i + j] = p & DIGIT;
        carry = p >>> 32;
      }
      out[i + ny] = carry;
    }
  }

  /**
   * Knuth's algorithm D (after Hacker's Delight, divmnu): q = u / v, u of m digits, v of n digits
   * (leading zero digits allowed), q of m digits. Returns whether the remainder is non-zero.
   */
  boolean divide(long[] u, int m, long[] v, int n, long[] q) {
    for (int i = 0; i < q.length; i++) {
      q[i] = 0;
    }
    while (m > 0 && u[m - 1] == 0) {
      m--;
    }
    while (n > 0 && v[n - 1] == 0) {
      n--;
    }
    if (n == 0) {
      throw new ArithmeticException("division by zero");
    }
    if (m < n) {
      return m > 0;
    }
    if (n == 1) {
      long d = v[0];
      long k = 0;
      for (int j = m - 1; j >= 0; j--) {
        long cur = (k << 32) | u[j];
        long qj = divideUnsigned(cur, d);
        q[j] = qj;
        k = cur - qj * d;
      }
      return k != 0;
    }
    int s = Integer.numberOfLeadingZeros((int) v[n - 1]);
    for (int i = n - 1; i > 0; i--) {
      vn[i] = ((v[i] << s) | (v[i - 1] >>> (32 - s))) & DIGIT;
    }
    vn[0] = (v[0] << s) & DIGIT;
    un[m] = u[m - 1] >>> (32 - s);
    for (int i = m - 1; i > 0; i--) {
      un[i] = ((u[i] << s) | (u[i - 1] >>> (32 - s))) & DIGIT;
    }
    un[0] = (u[0] << s) & DIGIT;
    long top = vn[n - 1];
    long next = vn[n - 2];
    for (int j = m - n; j >= 0; j--) {
      long numerator = (un[j + n] << 32) | un[j + n - 1];
      long qhat = divideUnsigned(numerator, top);
      long rhat = numerator - qhat * top;
      while (qhat >= BASE || Long.compareUnsigned(qhat * next, (rhat << 32) | un[j + n - 2]) > 0) {
        qhat--;
        rhat += top;
        if (rhat >= BASE) {
          break;
        }
      }
      long k = 0;
      long t;
      for (int i = 0; i < n; i++) {
        long p = qhat * vn[i];
        t = un[i + j] - k - (p & DIGIT);
        un[i + j] = t & DIGIT;
        k = (p >>> 32) - (t >> 32);
      }
      t = un[j + n] - k;
      un[j + n] = t & DIGIT;
      q[j] = qhat;
      if (t < 0) {
        q[j] = qhat - 1;
        k = 0;
        for (int i = 0; i < n; i++) {
          t = un[i + j] + vn[i] + k;
          un[i + j] = t & DIGIT;
          k = t >>> 32;
        }
        un[j + n] = (un[j + n] + k) & DIGIT;
      }
    }
    for (int i = 0; i < n; i++) {
      if (un[i] != 0) {
        return true;
      }
    }
    return false;
  }
}
