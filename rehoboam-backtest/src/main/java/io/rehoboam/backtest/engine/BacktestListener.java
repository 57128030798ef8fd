package io.rehoboam.backtest.engine;

import io.rehoboam.spi.trade.Opportunity;

/** What a {@link BacktestEngine} tells as it runs; all calls on the engine's thread. */
public interface BacktestListener {
  /** A monitor published an opportunity. */
  default void found(String botId, Opportunity opportunity) {}

  /** An executor bot's opportunity came to this outcome (an execution, when there was one). */
  default void outcome(String botId, Opportunity opportunity, Outcome outcome) {}

  /** An execution finished. */
  default void executed(ExecutionRecord record) {}

  /** The risk policy refused an execution. */
  default void rejected(RiskRejection rejection) {}
}
