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
    assertEquals(2, ((SystemEvent) ring.entry(2)).seq());
    assertNull(ring.entry(3)); // not claimed yet
  }

  @Test
  void aPublisherThatStalledAWholeLapDoesNotOverwriteTheNewerEvent() {
    EventRing ring = new EventRing(2); // chunks of 2 seqs, a table of 2 chunks
    long stalled = ring.claim(); // seq 1, chunk of seqs 0-1
    for (int i = 0; i < 3; i++) {
      ring.claim(); // seqs 2 to 4
    }
    long lapping = ring.claim(); // seq 5: chunk of seqs 4-5, same table entry as seq 1's
    SystemEvent newer = event(lapping);
    assertTrue(ring.put(lapping, newer));

    assertFalse(ring.put(stalled, event(stalled)));
    assertSame(newer, ring.entry(lapping));
    assertNull(ring.entry(stalled)); // its chunk is gone: a reader expecting it sees a newer lap
    assertEquals(4, ring.chunkAt(stalled).base);
  }

  @Test
  void theLastCapacitySeqsStayReadableHoweverFarPublishingRuns() {
    EventRing ring = new EventRing(8);
    for (int i = 0; i < 100; i++) {
      long seq = ring.claim();
      assertTrue(ring.put(seq, event(seq)));
      for (long back = Math.max(1, seq - 7); back <= seq; back++) {
        assertEquals(
            back,
            ((SystemEvent) ring.entry(back)).seq(),
            "seq " + back + " after publishing " + seq);
      }
    }
  }

  @Test
  void aReaderHoldingAReplacedChunkStillReadsItsEvents() {
    EventRing ring = new EventRing(2);
    long first = ring.claim();
    SystemEvent one = event(first);
    ring.put(first, one);
    EventRing.Chunk held = ring.chunkAt(first);
    for (int i = 0; i < 8; i++) {
      long seq = ring.claim();
      ring.put(seq, event(seq));
    }

    assertTrue(ring.chunkAt(first).base > held.base);
    assertSame(one, held.get(first));
  }

  @Test
  void anAbandonedSeqLeavesAHoleReadersCanStepOver() {
    EventRing ring = new EventRing(4);
    long seq = ring.claim();

    assertTrue(ring.abandon(seq));

    Object entry = ring.entry(seq);
    assertInstanceOf(Hole.class, entry);
    assertSame(EventRing.HOLE, entry);
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
  void readersAnnouncingAParkAreCountedUntilDone() {
    EventRing ring = new EventRing(4);
    assertEquals(0, ring.parkedReaders());
    ring.parking();
    ring.parking();
    assertEquals(2, ring.parkedReaders());
    ring.parkDone();
    ring.parkDone();
    assertEquals(0, ring.parkedReaders());
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
