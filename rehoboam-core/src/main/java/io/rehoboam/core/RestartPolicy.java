package io.rehoboam.core;

import io.rehoboam.spi.Checks;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import java.time.Duration;
import java.util.Locale;

/**
 * How the supervisor treats a bot that fails or finishes, and how long it waits for it.
 *
 * @param mode when to restart: {@code never}, {@code on-failure} (default) or {@code always} (also
 *     after a normal completion)
 * @param maxRetries consecutive failed runs allowed before the bot goes to {@code error}; -1 =
 *     unlimited
 * @param initialBackoff delay before the first restart
 * @param maxBackoff cap of the exponential delay
 * @param multiplier growth of the delay per consecutive failure (at least 1)
 * @param jitter random spread of each delay, 0..1 (0.2 = up to 20% shorter or longer)
 * @param startSeconds how long a run must last to count as started; a run that fails sooner is a
 *     failed start, a run that lasts resets the backoff
 * @param heartbeatTimeout a running bot that neither heartbeats nor records activity for this long
 *     is failed; {@link Duration#ZERO} switches the check off
 * @param startTimeout how long {@code Bot.start()} may take
 * @param stopTimeout how long {@code Bot.stop()} may take before the bot is reported as not stopped
 *     in time
 * @param failureWindow the crash-loop window: more than {@code maxRetries} failed runs within it
 *     end in {@code error} even when each run lasted past {@code startSeconds} (as supervisord's
 *     {@code startretries} and systemd's {@code StartLimitBurst}); the backoff also grows with the
 *     failures in it
 */
public record RestartPolicy(
    Mode mode,
    int maxRetries,
    Duration initialBackoff,
    Duration maxBackoff,
    double multiplier,
    double jitter,
    Duration startSeconds,
    Duration heartbeatTimeout,
    Duration startTimeout,
    Duration stopTimeout,
    Duration failureWindow) {

  /** The default crash-loop window: ten minutes. */
  public static final Duration DEFAULT_FAILURE_WINDOW = Duration.ofMinutes(10);

  /** When a bot is restarted. */
  public enum Mode {
    NEVER,
    ON_FAILURE,
    ALWAYS;

    /** The configuration spelling: {@code never}, {@code on-failure}, {@code always}. */
    public String wireName() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Parses the configuration spelling (also accepts {@code on_failure}). */
    public static Mode parse(String text) {
      String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT).replace('_', '-');
      for (Mode m : values()) {
        if (m.wireName().equals(t)) {
          return m;
        }
      }
      throw new RehoboamException(
          ErrorCode.INVALID_CONFIG,
          "restart.policy: expected never, on-failure or always but was '" + text + "'");
    }
  }

  /**
   * on-failure, 5 retries, 1 s doubling to 60 s with 20% jitter, 5 s to count as started, no
   * heartbeat.
   */
  public static final RestartPolicy DEFAULT =
      new RestartPolicy(
          Mode.ON_FAILURE,
          5,
          Duration.ofSeconds(1),
          Duration.ofSeconds(60),
          2.0,
          0.2,
          Duration.ofSeconds(5),
          Duration.ZERO,
          Duration.ofSeconds(30),
          Duration.ofSeconds(10),
          DEFAULT_FAILURE_WINDOW);

  /** A policy with the default crash-loop window ({@link #DEFAULT_FAILURE_WINDOW}). */
  public RestartPolicy(
      Mode mode,
      int maxRetries,
      Duration initialBackoff,
      Duration maxBackoff,
      double multiplier,
      double jitter,
      Duration startSeconds,
      Duration heartbeatTimeout,
      Duration startTimeout,
      Duration stopTimeout) {
    this(
        mode,
        maxRetries,
        initialBackoff,
        maxBackoff,
        multiplier,
        jitter,
        startSeconds,
        heartbeatTimeout,
        startTimeout,
        stopTimeout,
        DEFAULT_FAILURE_WINDOW);
  }

  public RestartPolicy {
    Checks.notNull(mode, "restart.policy");
    Checks.check(maxRetries >= -1, "restart.max_retries", "must be -1 (unlimited) or more");
    positive(initialBackoff, "restart.backoff_initial");
    positive(maxBackoff, "restart.backoff_max");
    Checks.check(
        maxBackoff.compareTo(initialBackoff) >= 0,
        "restart.backoff_max",
        "must not be below restart.backoff_initial");
    Checks.check(
        multiplier >= 1.0 && multiplier <= 100, "restart.backoff_multiplier", "must be 1..100");
    Checks.check(jitter >= 0.0 && jitter <= 1.0, "restart.jitter", "must be 0..1");
    nonNegative(startSeconds, "restart.start_seconds");
    nonNegative(heartbeatTimeout, "restart.heartbeat_timeout");
    positive(startTimeout, "restart.start_timeout");
    positive(stopTimeout, "restart.stop_timeout");
    positive(failureWindow, "restart.failure_window");
  }

  private static void positive(Duration d, String field) {
    Checks.notNull(d, field);
    Checks.check(!d.isNegative() && !d.isZero(), field, "must be positive");
  }

  private static void nonNegative(Duration d, String field) {
    Checks.notNull(d, field);
    Checks.check(!d.isNegative(), field, "must not be negative");
  }

  public boolean unlimitedRetries() {
    return maxRetries < 0;
  }

  /**
   * The delay before restart number {@code attempt} (1 = first restart), without jitter: initial *
   * multiplier^(attempt-1), capped.
   */
  public Duration baseBackoff(int attempt) {
    double nanos = initialBackoff.toNanos() * Math.pow(multiplier, Math.max(0, attempt - 1));
    long capped = (long) Math.min(nanos, (double) maxBackoff.toNanos());
    return Duration.ofNanos(capped);
  }

  /**
   * The delay with jitter applied: {@code random} in [0,1) maps to a factor in [1-jitter,
   * 1+jitter), and the result never exceeds the cap.
   */
  public Duration backoff(int attempt, double random) {
    double factor = 1.0 + jitter * (2 * random - 1);
    long nanos = (long) (baseBackoff(attempt).toNanos() * factor);
    return Duration.ofNanos(Math.max(0, Math.min(nanos, maxBackoff.toNanos())));
  }

  public RestartPolicy withMode(Mode newMode) {
    return new RestartPolicy(
        newMode,
        maxRetries,
        initialBackoff,
        maxBackoff,
        multiplier,
        jitter,
        startSeconds,
        heartbeatTimeout,
        startTimeout,
        stopTimeout,
        failureWindow);
  }
}
