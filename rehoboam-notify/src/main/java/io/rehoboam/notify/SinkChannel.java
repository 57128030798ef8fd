package io.rehoboam.notify;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One sink's delivery: notices that pass the sink's filters wait {@code batch_window} and go out
 * together as one message (the most severe lines first, at most {@code max_lines} of them, the rest
 * counted by kind), at most {@code rate_limit.messages} messages per {@code rate_limit.per}; a
 * burst of any size becomes a bounded number of messages that say how many notices they stand for.
 * A failed message is retried on 429, 5xx and network errors with a doubling backoff, waiting at
 * least the receiver's Retry-After; notices arriving meanwhile join the next message. Memory is
 * bounded: beyond {@value #MAX_KEPT} waiting notices only their counts are kept.
 */
final class SinkChannel {
  private static final Logger log = LoggerFactory.getLogger("io.rehoboam.notify");

  /** Waiting notices whose text is kept; beyond it only counts. */
  static final int MAX_KEPT = 200;

  /** The longest wait honoured from a Retry-After. */
  static final Duration MAX_RETRY_WAIT = Duration.ofHours(1);

  private final SinkSettings sink;
  private final Transport transport;
  private final ScheduledExecutorService timer;
  private final Clock clock;
  private final Redactor redactor;

  private final Deque<Notice> kept = new ArrayDeque<>();
  private final Map<NoticeKind, Integer> counts = new EnumMap<>(NoticeKind.class);
  private final Deque<Instant> sentAt = new ArrayDeque<>();
  private int waiting;
  private boolean busy;
  private boolean closed;
  private long messagesDelivered;
  private long messagesFailed;
  private volatile String lastFailure;

  SinkChannel(
      SinkSettings sink,
      Transport transport,
      ScheduledExecutorService timer,
      Clock clock,
      Redactor redactor) {
    this.sink = sink;
    this.transport = transport;
    this.timer = timer;
    this.clock = clock;
    this.redactor = redactor;
  }

  SinkSettings sink() {
    return sink;
  }

  /** Queues a notice if the sink's filters let it through. */
  void offer(Notice notice) {
    if (!sink.accepts(notice)) {
      return;
    }
    synchronized (this) {
      if (closed) {
        return;
      }
      waiting++;
      counts.merge(notice.kind(), 1, Integer::sum);
      if (kept.size() < MAX_KEPT) {
        kept.add(notice);
      }
      if (busy) {
        return;
      }
      busy = true;
    }
    later(this::flush, sink.batchWindow());
  }

  private void flush() {
    String text;
    synchronized (this) {
      if (waiting == 0 || closed) {
        busy = false;
        return;
      }
      Duration wait = rateWait();
      if (!wait.isZero()) {
        later(this::flush, wait);
        return;
      }
      text = compose();
      kept.clear();
      counts.clear();
      waiting = 0;
      sentAt.add(clock.instant());
    }
    attempt(text, 0);
  }

  /** How long until the rate limit allows another message. */
  private Duration rateWait() {
    Instant now = clock.instant();
    while (!sentAt.isEmpty() && !sentAt.peekFirst().plus(sink.per()).isAfter(now)) {
      sentAt.removeFirst();
    }
    if (sentAt.size() < sink.maxMessages()) {
      return Duration.ZERO;
    }
    return Duration.between(now, sentAt.peekFirst().plus(sink.per()));
  }

  private String compose() {
    if (waiting == 1 && kept.size() == 1) {
      return "Rehoboam " + kept.peekFirst().line();
    }
    List<Notice> lines = new ArrayList<>(kept);
    lines.sort(Comparator.comparing(Notice::severity).reversed());
    StringBuilder text = new StringBuilder();
    text.append("Rehoboam: ")
        .append(waiting)
        .append(" notifications (")
        .append(
            counts.entrySet().stream()
                .map(e -> e.getKey().wireName() + " " + e.getValue())
                .collect(Collectors.joining(", ")))
        .append(")");
    int shown = Math.min(lines.size(), sink.maxLines());
    for (int i = 0; i < shown; i++) {
      text.append('\n').append(lines.get(i).line());
    }
    if (waiting > shown) {
      text.append("\n… and ").append(waiting - shown).append(" more");
    }
    return text.toString();
  }

  private void attempt(String text, int attempt) {
    Transport.Outcome outcome;
    try {
      outcome = transport.send(text);
    } catch (RuntimeException e) {
      outcome = new Transport.Outcome(false, true, null, e.getClass().getSimpleName());
    }
    if (outcome.delivered()) {
      synchronized (this) {
        messagesDelivered++;
        lastFailure = null;
      }
      log.debug("Notification delivered to sink {}", sink.id());
      next();
      return;
    }
    String why = redactor.redact(outcome.failure());
    if (!outcome.retryable() || attempt >= sink.retries()) {
      synchronized (this) {
        messagesFailed++;
      }
      lastFailure = why;
      log.warn(
          "Notification to sink {} dropped after {} attempt(s): {}", sink.id(), attempt + 1, why);
      next();
      return;
    }
    Duration backoff = sink.retryBackoff().multipliedBy(1L << Math.min(attempt, 16));
    Duration delay =
        outcome.retryAfter() != null && outcome.retryAfter().compareTo(backoff) > 0
            ? outcome.retryAfter()
            : backoff;
    if (delay.compareTo(MAX_RETRY_WAIT) > 0) {
      delay = MAX_RETRY_WAIT;
    }
    lastFailure = why;
    log.info(
        "Notification to sink {} failed ({}); attempt {} in {} ms",
        sink.id(),
        why,
        attempt + 2,
        delay.toMillis());
    later(() -> attempt(text, attempt + 1), delay);
  }

  /** After a message: the notices that came meanwhile go next (the rate limit permitting). */
  private void next() {
    synchronized (this) {
      if (waiting == 0 || closed) {
        busy = false;
        return;
      }
    }
    later(this::flush, Duration.ZERO);
  }

  private void later(Runnable task, Duration delay) {
    try {
      timer.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      synchronized (this) {
        busy = false;
      }
    }
  }

  /** Messages delivered so far. */
  synchronized long messagesDelivered() {
    return messagesDelivered;
  }

  /** Messages given up on. */
  synchronized long messagesFailed() {
    return messagesFailed;
  }

  /** Why the last attempt failed (secrets masked), or null after a success. */
  String lastFailure() {
    return lastFailure;
  }

  /** Notices waiting for the next message. */
  synchronized int waiting() {
    return waiting;
  }

  synchronized void close() {
    closed = true;
  }
}
