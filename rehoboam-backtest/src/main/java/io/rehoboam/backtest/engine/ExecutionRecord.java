package io.rehoboam.backtest.engine;

import io.rehoboam.spi.trade.Execution;
import io.rehoboam.spi.trade.Opportunity;

/**
 * One execution of a backtest: the bot that asked, the opportunity and the executor's result.
 *
 * @param route the route's token symbols, for example {@code WETH>USDC>WETH}
 */
public record ExecutionRecord(
    String botId, Opportunity opportunity, String route, Execution execution) {}
