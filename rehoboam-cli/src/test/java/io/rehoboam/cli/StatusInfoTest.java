package io.rehoboam.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StatusInfoTest {
  /** The layer-2 bot's health message as the default server shows it. */
  private static final String LAYER2 =
      "inventory mode; inventory {1={WETH=133.20988232181388723, USDC=221546.453494,"
          + " USDT=293449.945393, DAI=291096.405436929733811848, WBTC=5},"
          + " 42161={WETH=59.913098825035862353, USDC=368017.516351, USDT=351576.523829,"
          + " DAI=318914.892444816434801025, WBTC=4.75093092}, 10={WETH=109.885751327413367377,"
          + " USDC=313599.82217, USDT=257159.864802, DAI=291664.122614869609559475,"
          + " WBTC=5.24906908}}; live opportunities 12; in flight 0; transfers in flight 0; open"
          + " positions 0";

  @Test
  void theLayerTwoInventoryBecomesAShortSummary() {
    String s = StatusInfo.shorten(LAYER2);
    assertEquals(
        "inventory mode; inventory {…}; live opportunities 12; in flight 0; transfers in flight 0;"
            + " open positions 0",
        s);
    assertTrue(s.length() <= StatusInfo.MAX, s);
    assertTrue(StatusInfo.shortens(LAYER2));
  }

  @Test
  void shortMessagesStayAsTheyAre() {
    String monitor = "found 12 opportunities in the last minute; sources up";
    assertEquals(monitor, StatusInfo.shorten(monitor));
    assertFalse(StatusInfo.shortens(monitor));
    String executor =
        "executed 354, reverted 14, failed 0, rejected by the risk policy 0, gone before execution"
            + " (expired, unknown or already executed) 3871, skipped while busy 0, skipped at its"
            + " own max_trades_per_minute 3636, filtered out 8901";
    assertEquals(executor, StatusInfo.shorten(executor), "counts are kept whole");
    assertNull(StatusInfo.shorten(null));
    assertFalse(StatusInfo.shortens(null));
  }

  @Test
  void aLongMessageIsCutWithAnEllipsisAndUnbalancedBracesAreClosed() {
    String s = StatusInfo.shorten("x".repeat(300));
    assertEquals(StatusInfo.MAX, s.length());
    assertTrue(s.endsWith("…"), s);
    assertEquals("state {…}", StatusInfo.shorten("state {a={b=1}"));
  }
}
