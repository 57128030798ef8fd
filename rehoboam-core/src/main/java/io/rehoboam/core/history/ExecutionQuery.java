package io.rehoboam.core.history;

import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.trade.ExecutionStatus;
import java.time.Instant;

/**
 * Which executions to list, newest first. Every filter is optional (null).
 *
 * @param from executions that started at or after this instant
 * @param to executions that started before this instant
 * @param cursor where the previous page ended ({@link ExecutionPage#nextCursor()})
 * @param limit page size, 1..{@value #MAX_LIMIT}
 */
public record ExecutionQuery(
    String botId,
    String strategy,
    ExecutionStatus status,
    Instant from,
    Instant to,
    String cursor,
    int limit) {

  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 1000;

  public ExecutionQuery {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw RehoboamException.invalid("limit", "must be 1.." + MAX_LIMIT + ", was " + limit);
    }
    if (from != null && to != null && !from.isBefore(to)) {
      throw RehoboamException.invalid("from", "must be before to");
    }
  }

  /** The newest {@value #DEFAULT_LIMIT}, unfiltered. */
  public static ExecutionQuery newest() {
    return new ExecutionQuery(null, null, null, null, null, null, DEFAULT_LIMIT);
  }
}
