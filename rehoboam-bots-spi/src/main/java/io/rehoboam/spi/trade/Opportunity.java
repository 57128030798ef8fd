package io.rehoboam.spi.trade;

import io.rehoboam.spi.Checks;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * An arbitrage opportunity, exact in base units of the start token.
 *
 * <p>Invariants checked on construction: {@code profit = amountOut - amountIn}, {@code netProfit =
 * profit - gasCost}, at least one leg, the first leg takes the start token and the last returns it.
 * Quote values ({@code profitUsd}, {@code netProfitUsd}) are null when no price is known.
 *
 * @param strategy {@code cross_venue}, {@code cyclic}, {@code cross_layer} or a process bot's own
 * @param sourceBot the id of the bot that found it (null when found outside a bot, e.g. by the scan
 *     command)
 * @param startToken lower-case address of the token the cycle starts and ends in
 * @param gasCost the gas cost of executing it, in start-token base units
 * @param blockNumber block number or market sequence of the state it was computed on
 */
public record Opportunity(
    String id,
    String strategy,
    String sourceBot,
    String startToken,
    BigInteger amountIn,
    BigInteger amountOut,
    BigInteger profit,
    BigInteger gasCost,
    BigInteger netProfit,
    BigDecimal profitUsd,
    BigDecimal netProfitUsd,
    long blockNumber,
    Instant detectedAt,
    Instant expiresAt,
    List<Leg> legs) {

  public Opportunity {
    Checks.notBlank(id, "id");
    Checks.notBlank(strategy, "strategy");
    startToken = Checks.notBlank(startToken, "start_token").toLowerCase(Locale.ROOT);
    Checks.nonNegative(amountIn, "amount_in");
    Checks.nonNegative(amountOut, "amount_out");
    Checks.notNull(profit, "profit");
    Checks.nonNegative(gasCost, "gas_cost");
    Checks.notNull(netProfit, "net_profit");
    Checks.check(
        profit.equals(amountOut.subtract(amountIn)), "profit", "must equal amount_out - amount_in");
    Checks.check(
        netProfit.equals(profit.subtract(gasCost)), "net_profit", "must equal profit - gas_cost");
    Checks.notNull(detectedAt, "detected_at");
    Checks.notNull(expiresAt, "expires_at");
    Checks.check(!expiresAt.isBefore(detectedAt), "expires_at", "must not be before detected_at");
    Checks.notNull(legs, "legs");
    legs = List.copyOf(legs);
    Checks.check(!legs.isEmpty(), "legs", "must not be empty");
    Checks.check(
        legs.get(0).tokenIn().equals(startToken),
        "legs",
        "the first leg must take the start token");
    Checks.check(
        legs.get(legs.size() - 1).tokenOut().equals(startToken),
        "legs",
        "the last leg must return the start token");
  }

  /** True when {@code now} is at or past the expiry. */
  public boolean isExpired(Instant now) {
    return !now.isBefore(expiresAt);
  }
}
