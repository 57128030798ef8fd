package io.rehoboam.core.scan.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.rehoboam.spi.market.Pool;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The index's derived arrays stay equal to what they summarize, and updates match by value. */
class MarketIndexTest {

  private static String token(int n) {
    return String.format(Locale.ROOT, "0x%040x", 0x2000L + n);
  }

  private static Pool pool(String id, int a, int b, Random random, int fee) {
    return new Pool(
        id, 1, "dex", "0xaddr" + id, token(a), token(b), reserve(random), reserve(random), fee);
  }

  private static BigInteger reserve(Random random) {
    // a zero reserve now and then: such a pool cannot trade and must rate 0 both ways
    return random.nextInt(20) == 0
        ? BigInteger.ZERO
        : BigInteger.valueOf(1_000 + random.nextInt(1_000_000));
  }

  @Test
  void anchorRatesEqualThePairsBestRatesThroughAnyStreamOfChanges() {
    Random random = new Random(7);
    MarketIndex index = new MarketIndex(4);
    List<Pool> live = new ArrayList<>();
    // registered while the market is small, so the arrays must grow with the tokens
    live.add(pool("first", 0, 1, random, 30));
    index.upsert(live.get(0), 1);
    int anchor = index.tokenOf(1, token(0));
    index.anchorPairs(anchor);
    int tokens = 3;
    for (int step = 0; step < 3_000; step++) {
      int action = random.nextInt(10);
      if (live.size() < 10 || action < 3) {
        if (tokens < 200 && random.nextInt(4) == 0) {
          tokens++;
        }
        int a = random.nextInt(2) == 0 ? 0 : random.nextInt(tokens);
        int b = (a + 1 + random.nextInt(tokens - 1)) % tokens;
        Pool added = pool("p" + step, a, b, random, 5 + random.nextInt(100));
        live.add(added);
        index.upsert(added, step);
      } else if (action < 5) {
        Pool gone = live.remove(random.nextInt(live.size()));
        index.remove(gone.id(), step);
      } else {
        int i = random.nextInt(live.size());
        Pool moved = live.get(i).withReserves(reserve(random), reserve(random));
        live.set(i, moved);
        index.upsert(moved, step);
      }
      double[] rates = index.anchorRates(anchor);
      int[] pairs = index.anchorPairs(anchor);
      for (int t = 0; t < index.tokenCount; t++) {
        double out = pairs[t] < 0 ? 0 : index.maxRateFrom(pairs[t], anchor);
        double back = pairs[t] < 0 ? 0 : index.maxRateFrom(pairs[t], t);
        assertEquals(out, rates[2 * t], "anchor -> token " + t + " at step " + step);
        assertEquals(back, rates[2 * t + 1], "token " + t + " -> anchor at step " + step);
      }
    }
  }

  @Test
  void anUnregisteredAnchorHasNoRates() {
    MarketIndex index = new MarketIndex(4);
    index.upsert(pool("p", 0, 1, new Random(1), 30), 1);
    assertThrows(IllegalStateException.class, () -> index.anchorRates(0));
  }

  @Test
  void anUpdateMatchesItsPoolByValueNotByInstance() {
    Random random = new Random(3);
    MarketIndex index = new MarketIndex(4);
    Pool original = pool("pool-1", 0, 1, random, 30);
    int slot = index.upsert(original, 1);
    // equal strings, other instances (as a source that parses every event would build them)
    Pool copy =
        new Pool(
            new String("pool-1".toCharArray()),
            1,
            new String("dex".toCharArray()),
            new String(original.address().toCharArray()),
            new String(token(0).toCharArray()),
            new String(token(1).toCharArray()),
            BigInteger.valueOf(5_000),
            BigInteger.valueOf(7_000),
            30);
    assertEquals(slot, index.slotOf(copy.id()));
    assertEquals(slot, index.upsert(copy, 2), "same shape keeps its slot");
    assertSame(copy, index.pool(slot));
    assertEquals(1, index.poolCount);
    double reserve0 = index.poolFlipped(slot) ? index.reserveB(slot) : index.reserveA(slot);
    double reserve1 = index.poolFlipped(slot) ? index.reserveA(slot) : index.reserveB(slot);
    assertEquals(5_000.0, reserve0, "the new reserves are in");
    assertEquals(7_000.0, reserve1, "the new reserves are in");
  }

  @Test
  void aChangeOfFeeChainDexOrAddressReindexesThePool() {
    Random random = new Random(5);
    MarketIndex index = new MarketIndex(4);
    Pool original = pool("pool-1", 0, 1, random, 30);
    index.upsert(original, 1);
    List<Pool> reshaped =
        List.of(
            new Pool("pool-1", 1, "dex", original.address(), token(0), token(1), ONE, ONE, 5),
            new Pool("pool-1", 2, "dex", original.address(), token(0), token(1), ONE, ONE, 5),
            new Pool("pool-1", 2, "other", original.address(), token(0), token(1), ONE, ONE, 5),
            new Pool("pool-1", 2, "other", "0xelsewhere", token(0), token(1), ONE, ONE, 5),
            new Pool("pool-1", 2, "other", "0xelsewhere", token(0), token(2), ONE, ONE, 5));
    long sequence = 2;
    for (Pool next : reshaped) {
      Pool before = index.pool(index.slotOf("pool-1"));
      int slot = index.upsert(next, sequence++);
      assertNotEquals(before, next);
      assertSame(next, index.pool(slot));
      assertEquals(1, index.poolCount, "re-indexed, not duplicated: " + next);
      assertEquals(next.feeBps(), Math.round(10_000 * (1 - index.gamma(slot))));
    }
    int pair = index.poolPair(index.slotOf("pool-1"));
    assertEquals(
        index.pairOf(index.tokenOf(2, token(0)), index.tokenOf(2, token(2))),
        pair,
        "indexed under its new chain and tokens");
  }

  private static final BigInteger ONE = BigInteger.valueOf(1_000);
}
