package io.rehoboam.core.events.internal;

import io.rehoboam.spi.event.Event;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The broadcast ring of one event bus: a global seq counter and a table of chunks, each holding the
 * events of {@code chunkSize} consecutive seqs. Publishers never wait for readers; every reader
 * keeps its own cursor.
 *
 * <p>A chunk belongs to one lap only: when publishing reaches seqs a whole table further on, the
 * first publisher there installs a fresh chunk in that table entry instead of overwriting the old
 * slots. So a slot is written at most once, by the one publisher that claimed its seq, with a plain
 * release store (no compare-and-set); a reader recognises its event by position alone (a non-null
 * slot of the chunk whose base matches), without reading the event; and a publisher that stalled a
 * whole lap finds a newer chunk in the table and gives up instead of replacing a newer event. Fresh
 * chunks are young objects like the events stored in them, so those stores need no old-to-young
 * card marking, which storing into one long-lived slot array would cost on every publish.
 *
 * <p>The table holds {@code 2 * capacity} slots, so that the last {@code capacity} seqs are always
 * in installed chunks however publishing is aligned with the chunk boundaries: a reader loses
 * events only once publishers are at least {@code capacity} seqs ahead of it (somewhere between
 * {@code capacity} and {@code 2 * capacity}, depending on that alignment). A reader still holding a
 * replaced chunk may go on reading it; its events stay in order, merely older.
 *
 * <p>Thread-safe for any number of publishers and readers. Seqs start at 1.
 */
public final class EventRing {
  /** Added to the counter by {@link #seal()}; claims that see it are rejected. */
  private static final long SEALED = 1L << 62;

  /**
   * Large enough that installing chunks is rare, small enough that a chunk is no big allocation.
   */
  private static final int MAX_CHUNK_SIZE = 1024;

  /**
   * Padding on each side of the hot values, in array elements, so that the counter and the park
   * count do not share a cache line (or the adjacent prefetched one) with anything else.
   */
  private static final int PAD_LONGS = 16;

  private static final int PAD_INTS = 32;

  private static final VarHandle CHUNKS = MethodHandles.arrayElementVarHandle(Chunk[].class);
  private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(Object[].class);
  private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
  private static final VarHandle INTS = MethodHandles.arrayElementVarHandle(int[].class);

  /** Fills the slot of a seq whose event was never built, so readers step over it. */
  static final Object HOLE = new Hole();

  private final int capacity;
  private final int chunkShift;
  private final long chunkMask;
  private final int tableMask;
  private final Chunk[] chunks;

  /** The next seq to claim, at index {@link #PAD_LONGS}; plus {@link #SEALED} once sealed. */
  private final long[] next = new long[2 * PAD_LONGS + 1];

  /** Readers that announced they are about to park, at index {@link #PAD_INTS}. */
  private final int[] parked = new int[2 * PAD_INTS + 1];

  /** The value of the counter when sealed; -1 while open. */
  private volatile long sealedNext = -1;

  /** The slots of {@code size} consecutive seqs from {@code base}, for one lap of the table. */
  static final class Chunk {
    final long base;
    final Object[] slots;

    Chunk(long base, int size) {
      this.base = base;
      this.slots = new Object[size];
    }

    /** The entry of {@code seq} (an {@link Event}, {@link #HOLE}, or null); acquire read. */
    Object get(long seq) {
      return SLOTS.getAcquire(slots, (int) (seq - base));
    }
  }

  /**
   * @param capacity a power of two, at least 2 (checked by the caller)
   */
  public EventRing(int capacity) {
    this.capacity = capacity;
    int chunkSize = Math.min(capacity, MAX_CHUNK_SIZE);
    this.chunkShift = Integer.numberOfTrailingZeros(chunkSize);
    this.chunkMask = chunkSize - 1;
    int tableSize = 2 * (capacity / chunkSize);
    this.tableMask = tableSize - 1;
    this.chunks = new Chunk[tableSize];
    LONGS.setVolatile(next, PAD_LONGS, 1L);
  }

  public int capacity() {
    return capacity;
  }

  /**
   * Reserves the next seq. The caller must then {@link #put} the event or {@link #abandon} the seq,
   * because readers wait for it.
   *
   * <p>Has volatile semantics: a reader that announced it is about to park and then finds no seq
   * claimed for it can rely on the publisher of the next seq seeing {@link #parkedReaders()} above
   * zero.
   *
   * @return the seq, or -1 if the ring is sealed (the attempt is counted in {@link #rejected()})
   */
  public long claim() {
    long n = (long) LONGS.getAndAdd(next, PAD_LONGS, 1L);
    return n < SEALED ? n : -1;
  }

  /**
   * Makes the event of a claimed seq visible (release store).
   *
   * @return true if written; false if publishing had gone a whole table further while this seq was
   *     in flight (the event is then lost to overflow for every reader that had not read it, and
   *     readers count it as dropped)
   */
  public boolean put(long seq, Event event) {
    return store(seq, event);
  }

  /** Marks a claimed seq as having no event, so readers skip it. Same semantics as {@link #put}. */
  public boolean abandon(long seq) {
    return store(seq, HOLE);
  }

  private boolean store(long seq, Object entry) {
    long base = seq & ~chunkMask;
    Chunk chunk = chunkAt(seq);
    if (chunk == null || chunk.base != base) {
      chunk = install(seq, base, chunk);
      if (chunk == null) {
        return false;
      }
    }
    SLOTS.setRelease(chunk.slots, (int) (seq - base), entry);
    return true;
  }

  /**
   * Installs a fresh chunk for {@code base} unless another publisher did; the table entry only ever
   * moves to newer bases.
   *
   * @return the chunk for {@code base}, or null if the entry already holds a newer one
   */
  private Chunk install(long seq, long base, Chunk current) {
    int i = tableIndex(seq);
    Chunk fresh = null;
    while (current == null || current.base < base) {
      if (fresh == null) {
        fresh = new Chunk(base, (int) chunkMask + 1);
      }
      Chunk witness = (Chunk) CHUNKS.compareAndExchange(chunks, i, current, fresh);
      if (witness == current) {
        return fresh;
      }
      current = witness;
    }
    return current.base == base ? current : null;
  }

  /** The chunk installed in the table entry of {@code seq}, of any lap; null if none yet. */
  Chunk chunkAt(long seq) {
    return (Chunk) CHUNKS.getAcquire(chunks, tableIndex(seq));
  }

  /** The base of the chunk {@code seq} belongs to. */
  long baseOf(long seq) {
    return seq & ~chunkMask;
  }

  /**
   * The entry of {@code seq} if its chunk is installed: an {@link Event}, {@link #HOLE}, or null
   * (not published yet, or its chunk was replaced or is not installed yet).
   */
  Object entry(long seq) {
    Chunk chunk = chunkAt(seq);
    return chunk != null && chunk.base == baseOf(seq) ? chunk.get(seq) : null;
  }

  private int tableIndex(long seq) {
    return (int) (seq >>> chunkShift) & tableMask;
  }

  /**
   * A reader announces it is about to park; it must then look for claimed seqs again before
   * parking, and call {@link #parkDone()} after.
   */
  void parking() {
    INTS.getAndAdd(parked, PAD_INTS, 1);
  }

  void parkDone() {
    INTS.getAndAdd(parked, PAD_INTS, -1);
  }

  /** Readers parked or about to park: publishers look at this after every publish. */
  public int parkedReaders() {
    return (int) INTS.getVolatile(parked, PAD_INTS);
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
