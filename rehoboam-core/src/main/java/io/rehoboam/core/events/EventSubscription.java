package io.rehoboam.core.events;

import io.rehoboam.spi.Subscription;

/**
 * One listener's registration on an {@link EventBus}, with its own thread and its own backlog of at
 * most the bus capacity.
 *
 * <p>Overflow policy, drop-oldest: when publishers get a full ring ahead of this subscriber, it
 * gives up the oldest undelivered events and resumes in the newer half of the ring, so it keeps
 * receiving recent events and has half a ring of slack before it could be overtaken again. The
 * skipped events are counted in {@link #dropped()} and in {@link EventBus#totalDropped()}.
 *
 * <p>Every event published while the subscription is open ends up in exactly one of {@link
 * #delivered()}, {@link #filtered()} or {@link #dropped()} once the subscription has caught up (a
 * dropped range may also cover seqs whose publish failed). All counters are safe to read from any
 * thread.
 */
public interface EventSubscription extends Subscription {

  /** The name given at subscribe time; used in logs and in the thread name. */
  String name();

  /** Events handed to the listener whose call has returned, normally or by throwing. */
  long delivered();

  /** Events lost to overflow for this subscriber (drop-oldest). */
  long dropped();

  /** Events the filter rejected, or whose filter call threw. */
  long filtered();

  /** Listener or filter calls that threw; each is logged and the event skipped. */
  long failed();

  /**
   * True once {@link #close()} was called or the bus closed this subscription. The listener may
   * still be finishing its current event when close was called from another thread that was
   * interrupted while waiting.
   */
  boolean isClosed();

  /**
   * Unsubscribes. After it returns the listener is not called again and the subscription's thread
   * has ended; a listener call in progress is waited for. Called from within the listener it
   * returns at once, and the listener is not called again after the current call. If the calling
   * thread is interrupted while waiting, returns early with its interrupt status set (the listener
   * is still not called for any further event once its current call returns). Closing twice is
   * harmless.
   */
  @Override
  void close();
}
