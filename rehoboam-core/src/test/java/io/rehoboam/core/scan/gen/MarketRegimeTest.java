package io.rehoboam.core.scan.gen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.market.Pool;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The calm, volatile and crowded markets, judged with arithmetic independent of the generator. */
class MarketRegimeTest {

  @Test
  void calmIsTheMarketOfTheRegimeLessCall() {
    assertEquals(
        SyntheticMarketGenerator.generate(MarketShape.SPARSE, 2_000, 4, 3).pools(),
        SyntheticMarketGenerator.generate(MarketShape.SPARSE, MarketRegime.CALM, 2_000, 4, 3)
            .pools());
  }

  @Test
  void aVolatileMarketIsOffItsFeeBandsAndMostPairsPay() {
    SyntheticMarket calm = SyntheticMarketGenerator.generate(MarketShape.DENSE, 20_000, 5, 0);
    SyntheticMarket moved =
        SyntheticMarketGenerator.generate(MarketShape.DENSE, MarketRegime.VOLATILE, 20_000, 5, 0);
    assertEquals(calm.tokens(), moved.tokens(), "the same tokens at the same true prices");
    PriceModel model = PriceModel.of(moved);
    int beyond = 0;
    for (Pool pool : moved.pools()) {
      double off = Math.abs(model.deviation(pool));
      double fee = pool.feeBps() / 10_000.0;
      assertTrue(off <= fee + 2 * 0.02 + 1e-6, "at most fee + 2% per moved token: " + off);
      if (off > fee + 0.001 - 1e-6) {
        beyond++;
      }
    }
    assertTrue(
        beyond > moved.pools().size() / 2, "most pools are beyond their fee band: " + beyond);
    assertTrue(paying(moved) > 2 * paying(calm) + 100, "pairs pay after the move");
    assertEquals(0, paying(calm), "a calm market without dislocations has no paying pair");
  }

  @Test
  void aCrowdedMarketPutsPopularPairsOnHundredsOfPools() {
    SyntheticMarket market =
        SyntheticMarketGenerator.generate(MarketShape.DENSE, MarketRegime.CROWDED, 20_000, 6, 2);
    Map<String, List<Pool>> byPair = MarketChecks.byPair(market.pools());
    int largest = byPair.values().stream().mapToInt(List::size).max().orElse(0);
    assertTrue(largest >= 100 && largest <= 300, "the most popular pair's pools: " + largest);
    assertTrue(
        market.pools().stream().anyMatch(p -> p.dex().startsWith("fork_")), "forks take part");
    assertEquals(300, SyntheticMarketGenerator.venues(MarketRegime.CROWDED).size());
    assertEquals(
        SyntheticMarketGenerator.VENUES, SyntheticMarketGenerator.venues(MarketRegime.VOLATILE));
    assertTrue(paying(market) > 100, "its prices moved too");
  }

  @Test
  void regimesParseAndBadNamesAreRefusedNamingTheField() {
    assertEquals(MarketRegime.VOLATILE, MarketRegime.parse(" Volatile "));
    assertEquals("crowded", MarketRegime.CROWDED.wireName());
    RehoboamException e = assertThrows(RehoboamException.class, () -> MarketRegime.parse("stormy"));
    assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
    assertTrue(e.getMessage().contains("regime"), e.getMessage());
  }

  /** Pairs where some two pools pay a round trip at the margin. */
  private static int paying(SyntheticMarket market) {
    int paying = 0;
    for (List<Pool> pools : MarketChecks.byPair(market.pools()).values()) {
      boolean pays = false;
      for (int i = 0; i < pools.size() && !pays; i++) {
        for (int j = i + 1; j < pools.size() && !pays; j++) {
          pays = MarketChecks.roundTripPays(pools.get(i), pools.get(j));
        }
      }
      if (pays) {
        paying++;
      }
    }
    return paying;
  }
}
