package io.rehoboam.core.scan;

import io.rehoboam.spi.RehoboamException;
import java.math.BigInteger;

/**
 * Exact integer arithmetic of Uniswap-V2-style constant-product pools.
 *
 * <p>All amounts are base units. A fee is given in basis points ({@code 30} = 0.3%), 0..9999. With
 * fee 30 {@link #amountOut} is bit for bit {@code UniswapV2Library.getAmountOut}.
 *
 * <p>The closed-form helpers describe a swap path (one pool or several folded into one) as the map
 * {@code out(d) = a*d / (c + b*d)} (Wang et al. 2021, "virtual reserves"): a path is profitable iff
 * {@code a > c}; the real-valued optimal input is {@code (sqrt(a*c) - c) / b}. Stateless and
 * thread-safe.
 */
public final class AmmMath {
  /** Fee denominator: fees are in basis points. */
  public static final int FEE_DENOMINATOR = 10_000;

  private static final BigInteger TEN_THOUSAND = BigInteger.valueOf(FEE_DENOMINATOR);

  private AmmMath() {}

  /**
   * Amount out of one swap: {@code floor(amountIn*(10000-fee)*reserveOut / (reserveIn*10000 +
   * amountIn*(10000-fee)))}.
   *
   * @param amountIn non-negative; 0 gives 0 (where the Uniswap library would revert)
   * @param reserveIn positive reserve of the token put in
   * @param reserveOut positive reserve of the token taken out
   * @param feeBps 0..9999
   * @throws RehoboamException INVALID_ARGUMENT when an argument is out of range (the message names
   *     it)
   */
  public static BigInteger amountOut(
      BigInteger amountIn, BigInteger reserveIn, BigInteger reserveOut, int feeBps) {
    checkNonNegative(amountIn, "amount_in");
    checkPositive(reserveIn, "reserve_in");
    checkPositive(reserveOut, "reserve_out");
    checkFee(feeBps);
    if (amountIn.signum() == 0) {
      return BigInteger.ZERO;
    }
    BigInteger amountInWithFee = amountIn.multiply(BigInteger.valueOf(FEE_DENOMINATOR - feeBps));
    BigInteger numerator = amountInWithFee.multiply(reserveOut);
    BigInteger denominator = reserveIn.multiply(TEN_THOUSAND).add(amountInWithFee);
    return numerator.divide(denominator);
  }

  /**
   * The smallest input for which {@link #amountOut} returns at least {@code amountOut}: {@code
   * ceil(amountOut*reserveIn*10000 / ((reserveOut-amountOut)*(10000-fee)))}. Unlike Uniswap's
   * {@code getAmountIn} (which adds 1 to a floor) this is never one unit too high.
   *
   * @param amountOut non-negative and below {@code reserveOut}; 0 gives 0
   * @throws RehoboamException INVALID_ARGUMENT when {@code amountOut >= reserveOut}, or when an
   *     argument is out of range
   */
  public static BigInteger amountIn(
      BigInteger amountOut, BigInteger reserveIn, BigInteger reserveOut, int feeBps) {
    checkNonNegative(amountOut, "amount_out");
    checkPositive(reserveIn, "reserve_in");
    checkPositive(reserveOut, "reserve_out");
    checkFee(feeBps);
    if (amountOut.signum() == 0) {
      return BigInteger.ZERO;
    }
    if (amountOut.compareTo(reserveOut) >= 0) {
      throw RehoboamException.invalid(
          "amount_out", "must be below reserve_out " + reserveOut + ", was " + amountOut);
    }
    BigInteger numerator = amountOut.multiply(reserveIn).multiply(TEN_THOUSAND);
    BigInteger denominator =
        reserveOut.subtract(amountOut).multiply(BigInteger.valueOf(FEE_DENOMINATOR - feeBps));
    BigInteger[] qr = numerator.divideAndRemainder(denominator);
    return qr[1].signum() == 0 ? qr[0] : qr[0].add(BigInteger.ONE);
  }

