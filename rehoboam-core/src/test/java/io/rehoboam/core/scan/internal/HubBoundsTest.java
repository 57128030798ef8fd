package io.rehoboam.core.scan.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.spi.market.Pool;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The hub bounds, kept incrementally through a long random stream of pool changes, equal the same
 * maxima computed from scratch after every change.
 */
class HubBoundsTest {

  private static String token(int n) {
    return String.format(Locale.ROOT, "0x%040x", 0x1000L + n);
  }

  @Test
  void incrementalBoundsEqualBruteForceAfterEveryChange() {
    Random random = new Random(42);
    MarketIndex index = new MarketIndex(4);
    HubBounds hubs = new HubBounds(index, 4);
    List<Pool> live = new ArrayList<>();
    int tokens = 24;
    int hubsSeen = 0;
    for (int step = 0; step < 4_000; step++) {
      int oldPair = -1;
      int newPair;
      int action = random.nextInt(10);
      if (live.size() < 30 || action < 3) {
        // two start-ish tokens (0 and 1) take part in most pools
        int a = random.nextInt(3) > 0 ? random.nextInt(2) : random.nextInt(tokens);
        int b = (a + 1 + random.nextInt(tokens - 1)) % tokens;
        Pool pool =
            new Pool(
                "p" + step,
                1,
                "dex",
                "p" + step,
                token(a),
                token(b),
                reserve(random),
                reserve(random),
                30);
        live.add(pool);
        newPair = index.poolPair(index.upsert(pool, step));
      } else if (action < 4) {
        Pool gone = live.remove(random.nextInt(live.size()));
        oldPair = index.poolPair(index.slotOf(gone.id()));
        index.remove(gone.id(), step);
        newPair = -1;
      } else {
        int i = random.nextInt(live.size());
        Pool moved =
            live.get(i)
                .withReserves(
                    reserve(random), random.nextInt(20) == 0 ? BigInteger.ZERO : reserve(random));
        live.set(i, moved);
        newPair = index.poolPair(index.upsert(moved, step));
      }
      if (oldPair >= 0) {
        hubs.pairChanged(oldPair);
      }
      if (newPair >= 0) {
        hubs.pairChanged(newPair);
      }
      for (int s : new int[] {index.tokenOf(1, token(0)), index.tokenOf(1, token(1))}) {
        if (s < 0) {
          continue;
        }
        HubBounds.Start start = hubs.forStart(s);
        int hubCount = 0;
        for (int o = 0; o < index.tokenCount; o++) {
          if (!hubs.isHub(o) || o == s) {
            continue;
          }
          hubCount++;
          double[] expected = bruteForce(index, s, o);
          assertEquals(expected[0], HubBounds.back(start, o), "back, step " + step);
          assertEquals(expected[1], HubBounds.fwd(start, o), "fwd, step " + step);
        }
        hubsSeen = Math.max(hubsSeen, hubCount);
      }
    }
    assertTrue(hubsSeen >= 5, "the stream made hubs: " + hubsSeen);
  }

  private static double[] bruteForce(MarketIndex index, int s, int o) {
    double back = 0;
    double fwd = 0;
    for (int i = 0; i < index.tokenPairCount[o]; i++) {
      int q = index.tokenPairs[o][i];
      int w = index.otherToken(q, o);
      int closing = index.pairOf(w, s);
      if (w == s || closing < 0) {
        continue;
      }
      back = Math.max(back, index.maxRateFrom(q, o) * index.maxRateFrom(closing, w));
      fwd = Math.max(fwd, index.maxRateFrom(closing, s) * index.maxRateFrom(q, w));
    }
    return new double[] {back, fwd};
  }

  private static BigInteger reserve(Random random) {
    return BigInteger.valueOf(1_000 + random.nextInt(1_000_000));
  }
}
