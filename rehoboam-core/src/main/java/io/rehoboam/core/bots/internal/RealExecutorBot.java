package io.rehoboam.core.bots.internal;

import io.rehoboam.core.log.LogText;
import io.rehoboam.spi.Bot;
import io.rehoboam.spi.BotContext;
import io.rehoboam.spi.BotHealth;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.LogLevel;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.Subscription;
import io.rehoboam.spi.trade.Execution;
import io.rehoboam.spi.trade.ExecutionStatus;
import io.rehoboam.spi.trade.Opportunity;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code real_executor} bot: takes every published opportunity its filter accepts and executes
 * it through the service ({@link BotContext#execute}), so the book, once-per-opportunity and risk
 * rules apply exactly as for an API call. The executions' events and realized profits are counted
 * by the service.
 *
 * <p>Threading: opportunities arrive on the context's subscription thread. At most {@code
 * max_in_flight} executions run at once; an opportunity that arrives while all are busy is skipped
 * and counted, never queued.
 */
public final class RealExecutorBot implements Bot {
  private static final Logger log = LoggerFactory.getLogger(RealExecutorBot.class);
  private static final Duration HEARTBEAT = Duration.ofSeconds(1);

  /** What became of an opportunity the bot saw. */
  enum Outcome {
    EXECUTED("executed"),
    REVERTED("reverted"),
    FAILED("failed"),
    RISK_REJECTED("rejected by the risk policy"),
    MISSED("gone before execution (expired, unknown or already executed)"),
    BUSY("skipped while busy"),
    PACED("skipped at its own max_trades_per_minute"),
    FILTERED("filtered out");

    private final String text;

    Outcome(String text) {
      this.text = text;
    }
  }

  private final BotContext ctx;
  private final RealExecutorConfig config;
  private final Semaphore slots;
  private final Map<Outcome, AtomicLong> counts = new EnumMap<>(Outcome.class);
  private final java.util.ArrayDeque<java.time.Instant> sent = new java.util.ArrayDeque<>();
  private final io.rehoboam.core.risk.RejectionSummary refusals;
  private Subscription subscription;
  private ScheduledFuture<?> beat;

  public RealExecutorBot(BotContext ctx, RealExecutorConfig config) {
    this.ctx = ctx;
    this.config = config;
    this.slots = new Semaphore(config.maxInFlight());
    this.refusals =
        new io.rehoboam.core.risk.RejectionSummary(
            ctx.clock(), ctx.scheduler(), line -> ctx.log(LogLevel.INFO, line));
    for (Outcome o : Outcome.values()) {
      counts.put(o, new AtomicLong());
    }
  }

  @Override
  public void start() {
    refusals.open();
    subscription = ctx.onOpportunity(this::consider);
    // Opportunities may be rare: the bot says it is alive without them.
    long nanos = HEARTBEAT.toNanos();
    beat = ctx.scheduler().scheduleAtFixedRate(ctx::heartbeat, 0, nanos, TimeUnit.NANOSECONDS);
    ctx.log(
        LogLevel.INFO,
        "executing "
            + (config.strategies().isEmpty() ? "every strategy" : config.strategies().toString())
            + " through "
            + (config.executor() == null ? "the default executor" : config.executor())
            + ", at most "
            + config.maxInFlight()
            + " at a time");
  }

  @Override
  public void stop(Duration timeout) {
    if (subscription != null) {
      subscription.close();
    }
    if (beat != null) {
      beat.cancel(false);
    }
    refusals.close();
  }

  /** UP; the message counts what became of the opportunities seen. */
  @Override
  public BotHealth health() {
    StringBuilder sb = new StringBuilder();
    for (Outcome o : Outcome.values()) {
      if (sb.length() > 0) {
        sb.append(", ");
      }
      sb.append(o.text).append(' ').append(counts.get(o).get());
    }
    return new BotHealth(BotHealth.Status.UP, sb.toString());
  }

  private void consider(Opportunity o) {
    if (!accepts(o)) {
      counts.get(Outcome.FILTERED).incrementAndGet();
      return;
    }
    if (!slots.tryAcquire()) {
      count(Outcome.BUSY, o, "all " + config.maxInFlight() + " execution slots busy");
      return;
    }
    java.time.Instant place = takePace();
    if (place == null) {
      slots.release();
      counts.get(Outcome.PACED).incrementAndGet();
      return;
    }
    CompletionStage<Execution> stage;
    try {
      stage = ctx.execute(o.id(), amountFor(o), config.executor());
    } catch (RuntimeException e) {
      slots.release();
      count(Outcome.FAILED, o, String.valueOf(e.getMessage()));
      return;
    }
    stage.whenComplete(
        (execution, failure) -> {
          slots.release();
          if (failure == null) {
            finished(o, execution);
          } else if (refused(o, failure) == Outcome.MISSED) {
            // Gone before anything was sent: no trade, so no place in the pace.
            givePaceBack(place);
          }
        });
  }

  /**
   * Takes a place in the bot's own per-minute pace: the time it was taken, or null when the pace is
   * used up (without a pace, the time, kept nowhere).
   */
  private java.time.Instant takePace() {
    java.time.Instant now = ctx.clock().instant();
    if (config.maxTradesPerMinute() == 0) {
      return now;
    }
    synchronized (sent) {
      java.time.Instant cutoff = now.minus(Duration.ofMinutes(1));
      while (!sent.isEmpty() && !sent.peekFirst().isAfter(cutoff)) {
        sent.pollFirst();
      }
      if (sent.size() >= config.maxTradesPerMinute()) {
        return null;
      }
      sent.addLast(now);
      return now;
    }
  }

  /** Gives back a place taken at {@code at} (if it is still in the window). */
  private void givePaceBack(java.time.Instant at) {
    synchronized (sent) {
      sent.removeLastOccurrence(at);
    }
  }

  private boolean accepts(Opportunity o) {
    if (!config.strategies().isEmpty() && !config.strategies().contains(o.strategy())) {
      return false;
    }
    if (o.netProfit().signum() <= 0 || o.isExpired(ctx.clock().instant())) {
      return false;
    }
    BigDecimal value = o.netProfitUsd();
    return value == null
        ? config.minProfit().signum() == 0
        : value.compareTo(config.minProfit()) >= 0;
  }

  /** The opportunity's input, or less when it is worth more than {@code max_input}. */
  private BigInteger amountFor(Opportunity o) {
    if (config.maxInput() == null
        || o.profitUsd() == null
        || o.profitUsd().signum() <= 0
        || o.profit().signum() <= 0) {
      return null;
    }
    // The opportunity's own valuation gives the start token's price per base unit.
    BigDecimal perUnit = o.profitUsd().divide(new BigDecimal(o.profit()), MathContext.DECIMAL128);
    BigDecimal inputValue = perUnit.multiply(new BigDecimal(o.amountIn()));
    if (inputValue.compareTo(config.maxInput()) <= 0) {
      return null;
    }
    BigInteger capped =
        config
            .maxInput()
            .divide(perUnit, MathContext.DECIMAL128)
            .setScale(0, RoundingMode.FLOOR)
            .toBigInteger();
    return capped.signum() > 0 ? capped : BigInteger.ONE;
  }

  private void finished(Opportunity o, Execution execution) {
    ExecutionStatus status = execution.status();
    if (status == ExecutionStatus.REVERTED) {
      count(Outcome.REVERTED, o, execution.reason());
    } else if (status == ExecutionStatus.FAILED || status == ExecutionStatus.REJECTED) {
      count(Outcome.FAILED, o, execution.reason());
    } else {
      counts.get(Outcome.EXECUTED).incrementAndGet();
      log.debug(
          "Bot {} executed {}: {} realized {}",
          ctx.botId(),
          LogText.escape(o.id()),
          status,
          execution.realizedProfitUsd());
    }
  }

  /** Counts a refused execution; returns what it counted it as. */
  private Outcome refused(Opportunity o, Throwable failure) {
    Throwable cause = io.rehoboam.spi.Failures.cause(failure);
    ErrorCode code = cause instanceof RehoboamException re ? re.code() : ErrorCode.INTERNAL;
    Outcome outcome =
        switch (code) {
          case RISK_REJECTED -> Outcome.RISK_REJECTED;
          case EXPIRED, NOT_FOUND, ALREADY_EXECUTED -> Outcome.MISSED;
          default -> Outcome.FAILED;
        };
    count(outcome, o, String.valueOf(cause.getMessage()));
    return outcome;
  }

  /**
   * Counts an outcome; logs each at debug and only the 1st, 10th, 100th, ... of a kind to the bot's
   * log, so a stream of refusals cannot flood it.
   */
  private void count(Outcome outcome, Opportunity o, String reason) {
    long n = counts.get(outcome).incrementAndGet();
    log.debug(
        "Bot {}: opportunity {} {}: {}",
        ctx.botId(),
        LogText.escape(o.id()),
        outcome.text,
        LogText.escape(reason));
    if (outcome == Outcome.RISK_REJECTED) {
      // The first refusal of each minute, then a count per limit at the minute's end: never a
      // line per refusal.
      refusals.record(
          limitOf(reason), "opportunity " + o.id() + " " + outcome.text + ": " + reason);
      return;
    }
    if (isPowerOfTen(n)) {
      ctx.log(
          outcome == Outcome.FAILED ? LogLevel.WARN : LogLevel.INFO,
          n
              + (n == 1 ? " opportunity " : " opportunities ")
              + outcome.text
              + " so far; latest "
              + o.id()
              + ": "
              + reason);
    }
  }

  /** The limit named in a refusal's message ({@code rejected by risk limit <limit>: ...}). */
  static String limitOf(String reason) {
    String marker = "risk limit ";
    int at = reason == null ? -1 : reason.indexOf(marker);
    if (at < 0) {
      return "other";
    }
    int end = reason.indexOf(':', at);
    return end < 0 ? "other" : reason.substring(at + marker.length(), end);
  }

  private static boolean isPowerOfTen(long n) {
    while (n >= 10 && n % 10 == 0) {
      n /= 10;
    }
    return n == 1;
  }
}
