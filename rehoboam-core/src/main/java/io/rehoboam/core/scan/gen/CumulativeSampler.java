package io.rehoboam.core.scan.gen;

import java.util.Arrays;
import java.util.Random;

/** Draws an index with probability proportional to its weight, by binary search on the sums. */
final class CumulativeSampler {
  private final double[] cumulative;

  private CumulativeSampler(double[] cumulative) {
    this.cumulative = cumulative;
  }

  /** Index i drawn with weight 1/(i+1): rank 0 is the most popular, as token usage is. */
  static CumulativeSampler zipf(int size) {
    double[] weights = new double[size];
    for (int i = 0; i < size; i++) {
      weights[i] = 1.0 / (i + 1);
    }
    return of(weights);
  }

  static CumulativeSampler of(double[] weights) {
    double[] cumulative = new double[weights.length];
    double sum = 0;
    for (int i = 0; i < weights.length; i++) {
      sum += weights[i];
      cumulative[i] = sum;
    }
    return new CumulativeSampler(cumulative);
  }

  int sample(Random random) {
    double u = random.nextDouble() * cumulative[cumulative.length - 1];
    int found = Arrays.binarySearch(cumulative, u);
    int index = found >= 0 ? found + 1 : -found - 1;
    return Math.min(index, cumulative.length - 1);
  }
}
