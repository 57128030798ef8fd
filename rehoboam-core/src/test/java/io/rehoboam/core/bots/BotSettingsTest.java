package io.rehoboam.core.bots;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.Settings;
import java.math.BigInteger;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The live monitor's settings as the backtester reads them. */
class BotSettingsTest {
  @Test
  void aReplayRefusesGasPricedFromTheSourceAndTakesAGivenPrice() {
    RehoboamException e =
        assertThrows(
            RehoboamException.class,
            () -> BotSettings.liveMonitor(Settings.of(Map.of("gas_price_from_source", true))));
    assertEquals(ErrorCode.INVALID_CONFIG, e.code());
    assertEquals(
        "gas_price_from_source: a replay has no live fee estimate; give gas_price_gwei for the"
            + " backtest instead",
        e.getMessage());
    assertEquals(
        BigInteger.valueOf(2_500_000_000L),
        BotSettings.liveMonitor(Settings.of(Map.of("gas_price_gwei", "2.5"))).scan().gasPriceWei());
  }

  @Test
  void gasPriceFromTheSourceAndAGivenPriceExcludeEachOther() {
    RehoboamException e =
        assertThrows(
            RehoboamException.class,
            () ->
                BotSettings.liveMonitor(
                    Settings.of(Map.of("gas_price_from_source", true, "gas_price_gwei", 3))));
    assertEquals(ErrorCode.INVALID_CONFIG, e.code());
    assertEquals(
        "gas_price_from_source: cannot be combined with gas_price_gwei (give one of them)",
        e.getMessage());
  }
}
