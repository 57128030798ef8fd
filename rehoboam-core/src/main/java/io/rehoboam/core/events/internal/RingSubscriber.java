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
 * <p>Cursor rules: the slot holds the cursor's seq: deliver it. The slot holds an older seq (or
 * nothing): that seq is not published yet, wait. The slot holds a newer seq: publishers lapped this
 * subscriber; skip ahead into the newer half of the ring and count the skipped seqs as dropped.
 *
 * <p>Waiting spins briefly, then yields, then parks after raising a flag that publishers read once
 * per publish; only a publisher that sees the flag unparks, so publishing costs no system call
 * while the subscriber keeps up.
 */
public final class RingSubscriber implements EventSubscription, Runnable {
  private static final Logger log = LoggerFactory.getLogger(RingSubscriber.class);

  /**
   * Idle waiting adapts to the event rate. Each spin round pauses a few times before looking at the
   * slot again: a subscriber that has caught up would otherwise pull the slot's cache line away
   * from the publisher on every pause, slowing both; spaced looks let events accumulate and be read
   * in batches. The number of rounds before parking doubles when a park turns out short (spinning a
   * little longer would have avoided the park and the publisher's unpark system call) and halves
   * when it is long (events are sparse: park sooner, burn less CPU).
   */
  private static final int PAUSES_PER_ROUND = 8;

  private static final int MIN_SPIN_ROUNDS = 4;
  private static final int MAX_SPIN_ROUNDS = 256;
  private static final int YIELDS = 4;
  private static final long SHORT_PARK_NANOS = TimeUnit.MICROSECONDS.toNanos(50);

  private static final VarHandle INTS = MethodHandles.arrayElementVarHandle(int[].class);
  private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);

  /**
   * The park flag and the counters sit in the middle of padded arrays: publishers read the flag on
   * every publish, this thread writes the counters on every event, and neither may share a cache
   * line with the other or with anything else.
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
  private final long firstSeq;
  private final int[] park = new int[2 * PAD + 1];
  private final long[] counters = new long[2 * PAD + 4];

  private volatile boolean closed;
  private volatile Thread thread;

  /** Used by this subscription's thread only. */
  private int spinRounds = MIN_SPIN_ROUNDS;

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
    this.name = name;
    this.listener = listener;
    this.filter = filter;
    this.ring = ring;
    this.busDropped = busDropped;
    this.onExit = onExit;
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
    int idle = 0;
    try {
      while (!closed) {
        Object entry = ring.entry(cursor);
        long seq = EventRing.seqOf(entry);
        if (seq == cursor) {
          cursor++;
          idle = 0;
          deliver(entry);
        } else if (seq > cursor) {
          cursor = skipLapped(cursor);
          idle = 0;
        } else if (cursor > ring.drainEnd()) {
          break;
        } else {
          idle = idle(idle, cursor);
        }
      }
    } finally {
      closed = true;
      onExit.accept(this);
    }
  }

  private void deliver(Object entry) {
    if (!(entry instanceof Event event)) {
      return; // a hole: the seq's event was never built
    }
    if (filter != null && !accepts(event)) {
      add(FILTERED, 1);
      return;
    }
    try {
      listener.onEvent(event);
    } catch (Throwable e) { // a broken listener must not end the subscription
      add(FAILED, 1);
      log.warn(
          "Listener of event subscription '{}' failed on {} event seq {}",
          name,
          event.type(),
          event.seq(),
          e);
    }
    add(DELIVERED, 1);
  }

  private boolean accepts(Event event) {
    try {
      return filter.test(event);
    } catch (Throwable e) { // a broken filter must not end the subscription
      add(FAILED, 1);
      log.warn(
          "Filter of event subscription '{}' failed on {} event seq {}; event skipped",
          name,
          event.type(),
          event.seq(),
          e);
      return false;
    }
  }

  /**
   * The slot at the cursor already holds a seq at least one lap ahead: events from the cursor on
   * are being overwritten. Resuming at the very oldest seq would put the cursor on the slot
   * publishers write next, so a subscriber slower than them would be overtaken again at once and
   * spend its time skipping; resuming half a ring behind the newest gives it that much slack.
   */
  private long skipLapped(long cursor) {
    long oldest = ring.lastSeq() - ring.capacity() + 1;
    long resume = Math.max(cursor + 1, oldest + ring.capacity() / 2);
    long lost = resume - cursor;
    add(DROPPED, lost);
    busDropped.addAndGet(lost);
    return resume;
  }

  private int idle(int idle, long cursor) {
    if (idle < spinRounds) {
      for (int i = 0; i < PAUSES_PER_ROUND; i++) {
        Thread.onSpinWait();
      }
      return idle + 1;
    }
    if (idle < spinRounds + YIELDS) {
      Thread.yield();
      return idle + 1;
    }
    // Handshake with publishers: raise the flag, then look at the slot again. A publisher writes
    // the slot (full fence) before reading the flag, so either we see its event or it sees the
    // flag.
    INTS.setVolatile(park, PARKED, 1);
    if (EventRing.seqOf(ring.entryVolatile(cursor)) < cursor
        && !closed
        && cursor <= ring.drainEnd()) {
      // A listener may have left the interrupt status set, which would make park return at once.
      Thread.interrupted();
      long parkedAt = System.nanoTime();
      LockSupport.park(this);
      spinRounds =
          System.nanoTime() - parkedAt < SHORT_PARK_NANOS
              ? Math.min(MAX_SPIN_ROUNDS, spinRounds * 2)
              : Math.max(MIN_SPIN_ROUNDS, spinRounds / 2);
    }
    INTS.setRelease(park, PARKED, 0);
    return 0;
  }

  /** Called by publishers after each publish; unparks this subscriber only if it is parked. */
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
