package io.rehoboam.core.events.internal;

import io.rehoboam.spi.event.Event;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The broadcast ring of one event bus: a global seq counter and {@code capacity} slots; the event
 * with seq {@code s} lives in slot {@code s & (capacity - 1)} until the event with seq {@code s +
 * capacity} replaces it. Publishers never wait for readers; every reader keeps its own cursor and
 * recognises the slot it expects by the seq of the entry in it.
 *
 * <p>Thread-safe for any number of publishers and readers. Seqs start at 1.
 */
public final class EventRing {
  /** Added to the counter by {@link #seal()}; claims that see it are rejected. */
  private static final long SEALED = 1L << 62;

  /**
   * Padding on each side of the hot values, in array elements, so that the counter and the live
   * slots do not share a cache line (or the adjacent prefetched one) with anything else.
   */
  private static final int PAD_REFS = 32;

  private static final int PAD_LONGS = 16;
  private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(Object[].class);
  private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);

  private final Object[] slots;
  private final int capacity;
  private final int mask;

  /** The next seq to claim, at index {@link #PAD_LONGS}; plus {@link #SEALED} once sealed. */
  private final long[] next = new long[2 * PAD_LONGS + 1];

  /** The value of the counter when sealed; -1 while open. */
  private volatile long sealedNext = -1;

  /**
   * @param capacity a power of two, at least 2 (checked by the caller)
   */
  public EventRing(int capacity) {
    this.capacity = capacity;
    this.mask = capacity - 1;
    this.slots = new Object[capacity + 2 * PAD_REFS];
    LONGS.setVolatile(next, PAD_LONGS, 1L);
  }

  public int capacity() {
    return capacity;
  }

  /**
   * Reserves the next seq. The caller must then {@link #put} the event or {@link #abandon} the seq,
   * because readers wait for it.
   *
   * @return the seq, or -1 if the ring is sealed (the attempt is counted in {@link #rejected()})
   */
  public long claim() {
    long n = (long) LONGS.getAndAdd(next, PAD_LONGS, 1L);
    return n < SEALED ? n : -1;
  }

  /**
   * Makes the event of a claimed seq visible. A publisher that stalled a whole lap must not replace
   * a newer event, so the slot is only taken while it holds an older seq.
   *
   * <p>Has volatile (full fence) semantics, which the parking handshake with readers relies on.
   *
   * @return true if written; false if a newer event already took the slot (this one is then lost to
   *     overflow for every reader that had not read it, and readers count it as dropped)
   */
  public boolean put(long seq, Event event) {
    return store(seq, event);
  }

  /** Marks a claimed seq as having no event, so readers skip it. Same semantics as {@link #put}. */
  public boolean abandon(long seq) {
    return store(seq, new Hole(seq));
  }

  private boolean store(long seq, Object entry) {
    int i = index(seq);
    Object current = SLOTS.getAcquire(slots, i);
    while (seqOf(current) < seq) {
      Object witness = SLOTS.compareAndExchange(slots, i, current, entry);
      if (witness == current) {
        return true;
      }
      current = witness;
    }
    return false;
  }

  /** The entry (an {@link Event}, a hole, or null) in the slot of {@code seq}; acquire read. */
  Object entry(long seq) {
    return SLOTS.getAcquire(slots, index(seq));
  }

  /** As {@link #entry} but a volatile read, for the parking handshake. */
  Object entryVolatile(long seq) {
    return SLOTS.getVolatile(slots, index(seq));
  }

  /** The seq of a slot entry; 0 for an empty slot (seqs start at 1). */
  static long seqOf(Object entry) {
    if (entry instanceof Event event) {
      return event.seq();
    }
    return entry == null ? 0 : ((Hole) entry).seq();
  }

  private int index(long seq) {
    return PAD_REFS + (int) (seq & mask);
  }

  /**
   * Stops claims: every later {@link #claim()} returns -1. Call once.
   *
   * @return the last seq claimed before sealing (0 if none); its event may still be in flight
   */
  public long seal() {
    long n = (long) LONGS.getAndAdd(next, PAD_LONGS, SEALED);
    sealedNext = n;
    return n - 1;
  }

  /** The highest seq claimed so far, 0 if none. */
  public long lastSeq() {
    long n = (long) LONGS.getVolatile(next, PAD_LONGS);
    return n < SEALED ? n - 1 : awaitSealedNext() - 1;
  }

  /** True once {@link #seal()} was called. */
  public boolean isSealed() {
    return (long) LONGS.getVolatile(next, PAD_LONGS) >= SEALED;
  }

  /** The last seq readers must drain to: {@link Long#MAX_VALUE} while open. */
  long drainEnd() {
    long s = sealedNext;
    return s < 0 ? Long.MAX_VALUE : s - 1;
  }

  /** Claims refused because the ring was sealed. */
  public long rejected() {
    long n = (long) LONGS.getVolatile(next, PAD_LONGS);
    return n < SEALED ? 0 : n - SEALED - awaitSealedNext();
  }

  /**
   * {@link #seal()} writes {@code sealedNext} right after its atomic add; a reader that sees the
   * sealed counter first waits out that window.
   */
  private long awaitSealedNext() {
    long s;
    while ((s = sealedNext) < 0) {
      Thread.yield();
    }
    return s;
  }
}
