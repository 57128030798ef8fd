package io.rehoboam.core.scan.internal;

import io.rehoboam.core.scan.AmmMath;
import java.math.BigDecimal;
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

  /**
   * The same reserves as two 64-bit words each, when every reserve is below 2^112 (as a Uniswap V2
   * pair's always are): the walk then runs on {@link WideSwapMath}, without BigInteger.
   */
  private final WideSwapMath wide;

  private final int[] fee;
  private final long[] inHi;
  private final long[] inLo;
  private final long[] outHi;
  private final long[] outLo;

  /** Input and output of the best input found. */
  public record Best(BigInteger amountIn, BigInteger amountOut) {}

  /** A path walked on BigInteger only (the reference the 128-bit walk is tested against). */
  public ExactPath(BigInteger[] reserveIn, BigInteger[] reserveOut, int[] feeBps, int legs) {
    this(reserveIn, reserveOut, feeBps, legs, null);
  }

  /**
   * A path walked with {@code wide} (this thread's scratch) while its numbers stay below 2^112; on
   * BigInteger when {@code wide} is null or a number does not fit.
   */
  public ExactPath(
      BigInteger[] reserveIn, BigInteger[] reserveOut, int[] feeBps, int legs, WideSwapMath wide) {
    this.legs = legs;
    this.reserveIn = reserveIn;
    this.reserveOut = reserveOut;
    this.feeFactor = new BigInteger[legs];
    this.fee = new int[legs];
    for (int k = 0; k < legs; k++) {
      fee[k] = AmmMath.FEE_DENOMINATOR - feeBps[k];
      feeFactor[k] = BigInteger.valueOf(fee[k]);
    }
    boolean fits = wide != null;
    for (int k = 0; k < legs && fits; k++) {
      fits = WideSwapMath.fits(reserveIn[k]) && WideSwapMath.fits(reserveOut[k]);
    }
    if (fits) {
      this.wide = wide;
      inHi = new long[legs];
      inLo = new long[legs];
      outHi = new long[legs];
      outLo = new long[legs];
      for (int k = 0; k < legs; k++) {
        inHi[k] = WideSwapMath.high(reserveIn[k]);
        inLo[k] = WideSwapMath.low(reserveIn[k]);
        outHi[k] = WideSwapMath.high(reserveOut[k]);
        outLo[k] = WideSwapMath.low(reserveOut[k]);
      }
    } else {
      this.wide = null;
      inHi = null;
      inLo = null;
      outHi = null;
      outLo = null;
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
    if (wide != null && WideSwapMath.fits(amountIn)) {
      long hi = WideSwapMath.high(amountIn);
      long lo = WideSwapMath.low(amountIn);
      for (int k = 0; k < legs; k++) {
        wide.amountOut(hi, lo, fee[k], inHi[k], inLo[k], outHi[k], outLo[k]);
        hi = wide.hi;
        lo = wide.lo;
        amounts[k] = WideSwapMath.toBigInteger(hi, lo);
      }
      return amounts;
    }
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
    if (!(optimal < 0x1p112)) {
      return best();
    }
    return walk(
        optimal < 0x1p63
            ? BigInteger.valueOf((long) optimal)
            : new BigDecimal(optimal).toBigInteger());
  }

  /**
   * The staircase walk from {@code optimal}: on 128-bit words when the path allows it and every
   * number stays below 2^112, else on BigInteger. Both give the same answer bit for bit.
   */
  Best walk(BigInteger optimal) {
    if (wide != null && WideSwapMath.fits(optimal)) {
      Best best = walkWide(optimal);
      if (best != OVERFLOWED) {
        return best;
      }
    }
    return walkBig(optimal);
  }

  /** Marks a wide walk that met a number of 2^112 or more: the BigInteger walk decides. */
  static final Best OVERFLOWED = new Best(BigInteger.ZERO, BigInteger.ZERO);

  // the wide walk's results: the output or input of the last outWide / minInWide call
  private long rHi;
  private long rLo;

  /** Path output for hi:lo into rHi:rLo; false on overflow. */
  private boolean outWide(long hi, long lo) {
    for (int k = 0; k < legs; k++) {
      if (wide.amountOut(hi, lo, fee[k], inHi[k], inLo[k], outHi[k], outLo[k]) != WideSwapMath.OK) {
        return false;
      }
      hi = wide.hi;
      lo = wide.lo;
    }
    rHi = hi;
    rLo = lo;
    return true;
  }

  /** Smallest input reaching hi:lo into rHi:rLo; the WideSwapMath status otherwise. */
  private int minInWide(long hi, long lo) {
    for (int k = legs - 1; k >= 0; k--) {
      if (hi == 0 && lo == 0) {
        break;
      }
      int status = wide.amountIn(hi, lo, fee[k], inHi[k], inLo[k], outHi[k], outLo[k]);
      if (status != WideSwapMath.OK) {
        return status;
      }
      hi = wide.hi;
      lo = wide.lo;
    }
    rHi = hi;
    rLo = lo;
    return WideSwapMath.OK;
  }

  /** {@link #walkBig} on 128-bit words; {@link #OVERFLOWED} when a number does not fit. */
  Best walkWide(BigInteger optimal) {
    long startHi = WideSwapMath.high(optimal);
    long startLo = WideSwapMath.low(optimal);
    if (startHi == 0 && startLo == 0) {
      startLo = 1;
    }
    if (!outWide(startHi, startLo)) {
      return OVERFLOWED;
    }
    long startOutHi = rHi;
    long startOutLo = rLo;
    if (minInWide(startOutHi, startOutLo) != WideSwapMath.OK) {
      return OVERFLOWED;
    }
    long cornerHi = rHi;
    long cornerLo = rLo;
    long bestInHi = cornerHi;
    long bestInLo = cornerLo;
    long bestOutHi = startOutHi;
    long bestOutLo = startOutLo;
    // profits are signed 128-bit differences of numbers below 2^112
    long bestProfitLo = startOutLo - cornerLo;
    long bestProfitHi = startOutHi - cornerHi - borrow(startOutLo, cornerLo);

    long outputHi = startOutHi;
    long outputLo = startOutLo;
    int misses = 0;
    for (int step = 0; step < MAX_STEPS && misses < PATIENCE; step++) {
      long targetLo = outputLo + 1;
      long targetHi = outputHi + (targetLo == 0 ? 1 : 0);
      int status = minInWide(targetHi, targetLo);
      if (status == WideSwapMath.UNREACHABLE) {
        break;
      }
      if (status != WideSwapMath.OK) {
        return OVERFLOWED;
      }
      long nextHi = rHi;
      long nextLo = rLo;
      if (!outWide(nextHi, nextLo)) {
        return OVERFLOWED;
      }
      long nextOutHi = rHi;
      long nextOutLo = rLo;
      long profitLo = nextOutLo - nextLo;
      long profitHi = nextOutHi - nextHi - borrow(nextOutLo, nextLo);
      if (WideSwapMath.compare(profitHi, profitLo, bestProfitHi, bestProfitLo) > 0) {
        bestInHi = nextHi;
        bestInLo = nextLo;
        bestOutHi = nextOutHi;
        bestOutLo = nextOutLo;
        bestProfitHi = profitHi;
        bestProfitLo = profitLo;
        misses = 0;
      } else {
        misses++;
      }
      outputHi = nextOutHi;
      outputLo = nextOutLo;
    }

    long inHiNow = cornerHi;
    long inLoNow = cornerLo;
    misses = 0;
    for (int step = 0;
        step < MAX_STEPS && misses < PATIENCE && (inHiNow != 0 || inLoNow != 0);
        step++) {
      long lessLo = inLoNow - 1;
      long lessHi = inHiNow - (inLoNow == 0 ? 1 : 0);
      if (!outWide(lessHi, lessLo)) {
        return OVERFLOWED;
      }
      long previousOutHi = rHi;
      long previousOutLo = rLo;
      if (minInWide(previousOutHi, previousOutLo) != WideSwapMath.OK) {
        return OVERFLOWED;
      }
      long previousHi = rHi;
      long previousLo = rLo;
      long profitLo = previousOutLo - previousLo;
      long profitHi = previousOutHi - previousHi - borrow(previousOutLo, previousLo);
      if (WideSwapMath.compare(profitHi, profitLo, bestProfitHi, bestProfitLo) >= 0) {
        bestInHi = previousHi;
        bestInLo = previousLo;
        bestOutHi = previousOutHi;
        bestOutLo = previousOutLo;
        bestProfitHi = profitHi;
        bestProfitLo = profitLo;
        misses = 0;
      } else {
        misses++;
      }
      inHiNow = previousHi;
      inLoNow = previousLo;
    }
    if (bestProfitHi < 0 || (bestProfitHi == 0 && bestProfitLo == 0)) {
      return null;
    }
    return new Best(
        WideSwapMath.toBigInteger(bestInHi, bestInLo),
        WideSwapMath.toBigInteger(bestOutHi, bestOutLo));
  }

  private static long borrow(long aLo, long bLo) {
    return Long.compareUnsigned(aLo, bLo) < 0 ? 1 : 0;
  }

  /** The walk on BigInteger, for any size. */
  Best walkBig(BigInteger optimal) {
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
