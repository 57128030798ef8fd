package io.rehoboam.core.book;

import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.trade.Leg;
import io.rehoboam.spi.trade.Opportunity;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The service's live opportunities: what bots published and did not yet expire. Thread-safe; reads
 * never block writers. An opportunity past its {@code expires_at} is invisible at once and purged
 * lazily.
 *
 * <p>An opportunity that left the book (purged after its {@code expires_at}, or expired by its bot)
 * is remembered as expired for as long again as it lived (its TTL, at least {@link
 * #MIN_REMEMBERED}), so that a late execute is told "expired" rather than "unknown"; at most {@link
 * #MAX_REMEMBERED} are remembered, the oldest forgotten first.
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

  /** The shortest time an expired opportunity is remembered as expired. */
  public static final Duration MIN_REMEMBERED = Duration.ofMinutes(1);

  /** The most expired opportunities remembered. */
  public static final int MAX_REMEMBERED = 100_000;

  /** An opportunity that left the book: when it expired, and until when that is remembered. */
  private record Gone(String id, Instant expiredAt, Instant until) {}

  /** Pages kept for reuse; beyond this many filters the cache starts again. */
  private static final int MAX_PAGES = 64;

  /**
   * A page as last answered: valid while the book is at {@code version} and until {@code until}.
   */
  private record Page(long version, Instant until, List<Opportunity> opportunities) {}

  private final Clock clock;
  private final ConcurrentHashMap<String, Opportunity> live = new ConcurrentHashMap<>();

  /** The live opportunities kept in {@link #BEST_FIRST} order: a page is read off its head. */
  private final ConcurrentSkipListSet<Opportunity> ordered =
      new ConcurrentSkipListSet<>(BEST_FIRST);

  /** Counts changes to the book; a page is reused while it has not moved. */
  private final AtomicLong version = new AtomicLong();

  private final ConcurrentHashMap<OpportunityFilter, Page> pages = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Gone> gone = new ConcurrentHashMap<>();

  /** {@link #gone} in the order remembered, to forget the oldest first. Guarded by itself. */
  private final ArrayDeque<Gone> goneOrder = new ArrayDeque<>();

  public OpportunityBook(Clock clock) {
    this.clock = clock;
  }

  /** Adds or replaces an opportunity (keyed by id). */
  public void put(Opportunity opportunity) {
    live.compute(
        opportunity.id(),
        (id, previous) -> {
          if (previous != null) {
            ordered.remove(previous);
          }
          ordered.add(opportunity);
          return opportunity;
        });
    version.incrementAndGet();
    if (!gone.isEmpty()) {
      gone.remove(opportunity.id());
    }
  }

  /** Removes it (it is remembered as expired); returns whether it was there. */
  public boolean remove(String opportunityId) {
    Opportunity[] removedBox = new Opportunity[1];
    live.computeIfPresent(
        opportunityId,
        (id, previous) -> {
          ordered.remove(previous);
          removedBox[0] = previous;
          return null;
        });
    Opportunity removed = removedBox[0];
    if (removed == null) {
      return false;
    }
    version.incrementAndGet();
    Instant now = clock.instant();
    remember(removed, now);
    forget(now);
    return true;
  }

  /**
   * When the opportunity expired, if it left the book (or is past its {@code expires_at}) within
   * the time it is remembered; empty for one never seen, still live, or forgotten.
   */
  public Optional<Instant> expiredAt(String opportunityId) {
    Instant now = clock.instant();
    Opportunity o = live.get(opportunityId);
    if (o != null) {
      return o.isExpired(now) ? Optional.of(o.expiresAt()) : Optional.empty();
    }
    Gone g = gone.get(opportunityId);
    return g == null || !now.isBefore(g.until()) ? Optional.empty() : Optional.of(g.expiredAt());
  }

  /**
   * The live opportunity.
   *
   * @throws RehoboamException NOT_FOUND when unknown (or forgotten), EXPIRED when it expired (see
   *     {@link #expiredAt})
   */
  public Opportunity require(String opportunityId) {
    Instant now = clock.instant();
    Opportunity o = live.get(opportunityId);
    if (o != null) {
      if (o.isExpired(now)) {
        throw expired(opportunityId, o.expiresAt());
      }
      return o;
    }
    Gone g = gone.get(opportunityId);
    if (g != null && now.isBefore(g.until())) {
      throw expired(opportunityId, g.expiredAt());
    }
    throw new RehoboamException(
        ErrorCode.NOT_FOUND, "no opportunity with id '" + opportunityId + "'");
  }

  private static RehoboamException expired(String opportunityId, Instant at) {
    return new RehoboamException(
        ErrorCode.EXPIRED, "opportunity " + opportunityId + " expired at " + at);
  }

  private void remember(Opportunity o, Instant now) {
    Instant expiredAt = o.expiresAt().isBefore(now) ? o.expiresAt() : now;
    Duration ttl = Duration.between(o.detectedAt(), o.expiresAt());
    Instant until = expiredAt.plus(ttl.compareTo(MIN_REMEMBERED) < 0 ? MIN_REMEMBERED : ttl);
    Gone g = new Gone(o.id(), expiredAt, until);
    gone.put(o.id(), g);
    synchronized (goneOrder) {
      goneOrder.addLast(g);
    }
  }

  /** Forgets the oldest remembered beyond {@link #MAX_REMEMBERED} and those past their time. */
  private void forget(Instant now) {
    synchronized (goneOrder) {
      Gone head;
      while ((head = goneOrder.peekFirst()) != null
          && (goneOrder.size() > MAX_REMEMBERED || !now.isBefore(head.until()))) {
        goneOrder.pollFirst();
        gone.remove(head.id(), head);
      }
    }
  }

  /**
   * The opportunity if it is in the book, expired or not (the caller decides what expiry means).
   */
  public Optional<Opportunity> find(String opportunityId) {
    return Optional.ofNullable(live.get(opportunityId));
  }

  /** Removes every expired opportunity (remembering it as expired) and returns them. */
  public List<Opportunity> purgeExpired() {
    Instant now = clock.instant();
    List<Opportunity> expired = new ArrayList<>();
    for (Opportunity o : live.values()) {
      if (o.isExpired(now) && live.remove(o.id(), o)) {
        ordered.remove(o);
        expired.add(o);
      }
    }
    if (!expired.isEmpty()) {
      version.incrementAndGet();
    }
    for (Opportunity o : expired) {
      remember(o, now);
    }
    forget(now);
    return expired;
  }

  public int size() {
    return live.size();
  }

  /**
   * The live opportunities matching {@code filter}, best first, as an unmodifiable list. Read off
   * the head of an index kept in order (no sort per query); while the book has not changed and
   * nothing on the page has expired, the same filter gets the same list instance back.
   */
  public List<Opportunity> query(OpportunityFilter filter) {
    Instant now = clock.instant();
    long at = version.get();
    Page page = pages.get(filter);
    if (page != null && page.version() == at && now.isBefore(page.until())) {
      return page.opportunities();
    }
    int limit = filter.limit();
    List<Opportunity> out = new ArrayList<>(Math.min(limit, 256));
    Instant until = Instant.MAX;
    for (Opportunity o : ordered) {
      if (o.isExpired(now) || !matches(o, filter)) {
        continue;
      }
      out.add(o);
      if (o.expiresAt().isBefore(until)) {
        until = o.expiresAt();
      }
      if (out.size() == limit) {
        break;
      }
    }
    List<Opportunity> result = Collections.unmodifiableList(out);
    if (pages.size() >= MAX_PAGES) {
      pages.clear();
    }
    pages.put(filter, new Page(at, until, result));
    return result;
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
