package io.rehoboam.core.risk;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * The risk policy as it stands: its limits, how much of them is used now, and the kill switch.
 *
 * @param limits the limits in force (null fields are off)
 * @param tradesLastMinute executions allowed in the last sliding minute (what {@code
 *     max_trades_per_minute} counts)
 * @param lossToday realized losses of the UTC day, USD (what {@code daily_loss_limit} counts)
 * @param limitsChangedBy who last changed the limits at run time, null when they are the
 *     configuration's
 * @param limitsChangedAt when, null when they are the configuration's
 */
public record RiskState(
    RiskLimits limits,
    int tradesLastMinute,
    BigDecimal lossToday,
    KillSwitch killSwitch,
    String limitsChangedBy,
    Instant limitsChangedAt) {

  /** The quote currency of the USD fields. */
  @com.fasterxml.jackson.annotation.JsonProperty("quote_currency")
  public String quoteCurrency() {
    return io.rehoboam.core.BotStatus.QUOTE_CURRENCY;
  }
}
