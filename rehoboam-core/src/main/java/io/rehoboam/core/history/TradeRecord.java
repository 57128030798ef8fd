package io.rehoboam.core.history;

import io.rehoboam.spi.Checks;
import io.rehoboam.spi.trade.ExecutionMode;
import io.rehoboam.spi.trade.ExecutionStatus;
import io.rehoboam.spi.trade.Leg;
import io.rehoboam.spi.trade.LegExecution;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;

/**
 * One execution in the trade history: what was sent (bot, strategy, executor, input, the
 * opportunity's legs) and how it ended. Amounts are exact base units of the start token; quote
 * values are USD.
 *
 * @param id the execution's id
 * @param botId the bot that executed it, null for an API caller
 * @param strategy the opportunity's strategy
 * @param executorId the trade executor it went through
 * @param amountIn the input, start-token base units
 * @param expectedProfit the net profit expected when it started, start-token base units
 * @param realizedProfit the net profit made, base units, null until final or when none
 * @param realizedProfitUsd its quote value, null when unknown
 * @param gasCostUsd the gas cost the opportunity was priced with, in USD (profit_usd -
 *     net_profit_usd), null when unknown
 * @param legs the opportunity's swaps, as predicted
 * @param legExecutions the state of each leg sent as its own transaction (cross-chain), often empty
 */
public record TradeRecord(
    String id,
    String opportunityId,
    String botId,
    String strategy,
    String executorId,
    ExecutionMode mode,
    ExecutionStatus status,
    String reason,
    String startToken,
    BigInteger amountIn,
    BigInteger expectedProfit,
    BigInteger realizedProfit,
    BigDecimal realizedProfitUsd,
    BigInteger gasUsed,
    BigDecimal gasCostUsd,
    List<String> txHashes,
    Instant startedAt,
    Instant finishedAt,
    List<Leg> legs,
    List<LegExecution> legExecutions) {

  public TradeRecord {
    Checks.notBlank(id, "id");
    Checks.notBlank(opportunityId, "opportunity_id");
    Checks.notNull(status, "status");
    Checks.notNull(startedAt, "started_at");
    txHashes = txHashes == null ? List.of() : List.copyOf(txHashes);
    legs = legs == null ? List.of() : List.copyOf(legs);
    legExecutions = legExecutions == null ? List.of() : List.copyOf(legExecutions);
  }

  /**
   * Whether its realized profit counts in PnL and in the bot's {@code total_profit}: finished with
   * a known quote value ({@link ExecutionStatus#booksRealized}), losses of failed ones included.
   */
  public boolean realized() {
    return ExecutionStatus.booksRealized(status, realizedProfitUsd);
  }

  /** When it happened for filters and buckets: its finish, or its start while in flight. */
  public Instant at() {
    return finishedAt != null ? finishedAt : startedAt;
  }
}
