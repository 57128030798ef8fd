package io.rehoboam.core.events.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.spi.event.SystemEvent;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EventRingTest {
  private static final Instant AT = Instant.parse("2024-05-01T12:00:00Z");

  private static SystemEvent event(long seq) {
    return new SystemEvent(seq, AT, "test", "");
  }

  @Test
  void claimsSeqsFromOneAndStoresEachInItsSlot() {
    EventRing ring = new EventRing(4);
    assertEquals(0, ring.lastSeq());
    assertNull(ring.entry(1));

    long first = ring.claim();
    long second = ring.claim();
    SystemEvent one = event(first);
    assertTrue(ring.put(first, one));
    assertTrue(ring.put(second, event(second)));

    assertEquals(1, first);
    assertEquals(2, second);
    assertEquals(2, ring.lastSeq());
    assertSame(one, ring.entry(1));
    assertEquals(1, EventRing.seqOf(ring.entry(1)));
    assertEquals(0, EventRing.seqOf(ring.entry(3)));
  }

  @Test
  void aPublisherThatStalledAWholeLapDoesNotOverwriteTheNewerEvent() {
    EventRing ring = new EventRing(2);
    long stalled = ring.claim(); // seq 1, slot 1
    ring.claim(); // seq 2
    long lapping = ring.claim(); // seq 3, same slot as seq 1
    SystemEvent newer = event(lapping);
    assertTrue(ring.put(lapping, newer));

    assertFalse(ring.put(stalled, event(stalled)));
    assertSame(newer, ring.entry(lapping));
    assertSame(newer, ring.entry(stalled)); // a reader expecting seq 1 sees it was lapped
  }

  @Test
  void anAbandonedSeqLeavesAHoleReadersCanStepOver() {
    EventRing ring = new EventRing(4);
    long seq = ring.claim();

    assertTrue(ring.abandon(seq));

    Object entry = ring.entry(seq);
    assertInstanceOf(Hole.class, entry);
    assertEquals(seq, EventRing.seqOf(entry));
  }

  @Test
  void sealingStopsClaimsAndCountsTheRefusedOnes() {
    EventRing ring = new EventRing(4);
    ring.claim();
    ring.claim();

    assertEquals(2, ring.seal());

    assertTrue(ring.isSealed());
    assertEquals(-1, ring.claim());
    assertEquals(-1, ring.claim());
    assertEquals(2, ring.lastSeq());
    assertEquals(2, ring.rejected());
    assertEquals(2, ring.drainEnd());
  }

  @Test
  void anOpenRingHasNoDrainEndAndNoRejections() {
    EventRing ring = new EventRing(8);
    ring.claim();

    assertFalse(ring.isSealed());
    assertEquals(Long.MAX_VALUE, ring.drainEnd());
    assertEquals(0, ring.rejected());
    assertEquals(8, ring.capacity());
  }
}
