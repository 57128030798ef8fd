package io.rehoboam.core.history;

import java.util.List;

/**
 * One page of the trade history, newest first.
 *
 * @param nextCursor pass it as {@link ExecutionQuery#cursor()} for the next (older) page; null on
 *     the last page
 */
public record ExecutionPage(List<TradeRecord> executions, String nextCursor) {
  public ExecutionPage {
    executions = List.copyOf(executions);
  }
}
