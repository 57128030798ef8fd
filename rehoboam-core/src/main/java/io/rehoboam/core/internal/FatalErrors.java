package io.rehoboam.core.internal;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What left a service unable to do its work, which only a restart repairs: an {@link
 * OutOfMemoryError} seen on one of its threads ({@code memory}), a thread that delivers events
 * dying ({@code events}). The first of each kind is kept; the service's liveness fails from then
 * on. Thread-safe.
 */
public final class FatalErrors {
  private static final Logger log = LoggerFactory.getLogger(FatalErrors.class);

  private final Clock clock;
  private final Map<String, String> problems = new LinkedHashMap<>();

  public FatalErrors(Clock clock) {
    this.clock = clock;
  }

  /** Records {@code error} when it is fatal to the service (an OutOfMemoryError). */
  public void seen(String where, Throwable error) {
    Throwable t = error;
    for (int depth = 0; t != null && depth < 10; depth++, t = t.getCause()) {
      if (t instanceof OutOfMemoryError) {
        record("memory", "OutOfMemoryError in " + where + " at " + clock.instant());
        return;
      }
    }
  }

  /** Records that the thread delivering events to {@code subscription} died. */
  public void deliveryDied(String subscription, Throwable error) {
    seen("event delivery to '" + subscription + "'", error);
    record(
        "events",
        "the thread delivering events to '"
            + subscription
            + "' died at "
            + clock.instant()
            + ": "
            + (error == null ? "no error" : error.getClass().getName()));
  }

  /** The fatal problems by kind, empty while the service is fine. */
  public synchronized Map<String, String> problems() {
    return Map.copyOf(problems);
  }

  private void record(String kind, String message) {
    boolean first;
    synchronized (this) {
      first = problems.putIfAbsent(kind, message) == null;
    }
    if (first) {
      try {
        log.error("The service is no longer live: {}", message);
      } catch (Throwable ignored) { // NOPMD: logging may fail for want of memory; it is recorded
        // The problem is recorded; health checks report it.
      }
    }
  }
}
