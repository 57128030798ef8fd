package io.rehoboam.core.events.internal;

import io.rehoboam.core.events.EventListener;
import io.rehoboam.core.events.EventSubscription;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.event.Event;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One subscription: a thread that follows the {@link EventRing} with its own cursor and hands
 * matching events to the listener.
 *
 * <p>Cursor rules: the chunk installed for the cursor's seq has the cursor's base: read the slot; a
 * non-null slot is the cursor's event (or a hole): deliver it; a null slot is not published yet:
 * wait. The installed chunk is of an older lap (or none): not published yet, wait. It is of a newer
 * lap, or the chunk being read was replaced and the slot is still empty: publishers lapped this
 * subscriber; skip ahead into the newer half of the ring and count the skipped seqs as dropped.
 *
 * <p>Events are read in batches: the counters are published once per batch, and a subscriber that
 * has caught up with the publishers waits a while before it looks at the ring again, instead of
 * reading the slot (and then the event) that a publisher on another core is still writing to: each
 * such look moves cache lines away from the publisher, which then waits for them. The wait adapts
 * to the event rate (see {@link #MIN_LOOK_NANOS}). After some time without events it yields, then
 * parks after announcing it in the ring's park count, which publishers read once per publish; only
 * a publisher that sees it unparks, so publishing costs no system call while the subscriber keeps
 * up.
 */
public final class RingSubscriber implements EventSubscription, Runnable {
  private static final Logger log = LoggerFactory.getLogger(RingSubscriber.class);

  /**
   * Bounds of the wait between two looks at the ring while caught up. It doubles while each look
   * finds a batch of at least {@link #STREAMING_BATCH} entries (publishers are going flat out:
   * fewer, larger batches cost them less) and halves when a look finds fewer than {@link
   * #SPARSE_BATCH} (events are sparse: look often, for latency) or more than an eighth of the ring
   * (so a fast stream cannot lap the subscriber while it waits). The upper bound is the most a
   * spinning subscriber adds to an event's latency.
   */
  static final long MIN_LOOK_NANOS = 256;

  static final long MAX_LOOK_NANOS = TimeUnit.MICROSECONDS.toNanos(8);
  private static final long FIRST_LOOK_NANOS = TimeUnit.MICROSECONDS.toNanos(1);
  private static final int STREAMING_BATCH = 16;
  private static final int SPARSE_BATCH = 4;

  /**
   * How long to keep looking before yielding and parking adapts too: it doubles when a park turns
   * out short (spinning a little longer would have avoided the park and the publisher's unpark
   * system call) and halves when it is long (events are sparse: park sooner, burn less CPU).
   */
  private static final long MIN_SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(4);

  private static final long MAX_SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(64);
  private static final int YIELDS = 4;
  private static final int MIN_LOOKS_BEFORE_YIELD = 4;
  private static final long SHORT_PARK_NANOS = TimeUnit.MICROSECONDS.toNanos(50);

  /**
   * How long to park when the awaited seq is claimed but its event is not visible yet: its
   * publisher may have looked for parked readers before this one announced itself, so it may not
   * wake us; the timeout bounds that wait.
   */
  private static final long IN_FLIGHT_PARK_NANOS = TimeUnit.MICROSECONDS.toNanos(100);

  private static final VarHandle INTS = MethodHandles.arrayElementVarHandle(int[].class);
  private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);

  /**
   * The park flag and the counters sit in the middle of padded arrays: publishers read the flag
   * when a reader is parked, this thread writes the counters after every batch, and neither may
   * share a cache line with the other or with anything else.
   */
  private static final int PAD = 32;

  private static final int PARKED = PAD;
  private static final int DELIVERED = PAD;
  private static final int FILTERED = PAD + 1;
  private static final int FAILED = PAD + 2;
  private static final int DROPPED = PAD + 3;

  private final String name;
  private final EventListener listener;
  private final Predicate<? super Event> filter;
  private final EventRing ring;
  private final AtomicLong busDropped;
  private final Consumer<RingSubscriber> onExit;
  private final io.rehoboam.core.events.EventBus.FailureListener failures;
  private final long firstSeq;
  private final int[] park = new int[2 * PAD + 1];
  private final long[] counters = new long[2 * PAD + 4];

  private volatile boolean closed;
  private volatile Thread thread;

  /** Idle-waiting state, used by this subscription's thread only. */
  private long lookNanos = FIRST_LOOK_NANOS;

  private long spinNanos = MIN_SPIN_NANOS;
  private final long bigBatch;
  private long idleSince;
  private int yields;

  /** Entries read since the last empty look; this thread only. */
  private long sinceEmpty;

  /** Counts of the current batch, not yet added to {@link #counters}; this thread only. */
  private long batchDelivered;

  private long batchFiltered;
  private long batchFailed;

  /**
   * @param filter null to take every event
   * @param busDropped the bus-wide drop counter, added to on every drop
   * @param onExit called on this subscription's thread just before it ends
   */
  public RingSubscriber(
      String name,
      EventListener listener,
      Predicate<? super Event> filter,
      EventRing ring,
      AtomicLong busDropped,
      Consumer<RingSubscriber> onExit) {
    this(
        name,
        listener,
        filter,
        ring,
        busDropped,
        onExit,
        io.rehoboam.core.events.EventBus.FailureListener.NONE);
  }

  /**
   * @param failures told of errors thrown by the listener or filter and of this thread dying
   */
  public RingSubscriber(
      String name,
      EventListener listener,
      Predicate<? super Event> filter,
      EventRing ring,
      AtomicLong busDropped,
      Consumer<RingSubscriber> onExit,
      io.rehoboam.core.events.EventBus.FailureListener failures) {
    this.failures = failures;
    this.name = name;
    this.listener = listener;
    this.filter = filter;
    this.ring = ring;
    this.busDropped = busDropped;
    this.onExit = onExit;
    this.bigBatch = Math.max(1, ring.capacity() / 8);
    // Starts after everything claimed so far: only later events reach a new subscriber.
    this.firstSeq = ring.lastSeq() + 1;
  }

  /** Creates the thread with the given factory and starts it. Call once. */
  public void start(ThreadFactory threads) {
    Thread t = threads.newThread(this);
    if (t == null) {
      throw RehoboamException.invalid("threads", "thread factory returned no thread");
    }
    t.setName(t.getName() + "-" + name);
    thread = t;
    t.start();
  }

  @Override
  public void run() {
    long cursor = firstSeq;
    EventRing.Chunk chunk = null;
    int idle = 0;
    try {
      while (!closed) {
        if (chunk == null || cursor - chunk.base >= chunk.slots.length) {
          EventRing.Chunk installed = ring.chunkAt(cursor);
          long base = ring.baseOf(cursor);
          if (installed != null && installed.base == base) {
            chunk = installed;
          } else if (installed != null && installed.base > base) {
            cursor = skipLapped(cursor);
            chunk = null;
            idle = 0;
            continue;
          } else if (cursor > ring.drainEnd()) {
            break;
          } else {
            idle = idle(idle, cursor);
            continue;
          }
        }
        long next = deliverBatch(chunk, cursor);
        if (next != cursor) {
          cursor = next;
          idle = 0;
          continue;
        }
        EventRing.Chunk installed = ring.chunkAt(cursor);
        if (installed != chunk && installed != null && installed.base > chunk.base) {
          // Replaced while this seq was still in flight: its publisher gave up, nothing will come.
          cursor = skipLapped(cursor);
          chunk = null;
          idle = 0;
        } else if (cursor > ring.drainEnd()) {
          break;
        } else {
          idle = idle(idle, cursor);
        }
      }
    } catch (Throwable e) { // the thread dies: say so, or the service looks alive but deaf
      reportDeath(e);
    } finally {
      flushCounts();
      closed = true;
      onExit.accept(this);
    }
  }

  private void reportDeath(Throwable e) {
    try {
      failures.deliveryDied(name, e);
    } catch (Throwable ignored) { // NOPMD: nothing more can be done on a dying thread
      // The failure listener must not throw; if it does, there is nobody left to tell.
    }
  }

  private void reportFailure(Throwable e) {
    if (e instanceof Error) {
      try {
        failures.listenerFailed(name, e);
      } catch (Throwable ignored) { // NOPMD: the subscription goes on
        // The failure listener must not throw.
      }
    }
  }

  /**
   * Delivers the published entries of the chunk from {@code cursor} on, up to the first empty slot
   * or the end of the chunk, then publishes the counts.
   *
   * @return the seq after the last entry delivered; {@code cursor} if its slot was empty
   */
  private long deliverBatch(EventRing.Chunk chunk, long cursor) {
    Object[] slots = chunk.slots;
    int i = (int) (cursor - chunk.base);
    int start = i;
    Object entry;
    while (i < slots.length && !closed && (entry = chunk.get(chunk.base + i)) != null) {
      i++;
      deliver(entry);
    }
    if (i != start) {
      sinceEmpty += i - start;
      flushCounts();
    }
    return chunk.base + i;
  }

  private void deliver(Object entry) {
    if (!(entry instanceof Event event)) {
      return; // a hole: the seq's event was never built
    }
    if (filter != null && !accepts(event)) {
      batchFiltered++;
      return;
    }
    try {
      listener.onEvent(event);
    } catch (Throwable e) { // a broken listener must not end the subscription
      batchFailed++;
      reportFailure(e);
      log.warn(
          "Listener of event subscription '{}' failed on {} event seq {}",
          name,
          event.type(),
          event.seq(),
          e);
    }
    batchDelivered++;
  }

  private boolean accepts(Event event) {
    try {
      return filter.test(event);
    } catch (Throwable e) { // a broken filter must not end the subscription
      batchFailed++;
      reportFailure(e);
      log.warn(
          "Filter of event subscription '{}' failed on {} event seq {}; event skipped",
          name,
          event.type(),
          event.seq(),
          e);
      return false;
    }
  }

  private void flushCounts() {
    if (batchDelivered != 0) {
      add(DELIVERED, batchDelivered);
      batchDelivered = 0;
    }
    if (batchFiltered != 0) {
      add(FILTERED, batchFiltered);
      batchFiltered = 0;
    }
    if (batchFailed != 0) {
      add(FAILED, batchFailed);
      batchFailed = 0;
    }
  }

  /**
   * Publishers are a whole ring ahead of the cursor: events from the cursor on are being
   * overwritten. Resuming at the very oldest seq would put the cursor where publishers replace
   * chunks next, so a subscriber slower than them would be overtaken again at once and spend its
   * time skipping; resuming half a ring behind the newest gives it that much slack.
   */
  private long skipLapped(long cursor) {
    long oldest = ring.lastSeq() - ring.capacity() + 1;
    long resume = Math.max(cursor + 1, oldest + ring.capacity() / 2);
    long lost = resume - cursor;
    add(DROPPED, lost);
    busDropped.addAndGet(lost);
    return resume;
  }

  /**
   * One step of waiting for the cursor's event: a timed spin before the next look, a yield, or a
   * park.
   *
   * @param idle empty looks so far in a row (0: the previous look found entries)
   * @return the new count
   */
  private int idle(int idle, long cursor) {
    long now = System.nanoTime();
    if (idle == 0) {
      adaptLook();
      idleSince = now;
      yields = 0;
    }
    // At least a few looks before yielding: a yield on a busy machine may give the core away for
    // milliseconds, so one empty look in a fast stream must not lead to it.
    if (now - idleSince < Math.max(spinNanos, MIN_LOOKS_BEFORE_YIELD * lookNanos)) {
      long until = now + lookNanos;
      do {
        Thread.onSpinWait();
      } while (System.nanoTime() - until < 0 && !closed);
      return idle + 1;
    }
    if (yields < YIELDS) {
      yields++;
      Thread.yield();
      return idle + 1;
    }
    // Handshake with publishers: raise the flag and announce it in the ring, then look at the
    // claim counter. Both sides use volatile accesses, so either we see the claim of the seq we
    // wait for, or its publisher (which reads the park count after claiming) sees our
    // announcement and unparks us.
    INTS.setVolatile(park, PARKED, 1);
    ring.parking();
    try {
      if (!closed && cursor <= ring.drainEnd()) {
        // A listener may have left the interrupt status set, which would make park return at once.
        Thread.interrupted();
        long parkedAt = System.nanoTime();
        if (ring.lastSeq() < cursor) {
          LockSupport.park(this);
        } else {
          LockSupport.parkNanos(this, IN_FLIGHT_PARK_NANOS);
        }
        spinNanos =
            System.nanoTime() - parkedAt < SHORT_PARK_NANOS
                ? Math.min(MAX_SPIN_NANOS, spinNanos * 2)
                : Math.max(MIN_SPIN_NANOS, spinNanos / 2);
      }
    } finally {
      ring.parkDone();
      INTS.setRelease(park, PARKED, 0);
    }
    return 0;
  }

  private void adaptLook() {
    long batch = sinceEmpty;
    sinceEmpty = 0;
    if (batch >= STREAMING_BATCH && batch <= bigBatch) {
      lookNanos = Math.min(MAX_LOOK_NANOS, lookNanos * 2);
    } else if (batch < SPARSE_BATCH || batch > bigBatch) {
      lookNanos = Math.max(MIN_LOOK_NANOS, lookNanos / 2);
    }
  }

  /**
   * Called by publishers that saw {@link EventRing#parkedReaders()} above zero; unparks this
   * subscriber only if it is parked.
   */
  public void wakeIfParked() {
    if ((int) INTS.getVolatile(park, PARKED) != 0 && INTS.compareAndSet(park, PARKED, 1, 0)) {
      LockSupport.unpark(thread);
    }
  }

  /** True while the thread has announced it is about to park or is parked. */
  public boolean isParked() {
    return (int) INTS.getVolatile(park, PARKED) != 0;
  }

  /** Unparks the thread unconditionally, so it re-reads the ring and its closed flag. */
  public void wake() {
    Thread t = thread;
    if (t != null) {
      LockSupport.unpark(t);
    }
  }

  /** Asks the thread to end after the listener call in progress, without waiting. */
  public void stop() {
    closed = true;
    wake();
  }

  /** True if this subscription's thread is the calling thread. */
  public boolean isOwnThread() {
    return thread == Thread.currentThread();
  }

  /** True while this subscription's thread has not ended. */
  public boolean isAlive() {
    Thread t = thread;
    return t != null && t.isAlive();
  }

  /** Interrupts the thread, to free a listener stuck in a blocking call. */
  public void interrupt() {
    Thread t = thread;
    if (t != null) {
      t.interrupt();
    }
  }

  /**
   * Waits up to {@code nanos} for the thread to end.
   *
   * @return true if it has ended
   */
  public boolean awaitExit(long nanos) throws InterruptedException {
    Thread t = thread;
    if (t == null) {
      return true;
    }
    if (nanos > 0) {
      TimeUnit.NANOSECONDS.timedJoin(t, nanos);
    }
    return !t.isAlive();
  }

  /** The thread's name, for logs. */
  public String threadName() {
    Thread t = thread;
    return t == null ? "(not started)" : t.getName();
  }

  @Override
  public void close() {
    stop();
    Thread t = thread;
    if (t == null || t == Thread.currentThread()) {
      return;
    }
    try {
      t.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public long delivered() {
    return get(DELIVERED);
  }

  @Override
  public long dropped() {
    return get(DROPPED);
  }

  @Override
  public long filtered() {
    return get(FILTERED);
  }

  @Override
  public long failed() {
    return get(FAILED);
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  /** Single writer (this subscription's thread), so a plain read plus a release store suffices. */
  private void add(int counter, long n) {
    LONGS.setRelease(counters, counter, (long) LONGS.get(counters, counter) + n);
  }

  private long get(int counter) {
    return (long) LONGS.getAcquire(counters, counter);
  }

  @Override
  public String toString() {
    return "EventSubscription["
        + name
        + ", delivered="
        + delivered()
        + ", filtered="
        + filtered()
        + ", dropped="
        + dropped()
        + ", failed="
        + failed()
        + (closed ? ", closed" : "")
        + "]";
  }
}
