package io.rehoboam.core.scan.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.core.scan.ScanConfig;
import io.rehoboam.core.scan.ScanDelta;
import io.rehoboam.core.scan.TokenPrices;
import io.rehoboam.spi.market.Pool;
import io.rehoboam.spi.market.PoolUpdate;
import io.rehoboam.spi.trade.Opportunity;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The batch warm-up (which the public engine only switches on for large markets) only reads: with
 * it, a batch gives exactly the deltas and the book of its updates applied one by one.
 */
class ScannerWarmUpTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC);
  private static final String WETH = token(0);

  private static String token(int n) {
    return String.format(Locale.ROOT, "0x%040x", 0x3000L + n);
  }

  @ParameterizedTest
  @ValueSource(longs = {31, 32})
  void aWarmedBatchAppliesLikeItsUpdatesOneByOne(long seed) {
    Random random = new Random(seed);
    ScanConfig config =
        ScanConfig.builder()
            .startTokens(List.of(WETH, token(1)))
            .maxCycleLength(seed == 32 ? 4 : 3)
            .minProfitBaseUnits(BigInteger.valueOf(1_000))
            .build();
    Scanner single = attached(config);
    Scanner warmed = attached(config);
    List<Pool> market = new ArrayList<>();
    for (int i = 0; i < 80; i++) {
      // most pools trade against one of the two start tokens, so the anchors' pass is exercised
      int a = random.nextInt(3) > 0 ? random.nextInt(2) : random.nextInt(14);
      int b = (a + 1 + random.nextInt(13)) % 14;
      market.add(
          new Pool(
              "p" + i,
              1,
              "dex" + random.nextInt(3),
              "0xpool" + i,
              token(a),
              token(b),
              reserve(random),
              reserve(random),
              new int[] {5, 30, 100}[random.nextInt(3)]));
    }
    Map<String, Pool> live = new HashMap<>();
    long sequence = 1;
    int changes = 0;
    for (int round = 0; round < 50; round++) {
      List<PoolUpdate> batch = new ArrayList<>();
      int size = round == 0 ? 60 : 1 + random.nextInt(80);
      for (int i = 0; i < size; i++) {
        Pool pool = market.get(random.nextInt(market.size()));
        Pool current = live.get(pool.id());
        PoolUpdate update;
        if (current == null) {
          update = PoolUpdate.added(pool, sequence);
        } else if (random.nextInt(8) == 0) {
          update = PoolUpdate.removed(current, sequence);
        } else {
          update =
              PoolUpdate.reserves(current.withReserves(reserve(random), reserve(random)), sequence);
        }
        if (update.kind() == PoolUpdate.Kind.REMOVED) {
          live.remove(pool.id());
        } else {
          live.put(pool.id(), update.pool());
        }
        batch.add(update);
        sequence += random.nextInt(2);
      }
      List<ScanDelta> expected = single.applyAll(batch, false);
      List<ScanDelta> actual = warmed.applyAll(batch, true);
      assertEquals(batch.size(), actual.size());
      for (int i = 0; i < batch.size(); i++) {
        assertEquals(ids(expected.get(i).found()), ids(actual.get(i).found()), "found " + i);
        assertEquals(expected.get(i).expiredIds(), actual.get(i).expiredIds(), "expired " + i);
        changes += expected.get(i).found().size() + expected.get(i).expiredIds().size();
      }
      assertEquals(ids(single.book()), ids(warmed.book()), "round " + round);
    }
    assertTrue(changes > 20, "the batches moved the book: " + changes);
  }

  private static Scanner attached(ScanConfig config) {
    Scanner scanner = new Scanner(config, CLOCK, TokenPrices.none(WETH));
    scanner.attach(new MarketIndex(16));
    return scanner;
  }

  private static BigInteger reserve(Random random) {
    return BigInteger.valueOf(1_000_000 + random.nextInt(1_000_000_000));
  }

  private static TreeSet<String> ids(Collection<Opportunity> opportunities) {
    TreeSet<String> ids = new TreeSet<>();
    for (Opportunity o : opportunities) {
      ids.add(o.id() + "|" + o.amountIn() + "|" + o.netProfit());
    }
    return ids;
  }
}
