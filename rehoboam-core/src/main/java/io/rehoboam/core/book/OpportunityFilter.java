package io.rehoboam.core.book;

import io.rehoboam.spi.RehoboamException;
import java.math.BigDecimal;
import java.util.Locale;

/**
 * Which opportunities to list.
 *
 * @param strategy only this strategy, or null for all
 * @param minProfit only those whose net profit in the quote currency is at least this
 *     (opportunities with no known quote value are left out when set), or null
 * @param token only those that touch this token address (start token or any leg), or null
 * @param limit at most this many (1..10000)
 */
public record OpportunityFilter(String strategy, BigDecimal minProfit, String token, int limit) {
  public static final int MAX_LIMIT = 10_000;

  public OpportunityFilter {
    strategy = strategy == null || strategy.isBlank() ? null : strategy;
    token = token == null || token.isBlank() ? null : token.toLowerCase(Locale.ROOT);
    if (limit < 1 || limit > MAX_LIMIT) {
      throw RehoboamException.invalid("limit", "must be 1.." + MAX_LIMIT + ", was " + limit);
    }
  }

  /** Everything, up to 100, best first. */
  public static OpportunityFilter all() {
    return new OpportunityFilter(null, null, null, 100);
  }

  public OpportunityFilter withLimit(int newLimit) {
    return new OpportunityFilter(strategy, minProfit, token, newLimit);
  }
}
