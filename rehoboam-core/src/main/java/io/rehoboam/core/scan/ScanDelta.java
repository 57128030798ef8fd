package io.rehoboam.core.scan;

import io.rehoboam.spi.Checks;
import io.rehoboam.spi.trade.Opportunity;
import java.util.List;

/**
 * What one incremental update changed in an engine's book.
 *
 * @param found opportunities that entered the book, by net profit descending
 * @param expiredIds ids of opportunities that left the book because the update invalidated them
 */
public record ScanDelta(List<Opportunity> found, List<String> expiredIds) {
  private static final ScanDelta EMPTY = new ScanDelta(List.of(), List.of());

  public ScanDelta {
    found = List.copyOf(Checks.notNull(found, "found"));
    expiredIds = List.copyOf(Checks.notNull(expiredIds, "expired_ids"));
  }

  /** A delta that changed nothing. */
  public static ScanDelta empty() {
    return EMPTY;
  }

  /** True when nothing entered or left the book. */
  public boolean isEmpty() {
    return found.isEmpty() && expiredIds.isEmpty();
  }
}
