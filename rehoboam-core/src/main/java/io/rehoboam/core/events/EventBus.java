package io.rehoboam.core.events;

import io.rehoboam.core.events.internal.EventRing;
import io.rehoboam.core.events.internal.RingSubscriber;
import io.rehoboam.spi.Checks;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.event.Event;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's event bus: publishers append events to one broadcast ring of {@code capacity}
 * slots; every subscription follows the ring on its own thread with its own cursor.
 *
 * <ul>
 *   <li>Every event gets a global seq (1, 2, 3, ... in claim order) and the bus clock's instant.
 *   <li>Publishing never waits for subscribers. A subscriber more than {@code capacity} events
 *       behind loses the oldest ones (drop-oldest), counted in its {@link
 *       EventSubscription#dropped()} and in {@link #totalDropped()}.
 *   <li>Each subscriber receives events in strictly increasing seq order, so the events of one bot
 *       arrive in the order they were published; gaps only where dropped or filtered.
 *   <li>The filter and the listener run on the subscription's thread; one that throws is logged
 *       (slf4j) and the event skipped.
 * </ul>
 *
 * <p>Thread-safe. A publish is one atomic claim and one release store; it never takes a lock. The
 * ring keeps references to at least the last {@code capacity} events and at most {@code 2 *
 * capacity} (it replaces them a chunk at a time). A subscriber that has caught up looks for new
 * events every 0.25 to 8 microseconds depending on the event rate, and parks when there are none
 * for a while; a parked one is woken by the next publish. Timeouts (drain, stop) are measured with
 * {@link System#nanoTime()}; the clock only stamps events.
 */
public final class EventBus implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EventBus.class);

  private static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(5);

  /** How long a subscriber told to stop may take to return from its listener, twice over. */
  private static final long STOP_GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);

  private static final int MAX_CAPACITY = 1 << 30;
  private static final RingSubscriber[] NONE = {};

  /**
   * Told of failures on subscription threads that may leave the service half-alive: a listener or
   * filter that threw an {@link Error} (an OutOfMemoryError, say), a delivery thread that died.
   * Called on the failing thread; must not throw.
   */
  public interface FailureListener {
    /** A listener or filter threw {@code error}; the subscription goes on. */
    void listenerFailed(String subscription, Throwable error);

    /** The thread delivering to {@code subscription} died of {@code error}; it delivers no more. */
    void deliveryDied(String subscription, Throwable error);

    FailureListener NONE =
        new FailureListener() {
          @Override
          public void listenerFailed(String subscription, Throwable error) {}

          @Override
          public void deliveryDied(String subscription, Throwable error) {}
        };
  }

  private final EventRing ring;
  private final FailureListener failures;
  private final ThreadFactory threads;
  private final Clock clock;
  private final AtomicLong totalDropped = new AtomicLong();
  private final Object lock = new Object();
  private final CountDownLatch closeDone = new CountDownLatch(1);

  /** Copy-on-write; publishers read it to wake parked subscribers. */
  private volatile RingSubscriber[] subscribers = NONE;

  private volatile boolean closing;

  /** The subscriptions the first close stopped. Guarded by {@link #lock}. */
  private RingSubscriber[] closedSubscribers = NONE;

  /**
   * @param capacity slots of the ring: how far a subscriber may fall behind before it loses the
   *     oldest events; a power of two from 2 to 2^30
   * @param threads makes one thread per subscription (the thread name gets the subscription name
   *     appended)
   * @param clock stamps every event
   * @throws RehoboamException {@link ErrorCode#INVALID_ARGUMENT} naming the bad argument
   */
  public EventBus(int capacity, ThreadFactory threads, Clock clock) {
    this(capacity, threads, clock, FailureListener.NONE);
  }

  /**
   * A bus that tells {@code failures} of errors on its subscription threads.
   *
   * @see #EventBus(int, ThreadFactory, Clock)
   */
  public EventBus(int capacity, ThreadFactory threads, Clock clock, FailureListener failures) {
    this.failures = Checks.notNull(failures, "failures");
    Checks.check(
        capacity >= 2 && capacity <= MAX_CAPACITY && Integer.bitCount(capacity) == 1,
        "capacity",
        "must be a power of two from 2 to " + MAX_CAPACITY + ", was " + capacity);
    this.threads = Checks.notNull(threads, "threads");
    this.clock = Checks.notNull(clock, "clock");
    this.ring = new EventRing(capacity);
  }

  /**
   * Claims the next global seq, builds the event with it (the factory receives the seq and the
   * clock's instant, on the calling thread) and makes it visible to all subscribers. Never waits
   * for subscribers.
   *
   * @return the event, or null if the bus is closed (counted in {@link #rejectedAfterClose()})
   * @throws RehoboamException {@link ErrorCode#INVALID_ARGUMENT} if the factory is null, returns
   *     null or returns an event with another seq; whatever the factory throws is rethrown. In
   *     these cases the seq is skipped by every subscriber.
   */
  public <E extends Event> E publish(SeqEventFactory<E> factory) {
    Checks.notNull(factory, "factory");
    long seq = ring.claim();
    if (seq < 0) {
      return null;
    }
    E event;
    try {
      event = factory.create(seq, clock.instant());
    } catch (Throwable e) { // subscribers wait for this seq: release it whatever happened
      abandon(seq);
      throw e;
    }
    if (event == null || event.seq() != seq) {
      abandon(seq);
      throw RehoboamException.invalid(
          "factory",
          event == null
              ? "returned null for seq " + seq
              : "returned an event with seq " + event.seq() + " for assigned seq " + seq);
    }
    ring.put(seq, event);
    wakeParked();
    return event;
  }

  private void abandon(long seq) {
    ring.abandon(seq);
    wakeParked();
  }

  /**
   * One read of the ring's park count while every subscriber keeps up; the list is only walked when
   * one is parked or about to park. Done even when the put lost its slot to a newer lap, so that a
   * subscriber waiting for this seq is woken to notice.
   */
  private void wakeParked() {
    if (ring.parkedReaders() != 0) {
      for (RingSubscriber s : subscribers) {
        s.wakeIfParked();
      }
    }
  }

  /**
   * Subscribes a listener to every event published after this method returns.
   *
   * @see #subscribe(String, EventListener, Predicate)
   */
  public EventSubscription subscribe(String name, EventListener listener) {
    Checks.notBlank(name, "name");
    Checks.notNull(listener, "listener");
    return register(name, listener, null);
  }

  /**
   * Subscribes a listener to the events published after this method returns that match the filter.
   * Starts one thread from the bus's thread factory; {@link EventSubscription#close()} ends it.
   *
   * @param name names the subscription in logs and in its thread name
   * @param filter runs on the subscription's thread; a filter that throws skips the event
   * @throws RehoboamException {@link ErrorCode#INVALID_ARGUMENT} for a blank name or a null
   *     listener or filter; {@link ErrorCode#SHUTTING_DOWN} once the bus is closing
   */
  public EventSubscription subscribe(
      String name, EventListener listener, Predicate<? super Event> filter) {
    Checks.notBlank(name, "name");
    Checks.notNull(listener, "listener");
    Checks.notNull(filter, "filter");
    return register(name, listener, filter);
  }

  private EventSubscription register(
      String name, EventListener listener, Predicate<? super Event> filter) {
    synchronized (lock) {
      if (closing) {
        throw new RehoboamException(
            ErrorCode.SHUTTING_DOWN, "event bus: closed; cannot subscribe '" + name + "'");
      }
      RingSubscriber s =
          new RingSubscriber(
              name, listener, filter, ring, totalDropped, this::unregister, failures);
      // Listed before its thread starts, so no publish after this point can miss waking it.
      subscribers = with(subscribers, s);
      try {
        s.start(threads);
      } catch (RuntimeException | Error e) {
        subscribers = without(subscribers, s);
        throw e;
      }
      return s;
    }
  }

  private void unregister(RingSubscriber s) {
    synchronized (lock) {
      subscribers = without(subscribers, s);
    }
  }

  /** The ring size: how far a subscriber may fall behind before it loses events. */
  public int capacity() {
    return ring.capacity();
  }

  /** The highest seq assigned so far; 0 before the first publish. */
  public long lastSeq() {
    return ring.lastSeq();
  }

  /** Events lost to overflow, summed over all subscribers past and present. */
  public long totalDropped() {
    return totalDropped.get();
  }

  /** Publish calls refused because the bus was closed. */
  public long rejectedAfterClose() {
    return ring.rejected();
  }

  /** True once {@link #close(Duration)} has started: publish returns null from then on. */
  public boolean isClosed() {
    return closing;
  }

  /** Number of open subscriptions. */
  public int subscriberCount() {
    return subscribers.length;
  }

  /** {@code close(Duration.ofSeconds(5))}. */
  @Override
  public void close() {
    close(DEFAULT_DRAIN_TIMEOUT);
  }

  /**
   * Stops taking events, lets every subscriber deliver what was already published (bounded by
   * {@code drainTimeout}), then stops and joins every thread it started. A subscriber still busy at
   * the deadline is told to stop after its current event; one whose listener has not returned a
   * second later is interrupted, and one that ignores that for another second is logged and left
   * behind (its listener is then never called again).
   *
   * <p>Idempotent: a second call waits for the first to finish, except from a subscription's own
   * thread, which returns at once. Called from a listener, close stops that listener's subscription
   * after its current event without draining it and cannot join its thread; a later close from
   * another thread waits (up to its own {@code drainTimeout}) for that thread too. If the calling
   * thread is interrupted, subscribers are told to stop and the call returns early with the
   * interrupt status set.
   *
   * @param drainTimeout how long to wait for subscribers to catch up; not negative
   */
  public void close(Duration drainTimeout) {
    Checks.notNull(drainTimeout, "drainTimeout");
    Checks.check(!drainTimeout.isNegative(), "drainTimeout", "must not be negative");
    RingSubscriber[] subs;
    long lastSeq = -1;
    synchronized (lock) {
      if (!closing) {
        // Sealed before the flag is raised: once isClosed() is true, publish returns null.
        lastSeq = ring.seal();
        closing = true;
        closedSubscribers = subscribers;
      }
      subs = closedSubscribers;
    }
    if (lastSeq < 0) {
      awaitFirstClose(subs, nanos(drainTimeout));
      return;
    }
    try {
      shutDown(subs, lastSeq, nanos(drainTimeout));
    } finally {
      closeDone.countDown();
    }
  }

  private void awaitFirstClose(RingSubscriber[] subs, long timeoutNanos) {
    for (RingSubscriber s : subs) {
      if (s.isOwnThread()) {
        return;
      }
    }
    try {
      closeDone.await();
      // A close called from a listener cannot join its own thread; that thread ends as soon as
      // the listener returns, and this later close waits for it.
      long start = System.nanoTime();
      for (RingSubscriber s : subs) {
        s.awaitExit(Math.max(0, timeoutNanos - (System.nanoTime() - start)));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void shutDown(RingSubscriber[] subs, long lastSeq, long drainNanos) {
    for (RingSubscriber s : subs) {
      if (s.isOwnThread()) {
        s.stop(); // it cannot drain while its listener is busy closing the bus
      } else {
        s.wake(); // a parked subscriber must see the seal
      }
    }
    try {
      long start = System.nanoTime();
      List<RingSubscriber> late = new ArrayList<>();
      for (RingSubscriber s : subs) {
        if (!s.isOwnThread()
            && !s.awaitExit(Math.max(0, drainNanos - (System.nanoTime() - start)))) {
          late.add(s);
        }
      }
      for (RingSubscriber s : late) {
        log.warn(
            "Event subscription '{}' did not drain to seq {} within {} ms; stopping it ({})",
            s.name(),
            lastSeq,
            TimeUnit.NANOSECONDS.toMillis(drainNanos),
            s);
        s.stop();
      }
      late = stillAlive(late);
      for (RingSubscriber s : late) {
        log.warn("Event subscription '{}': listener still busy; interrupting it", s.name());
        s.interrupt();
      }
      for (RingSubscriber s : stillAlive(late)) {
        log.error(
            "Event subscription '{}': listener does not return; thread {} left running,"
                + " it will not be called again",
            s.name(),
            s.threadName());
      }
    } catch (InterruptedException e) {
      for (RingSubscriber s : subs) {
        s.stop();
      }
      Thread.currentThread().interrupt();
    }
  }

  private static List<RingSubscriber> stillAlive(List<RingSubscriber> subs)
      throws InterruptedException {
    long start = System.nanoTime();
    List<RingSubscriber> alive = new ArrayList<>();
    for (RingSubscriber s : subs) {
      if (!s.awaitExit(Math.max(0, STOP_GRACE_NANOS - (System.nanoTime() - start)))) {
        alive.add(s);
      }
    }
    return alive;
  }

  private static long nanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  private static RingSubscriber[] with(RingSubscriber[] subs, RingSubscriber s) {
    RingSubscriber[] copy = Arrays.copyOf(subs, subs.length + 1);
    copy[subs.length] = s;
    return copy;
  }

  private static RingSubscriber[] without(RingSubscriber[] subs, RingSubscriber s) {
    for (int i = 0; i < subs.length; i++) {
      if (subs[i] == s) {
        RingSubscriber[] copy = new RingSubscriber[subs.length - 1];
        System.arraycopy(subs, 0, copy, 0, i);
        System.arraycopy(subs, i + 1, copy, i, subs.length - i - 1);
        return copy;
      }
    }
    return subs;
  }

  @Override
  public String toString() {
    return "EventBus[capacity="
        + ring.capacity()
        + ", lastSeq="
        + lastSeq()
        + ", subscribers="
        + subscribers.length
        + ", totalDropped="
        + totalDropped()
        + (closing ? ", closed" : "")
        + "]";
  }
}
