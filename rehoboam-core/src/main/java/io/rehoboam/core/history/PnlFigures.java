package io.rehoboam.core.history;

import io.rehoboam.core.BotStatus;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * The figures of a set of finished executions.
 *
 * @param executions finished executions (every terminal status)
 * @param succeeded confirmed or simulated
 * @param failed failed, reverted or rejected after it was sent
 * @param wins succeeded with a positive realized profit
 * @param winRate wins / executions, 0..1 (4 places), 0 without executions
 * @param realizedProfitUsd the sum of the finished executions' realized profit in USD (losses of
 *     failed ones included), at the scale of a bot's {@code total_profit}: what {@code
 *     total_profit} counts
 * @param gasUsed gas units used, where the executor reported them
 * @param gasCostUsd the gas cost the executed opportunities were priced with, USD
 */
public record PnlFigures(
    long executions,
    long succeeded,
    long failed,
    long wins,
    BigDecimal winRate,
    BigDecimal realizedProfitUsd,
    BigInteger gasUsed,
    BigDecimal gasCostUsd) {

  public static final PnlFigures ZERO =
      new PnlFigures(
          0, 0, 0, 0, BigDecimal.ZERO, BigDecimal.ZERO, BigInteger.ZERO, BigDecimal.ZERO);

  public PnlFigures {
    winRate = winRate.setScale(4, RoundingMode.HALF_EVEN);
    realizedProfitUsd = realizedProfitUsd.setScale(BotStatus.PROFIT_SCALE, RoundingMode.HALF_EVEN);
    gasCostUsd = gasCostUsd.setScale(BotStatus.PROFIT_SCALE, RoundingMode.HALF_EVEN);
  }

  /** The quote currency of the USD fields. */
  @com.fasterxml.jackson.annotation.JsonProperty("quote_currency")
  public String quoteCurrency() {
    return BotStatus.QUOTE_CURRENCY;
  }
}