  /**
   * The real-valued optimal input of the two-pool round trip S -> M on pool A, M -> S on pool B,
   * floored to an integer; zero when the round trip is not profitable.
   *
   * @param reserveSA pool A's reserve of the start token S
   * @param reserveMA pool A's reserve of the intermediate token M
   * @param feeA pool A's fee in bps
   * @param reserveMB pool B's reserve of M
   * @param reserveSB pool B's reserve of S
   * @param feeB pool B's fee in bps
   */
  public static BigInteger optimalTwoPoolInput(
      BigInteger reserveSA,
      BigInteger reserveMA,
      int feeA,
      BigInteger reserveMB,
      BigInteger reserveSB,
      int feeB) {
    return VirtualPath.identity()
        .then(reserveSA, reserveMA, feeA)
        .then(reserveMB, reserveSB, feeB)
        .optimalInput();
  }

  /**
   * A swap path folded into {@code out(d) = a*d / (c + b*d)}, in exact integers scaled by powers of
   * 10000 (the fee denominator), so that the real-valued output of the path (before Uniswap's
   * per-hop flooring) is exactly this function. Immutable.
   *
   * @param a numerator coefficient
   * @param b denominator coefficient of d
   * @param c denominator constant
   */
  public record VirtualPath(BigInteger a, BigInteger b, BigInteger c) {
    public VirtualPath {
      checkNonNegative(a, "a");
      checkNonNegative(b, "b");
      checkPositive(c, "c");
    }

    /** The empty path: {@code out(d) = d}. */
    public static VirtualPath identity() {
      return new VirtualPath(BigInteger.ONE, BigInteger.ZERO, BigInteger.ONE);
    }

    /**
     * This path followed by one swap on a pool holding {@code reserveIn} of the token this path
     * outputs and {@code reserveOut} of the next one.
     */
    public VirtualPath then(BigInteger reserveIn, BigInteger reserveOut, int feeBps) {
      checkPositive(reserveIn, "reserve_in");
      checkPositive(reserveOut, "reserve_out");
      checkFee(feeBps);
      // one hop: out(e) = f*y*e / (10000*x + f*e); composing with a*d/(c+b*d) gives
      // a' = f*y*a, c' = 10000*x*c, b' = 10000*x*b + f*a.
      BigInteger f = BigInteger.valueOf(FEE_DENOMINATOR - feeBps);
      BigInteger scaledIn = reserveIn.multiply(TEN_THOUSAND);
      return new VirtualPath(
          f.multiply(reserveOut).multiply(a),
          scaledIn.multiply(b).add(f.multiply(a)),
          scaledIn.multiply(c));
    }

    /** True when some input returns more than it costs (before integer rounding). */
    public boolean isProfitable() {
      return a.compareTo(c) > 0;
    }

    /** {@code floor((sqrt(a*c) - c) / b)} with an integer square root; 0 when not profitable. */
    public BigInteger optimalInput() {
      if (!isProfitable() || b.signum() == 0) {
        return BigInteger.ZERO;
      }
      BigInteger root = a.multiply(c).sqrt();
      BigInteger excess = root.subtract(c);
      return excess.signum() <= 0 ? BigInteger.ZERO : excess.divide(b);
    }
  }

  static void checkNonNegative(BigInteger value, String field) {
    if (value == null) {
      throw RehoboamException.invalid(field, "must not be null");
    }
    if (value.signum() < 0) {
      throw RehoboamException.invalid(field, "must not be negative, was " + value);
    }
  }

  static void checkPositive(BigInteger value, String field) {
    if (value == null) {
      throw RehoboamException.invalid(field, "must not be null");
    }
    if (value.signum() <= 0) {
      throw RehoboamException.invalid(field, "must be positive, was " + value);
    }
  }

  static void checkFee(int feeBps) {
    if (feeBps < 0 || feeBps >= FEE_DENOMINATOR) {
      throw RehoboamException.invalid("fee_bps", "must be 0..9999, was " + feeBps);
    }
  }
}
