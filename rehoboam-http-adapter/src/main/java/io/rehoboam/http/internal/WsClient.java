package io.rehoboam.http.internal;

import java.util.ArrayDeque;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket connection's outgoing side: a bounded queue of text messages sent one at a time,
 * each after the previous one was handed to the network. A client that lets more than {@code
 * maxQueue} messages pile up is closed with a reason (and cut off if it does not even read the
 * close), so it never slows the service or the other clients.
 *
 * <p>Thread-safe: messages are offered from the event thread, the heartbeat timer and command
 * completions; sending continues on Jetty's callback threads.
 */
public final class WsClient {
  private static final Logger log = LoggerFactory.getLogger(WsClient.class);

  /** WebSocket close codes (RFC 6455). */
  public static final int GOING_AWAY = 1001;

  public static final int POLICY_VIOLATION = 1008;

  private final String id;
  private final Session session;
  private final Principal principal;
  private final String address;
  private final int maxQueue;
  private final long maxQueueBytes;
  private int replayAllowance;
  private long replayAllowanceBytes;
  private long queuedBytes;
  private final ScheduledExecutorService timer;
  private final long closeTimeoutMillis;
  private final SocketAbort abort;
  private final Object lock = new Object();
  private final ArrayDeque<String> queue = new ArrayDeque<>();
  private volatile Topics topics;
  private boolean sending;
  private boolean closing;
  private boolean closeSent;
  private volatile boolean disconnected;
  private int closeCode;
  private String closeReason;

  public WsClient(
      String id,
      Session session,
      Principal principal,
      String address,
      Topics topics,
      int maxQueue,
      long maxQueueBytes,
      ScheduledExecutorService timer,
      long closeTimeoutMillis,
      SocketAbort abort) {
    this.id = id;
    this.session = session;
    this.principal = principal;
    this.address = address;
    this.topics = topics;
    this.maxQueue = maxQueue;
    this.maxQueueBytes = maxQueueBytes;
    this.timer = timer;
    this.closeTimeoutMillis = closeTimeoutMillis;
    this.abort = abort;
  }

  public String id() {
    return id;
  }

  public Topics topics() {
    return topics;
  }

  /** Who authenticated at the upgrade. */
  public Principal principal() {
    return principal;
  }

  /** The client's address. */
  public String address() {
    return address;
  }

  public void topics(Topics newTopics) {
    this.topics = newTopics;
  }

  /**
   * Queues a message. Returns true when the caller must call {@link #drain()} (outside of any lock
   * it holds) to get sending going.
   */
  public boolean enqueue(String message) {
    synchronized (lock) {
      if (closing) {
        return false;
      }
      boolean fits =
          queue.size() < maxQueue + replayAllowance
              && (queue.isEmpty()
                  || queuedBytes + message.length() <= maxQueueBytes + replayAllowanceBytes);
      if (fits) {
        queue.add(message);
        queuedBytes += message.length();
        if (sending) {
          return false;
        }
        sending = true;
        return true;
      }
    }
    close(
        POLICY_VIOLATION,
        "too slow: more than "
            + maxQueue
            + " messages or "
            + maxQueueBytes
            + " bytes waiting (server.ws.max_queue, max_queue_bytes)",
        false);
    return false;
  }

  /**
   * Makes room for {@code messages} replayed at connect on top of {@code max_queue}: a client
   * catching up after a reconnect is not too slow for it.
   */
  public void allowReplay(int messages, long bytes) {
    synchronized (lock) {
      replayAllowance = messages;
      replayAllowanceBytes = bytes;
    }
  }

  /** Queues a message and sends it when nothing else is on the way. */
  public void send(String message) {
    if (enqueue(message)) {
      drain();
    }
  }

  /** Sends queued messages until the queue is empty or a send has to wait for the network. */
  public void drain() {
    for (; ; ) {
      String next;
      boolean closeNow = false;
      synchronized (lock) {
        next = queue.poll();
        if (next != null) {
          queuedBytes -= next.length();
        }
        if (next == null) {
          sending = false;
          if (closing && !closeSent) {
            closeSent = true;
            closeNow = true;
          }
        }
      }
      if (next == null) {
        if (closeNow) {
          closeSession();
        }
        return;
      }
      SendCallback callback = new SendCallback();
      try {
        session.sendText(next, callback);
      } catch (RuntimeException e) {
        callback.fail(e);
        return;
      }
      if (!callback.returned()) {
        return; // the callback drains on when the network took the message
      }
    }
  }

  /**
   * Closes the connection with a code and reason; takes no more messages. With {@code flush} the
   * messages already queued are sent first, otherwise they are dropped (the close frame still
   * follows what was already handed to the network). A client that has not completed the close
   * within the close timeout is cut off. Idempotent.
   */
  public void close(int code, String reason, boolean flush) {
    boolean closeNow;
    synchronized (lock) {
      if (closing) {
        return;
      }
      closing = true;
      closeCode = code;
      closeReason = reason;
      if (!flush) {
        queue.clear();
        queuedBytes = 0;
      }
      closeNow = !flush || !sending;
      closeSent = closeNow;
    }
    log.info("Closing WebSocket client {}: {} {}", id, code, reason);
    if (closeNow) {
      closeSession();
    }
    try {
      timer.schedule(this::cutOff, closeTimeoutMillis, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      cutOff(); // the timer is gone: the adapter is closing anyway
    }
  }

  private void closeSession() {
    try {
      session.close(closeCode, closeReason, Callback.NOOP);
    } catch (RuntimeException e) {
      log.debug("Closing WebSocket client {} failed", id, e);
    }
  }

  /**
   * Cuts the connection if the close handshake has not ended by now. Not {@code session.isOpen()}:
   * that turns false as soon as our close frame is queued, while the socket (and what is queued for
   * it) stays until the client answers or the idle timeout passes.
   */
  private void cutOff() {
    if (!disconnected) {
      log.info("WebSocket client {} did not complete the close in time; disconnecting", id);
      if (!abort.abort(session.getRemoteSocketAddress())) {
        session.disconnect();
      }
    }
  }

  /** The connection is gone (closed or failed): called by the hub from Jetty's close callback. */
  public void disconnected() {
    disconnected = true;
  }

  /**
   * Knows whether the send completed before {@code sendText} returned (then the loop in {@link
   * #drain()} continues, without recursion) or later (then the callback continues draining).
   */
  private final class SendCallback implements Callback {
    private static final int PENDING = 0;
    private static final int RETURNED = 1;
    private static final int DONE = 2;
    private final AtomicInteger state = new AtomicInteger(PENDING);

    /** Called once sendText returned; true when the send already completed. */
    boolean returned() {
      return !state.compareAndSet(PENDING, RETURNED);
    }

    @Override
    public void succeed() {
      if (!state.compareAndSet(PENDING, DONE)) {
        drain();
      }
    }

    @Override
    public void fail(Throwable failure) {
      state.set(DONE);
      log.debug("Sending to WebSocket client {} failed: {}", id, failure.toString());
      synchronized (lock) {
        closing = true;
        closeSent = true;
        sending = false;
        queue.clear();
        queuedBytes = 0;
      }
      if (session.isOpen()) {
        session.disconnect();
      }
    }
  }
}
