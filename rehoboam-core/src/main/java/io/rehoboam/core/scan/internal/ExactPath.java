package io.rehoboam.core.scan.internal;

import io.rehoboam.core.scan.AmmMath;
import java.math.BigInteger;

/**
 * A swap path in exact integers: Uniswap's floored amount out hop by hop, the exact smallest input
 * for an output, and the search for the best integer input.
 *
 * <p>The best integer input: the integer profit {@code out(d) - d} is a staircase (out only grows
 * in whole units, after per-hop flooring), so for each reachable output only the smallest input
 * reaching it (the step's left corner) can be best. The search starts at the closed-form optimum of
 * the folded path and walks the corners up and down from it while they keep improving, which finds
 * the integer optimum up to the rounding jitter of one intermediate base unit.
 */
public final class ExactPath {
  private static final BigInteger TEN_THOUSAND = BigInteger.valueOf(AmmMath.FEE_DENOMINATOR);
  private static final int MAX_STEPS = 6;
  private static final int PATIENCE = 2;
  private static final double CLEAR_EDGE = 1e-6;

  private final int legs;
  private final BigInteger[] reserveIn;
  private final BigInteger[] reserveOut;
  private final BigInteger[] feeFactor;

  /** Input and output of the best input found. */
  public record Best(BigInteger amountIn, BigInteger amountOut) {}

  public ExactPath(BigInteger[] reserveIn, BigInteger[] reserveOut, int[] feeBps, int legs) {
    this.legs = legs;
    this.reserveIn = reserveIn;
    this.reserveOut = reserveOut;
    this.feeFactor = new BigInteger[legs];
    for (int k = 0; k < legs; k++) {
      feeFactor[k] = BigInteger.valueOf(AmmMath.FEE_DENOMINATOR - feeBps[k]);
    }
  }

  /** The folded path's closed form. */
  public AmmMath.VirtualPath virtual() {
    AmmMath.VirtualPath path = AmmMath.VirtualPath.identity();
    for (int k = 0; k < legs; k++) {
      path =
          path.then(reserveIn[k], reserveOut[k], AmmMath.FEE_DENOMINATOR - feeFactor[k].intValue());
    }
    return path;
  }

  /** Output of the whole path for {@code amountIn}, flooring at every hop. */
  public BigInteger out(BigInteger amountIn) {
    BigInteger amount = amountIn;
    for (int k = 0; k < legs; k++) {
      amount = hopOut(k, amount);
    }
    return amount;
  }

  /** Amounts after each hop: element k is the output of hop k. */
  public BigInteger[] amounts(BigInteger amountIn) {
    BigInteger[] amounts = new BigInteger[legs];
    BigInteger amount = amountIn;
    for (int k = 0; k < legs; k++) {
      amount = hopOut(k, amount);
      amounts[k] = amount;
    }
    return amounts;
  }

  /** The smallest input whose path output is at least {@code amountOut}; null when unreachable. */
  public BigInteger minIn(BigInteger amountOut) {
    BigInteger amount = amountOut;
    for (int k = legs - 1; k >= 0; k--) {
      if (amount.signum() == 0) {
        return BigInteger.ZERO;
      }
      if (amount.compareTo(reserveOut[k]) >= 0) {
        return null;
      }
      BigInteger numerator = amount.multiply(reserveIn[k]).multiply(TEN_THOUSAND);
      BigInteger denominator = reserveOut[k].subtract(amount).multiply(feeFactor[k]);
      BigInteger[] qr = numerator.divideAndRemainder(denominator);
      amount = qr[1].signum() == 0 ? qr[0] : qr[0].add(BigInteger.ONE);
    }
    return amount;
  }

  /**
   * The best integer input near the closed-form optimum, or null when no input makes a profit. Ties
   * go to the smaller input.
   */
  public Best best() {
    AmmMath.VirtualPath path = virtual();
    return path.isProfitable() ? walk(path.optimalInput()) : null;
  }

  /**
   * {@link #best()} starting from the optimum of the path folded in doubles ({@code out(d) =
   * a*d/(c+b*d)}, real-valued), which saves the exact fold and its integer square root. The double
   * optimum is used only when the path is clearly profitable (relative edge above 1e-6), where its
   * relative error is below 1e-10 and the profit lost to it is far below one unit (the profit is
   * flat near the optimum); otherwise the exact closed form decides.
   */
  public Best best(double a, double b, double c) {
    double rootAc = Math.sqrt(a) * Math.sqrt(c);
    double edge = (rootAc - c) / c;
    if (!(edge > CLEAR_EDGE) || !(b > 0)) {
      return best();
    }
    double optimal = (rootAc - c) / b;
    if (!(optimal < Long.MAX_VALUE)) {
      return best();
    }
    return walk(BigInteger.valueOf((long) optimal));
  }

  private Best walk(BigInteger optimal) {
    BigInteger start = optimal.max(BigInteger.ONE);
    BigInteger startOut = out(start);
    BigInteger corner = minIn(startOut);
    BigInteger bestIn = corner;
    BigInteger bestOut = startOut;
    BigInteger bestProfit = startOut.subtract(corner);

    BigInteger in = corner;
    BigInteger output = startOut;
    int misses = 0;
    for (int step = 0; step < MAX_STEPS && misses < PATIENCE; step++) {
      BigInteger next = minIn(output.add(BigInteger.ONE));
      if (next == null) {
        break;
      }
      BigInteger nextOut = out(next);
      BigInteger profit = nextOut.subtract(next);
      if (profit.compareTo(bestProfit) > 0) {
        bestIn = next;
        bestOut = nextOut;
        bestProfit = profit;
        misses = 0;
      } else {
        misses++;
      }
      in = next;
      output = nextOut;
    }

    in = corner;
    misses = 0;
    for (int step = 0; step < MAX_STEPS && misses < PATIENCE && in.signum() > 0; step++) {
      BigInteger previousOut = out(in.subtract(BigInteger.ONE));
      BigInteger previous = minIn(previousOut);
      BigInteger profit = previousOut.subtract(previous);
      if (profit.compareTo(bestProfit) >= 0) {
        bestIn = previous;
        bestOut = previousOut;
        bestProfit = profit;
        misses = 0;
      } else {
        misses++;
      }
      in = previous;
    }
    return bestProfit.signum() > 0 ? new Best(bestIn, bestOut) : null;
  }

  private BigInteger hopOut(int k, BigInteger amountIn) {
    if (amountIn.signum() == 0) {
      return BigInteger.ZERO;
    }
    BigInteger withFee = amountIn.multiply(feeFactor[k]);
    return withFee.multiply(reserveOut[k]).divide(reserveIn[k].multiply(TEN_THOUSAND).add(withFee));
  }
}
