package io.rehoboam.backtest.engine;

/** What became of an opportunity an executor bot saw, as the {@code real_executor} counts it. */
public enum Outcome {
  EXECUTED,
  REVERTED,
  FAILED,
  RISK_REJECTED,
  /** Gone before execution: expired, replaced by a later update, or already executed. */
  MISSED,
  /** All of the bot's {@code max_in_flight} execution slots were busy. */
  BUSY,
  /** The bot's filter (strategies, min_profit) did not take it. */
  FILTERED
}
