package io.rehoboam.notify;

import java.time.Duration;

/** Sends one message's text to a sink. Blocking; called from one thread at a time. */
interface Transport {

  /** How an attempt went. */
  record Outcome(boolean delivered, boolean retryable, Duration retryAfter, String failure) {
    static final Outcome DELIVERED = new Outcome(true, false, null, null);

    static Outcome from(HttpPost.Response r) {
      if (r.ok()) {
        return DELIVERED;
      }
      return new Outcome(
          false,
          r.retryable(),
          r.retryAfter(),
          r.failure() != null ? r.failure() : "HTTP " + r.status());
    }
  }

  Outcome send(String text);
}
