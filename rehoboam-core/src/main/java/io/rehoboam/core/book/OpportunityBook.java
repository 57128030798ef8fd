package io.rehoboam.core.book;

import io.rehoboam.spi.trade.Leg;
import io.rehoboam.spi.trade.Opportunity;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The service's live opportunities: what bots published and did not yet expire. Thread-safe; reads
 * never block writers. An opportunity past its {@code expires_at} is invisible at once and purged
 * lazily.
 */
public final class OpportunityBook {
  /**
   * Best first: highest net profit in the quote currency where known (those without a quote value
   * last, since base units of different start tokens do not compare), then in base units, then the
   * earlier detection, then the id for a total order. Agrees with the scan engine's order.
   */
  public static final Comparator<Opportunity> BEST_FIRST =
      Comparator.comparing(
              Opportunity::netProfitUsd,
              Comparator.nullsLast(Comparator.<BigDecimal>reverseOrder()))
          .thenComparing(Opportunity::netProfit, Comparator.reverseOrder())
          .thenComparing(Opportunity::detectedAt)
          .thenComparing(Opportunity::id);

  private final Clock clock;
  private final ConcurrentHashMap<String, Opportunity> live = new ConcurrentHashMap<>();

  public OpportunityBook(Clock clock) {
    this.clock = clock;
  }

  /** Adds or replaces an opportunity (keyed by id). */
  public void put(Opportunity opportunity) {
    live.put(opportunity.id(), opportunity);
  }

  /** Removes it; returns whether it was there. */
  public boolean remove(String opportunityId) {
    return live.remove(opportunityId) != null;
  }

  /**
   * The opportunity if it is in the book, expired or not (the caller decides what expiry means).
   */
  public Optional<Opportunity> find(String opportunityId) {
    return Optional.ofNullable(live.get(opportunityId));
  }

  /** Removes every expired opportunity and returns them. */
  public List<Opportunity> purgeExpired() {
    Instant now = clock.instant();
    List<Opportunity> gone = new ArrayList<>();
    live.values()
        .removeIf(
            o -> {
              if (o.isExpired(now)) {
                gone.add(o);
                return true;
              }
              return false;
            });
    return gone;
  }

  public int size() {
    return live.size();
  }

  /** The live opportunities matching {@code filter}, best first. */
  public List<Opportunity> query(OpportunityFilter filter) {
    Instant now = clock.instant();
    // Keep only the best `limit` while scanning (the worst of them on top, to be evicted): a page
    // of
    // 50 from a book of thousands costs a pass and a small heap, not a sort of the whole book.
    int limit = filter.limit();
    java.util.PriorityQueue<Opportunity> best =
        new java.util.PriorityQueue<>(Math.min(limit, 1024) + 1, BEST_FIRST.reversed());
    for (Opportunity o : live.values()) {
      if (!o.isExpired(now) && matches(o, filter)) {
        best.add(o);
        if (best.size() > limit) {
          best.poll();
        }
      }
    }
    List<Opportunity> out = new ArrayList<>(best);
    out.sort(BEST_FIRST);
    return out;
  }

  private static boolean matches(Opportunity o, OpportunityFilter f) {
    if (f.strategy() != null && !f.strategy().equals(o.strategy())) {
      return false;
    }
    if (f.minProfit() != null) {
      BigDecimal value = o.netProfitUsd();
      if (value == null || value.compareTo(f.minProfit()) < 0) {
        return false;
      }
    }
    if (f.token() != null && !o.startToken().equals(f.token())) {
      boolean touches = false;
      for (Leg leg : o.legs()) {
        if (leg.tokenIn().equals(f.token()) || leg.tokenOut().equals(f.token())) {
          touches = true;
          break;
        }
      }
      return touches;
    }
    return true;
  }
}
