package io.rehoboam.core.risk;

import io.rehoboam.core.events.EventBus;
import io.rehoboam.core.log.LogText;
import io.rehoboam.spi.event.RiskEvent;
import io.rehoboam.spi.trade.Opportunity;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stands between every opportunity and every trade: a kill switch (manual, and tripped by the daily
 * loss limit) that stops all execution until reset, a cap on each trade's input, a cap on trades
 * per sliding minute, and a minimum net profit. Every decision is published as a {@code risk} event
 * and logged.
 *
 * <p>Thread-safe: decisions are serialized, so two racing callers can never both take the last slot
 * of the per-minute budget.
 */
public final class RiskPolicy {
  private static final Logger log = LoggerFactory.getLogger(RiskPolicy.class);
  private static final Duration MINUTE = Duration.ofMinutes(1);

  private RiskLimits limits;
  private final Clock clock;
  private final EventBus events;
  private final Deque<Instant> recentTrades = new ArrayDeque<>();
  private boolean tripped;
  private String trippedReason;
  private KillSwitch killSwitch = KillSwitch.OFF;
  private String limitsChangedBy;
  private Instant limitsChangedAt;
  private java.util.function.Consumer<RiskControl> onControl = c -> {};
  private LocalDate lossDay;
  private BigDecimal lossToday = BigDecimal.ZERO;

  public RiskPolicy(RiskLimits limits, Clock clock, EventBus events) {
    this.limits = limits;
    this.clock = clock;
    this.events = events;
    if (limits.killSwitch()) {
      tripped = true;
      trippedReason = "kill switch on in the configuration";
      killSwitch =
          new KillSwitch(
              true,
              RiskLimit.KILL_SWITCH.wireName(),
              trippedReason,
              "configuration",
              clock.instant(),
              null,
              null);
    }
  }

  public synchronized RiskLimits limits() {
    return limits;
  }

  /**
   * Where every run-time change (limits, kill switch) is written before it is announced: the
   * service journals it so that a restart keeps it.
   */
  public synchronized void onControl(java.util.function.Consumer<RiskControl> sink) {
    this.onControl = sink;
  }

  /** Applies what an earlier run journalled: its limits and its kill switch. */
  public synchronized void restore(RiskControl control) {
    if (control.limits() != null) {
      limits = control.limits();
      limitsChangedBy = control.limitsChangedBy();
      limitsChangedAt = control.limitsChangedAt();
    }
    if (control.killSwitch() != null) {
      killSwitch = control.killSwitch();
      tripped = killSwitch.tripped();
      trippedReason = tripped ? killSwitch.reason() : null;
    }
  }

  /** The limits, the usage now and the kill switch. */
  public synchronized RiskState state() {
    pruneMinute();
    LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    return new RiskState(
        limits,
        recentTrades.size(),
        today.equals(lossDay) ? lossToday : BigDecimal.ZERO,
        killSwitch,
        limitsChangedBy,
        limitsChangedAt);
  }

  /**
   * Replaces the limits at run time (the kill switch is tripped and reset on its own, not here);
   * journalled, published as a {@code risk} event {@code limits_changed}.
   *
   * @param by who changes them, for the record
   */
  public synchronized RiskState changeLimits(RiskLimits newLimits, String by) {
    RiskLimits old = limits;
    limits =
        new RiskLimits(
            newLimits.maxTradeInput(),
            newLimits.maxTradesPerMinute(),
            newLimits.dailyLossLimit(),
            newLimits.minNetProfit(),
            old.killSwitch());
    limitsChangedBy = by;
    limitsChangedAt = clock.instant();
    persist();
    String message = "limits changed by " + by + ": " + describe(limits);
    log.warn("Risk {}", message);
    publish(null, RiskEvent.Decision.LIMITS_CHANGED, null, null, message);
    return state();
  }

  private static String describe(RiskLimits l) {
    return "max_trade_input="
        + plain(l.maxTradeInput())
        + ", max_trades_per_minute="
        + l.maxTradesPerMinute()
        + ", daily_loss_limit="
        + plain(l.dailyLossLimit())
        + ", min_net_profit="
        + plain(l.minNetProfit());
  }

  private static String plain(BigDecimal v) {
    return v == null ? "null" : v.toPlainString();
  }

  private void persist() {
    onControl.accept(
        new RiskControl(
            limitsChangedAt == null ? null : limits, limitsChangedBy, limitsChangedAt, killSwitch));
  }

  private void pruneMinute() {
    Instant cutoff = clock.instant().minus(MINUTE);
    while (!recentTrades.isEmpty() && !recentTrades.peekFirst().isAfter(cutoff)) {
      recentTrades.pollFirst();
    }
  }

  /**
   * Decides whether {@code opportunity} may be executed now, and when it may, takes its slot in the
   * per-minute budget.
   *
   * @param inputValue the quote value of the input, null when unknown (refused when a cap is set)
   * @param netProfitValue the quote value of the expected net profit, null when unknown
   */
  public synchronized RiskDecision evaluate(
      Opportunity opportunity, BigDecimal inputValue, BigDecimal netProfitValue, String botId) {
    RiskDecision decision = decide(opportunity, inputValue, netProfitValue);
    if (decision.allowed()) {
      recentTrades.addLast(clock.instant());
      publish(botId, RiskEvent.Decision.ALLOW, null, opportunity.id(), decision.message());
    } else {
      publish(
          botId, RiskEvent.Decision.REJECT, decision.limit(), opportunity.id(), decision.message());
    }
    return decision;
  }

  private RiskDecision decide(
      Opportunity opportunity, BigDecimal inputValue, BigDecimal netProfitValue) {
    if (tripped) {
      return RiskDecision.reject(RiskLimit.KILL_SWITCH, "kill switch is on: " + trippedReason);
    }
    if (opportunity.netProfit().signum() <= 0) {
      return RiskDecision.reject(
          RiskLimit.MIN_NET_PROFIT,
          "net profit " + opportunity.netProfit() + " base units is not positive");
    }
    if (limits.minNetProfit() != null && limits.minNetProfit().signum() > 0) {
      if (netProfitValue == null) {
        return RiskDecision.reject(
            RiskLimit.MIN_NET_PROFIT,
            "no quote price known to value the net profit against the minimum");
      }
      if (netProfitValue.compareTo(limits.minNetProfit()) < 0) {
        return RiskDecision.reject(
            RiskLimit.MIN_NET_PROFIT,
            "net profit "
                + netProfitValue.toPlainString()
                + " is below the minimum "
                + limits.minNetProfit().toPlainString());
      }
    }
    if (limits.maxTradeInput() != null) {
      if (inputValue == null) {
        return RiskDecision.reject(
            RiskLimit.MAX_TRADE_INPUT, "no quote price known to value the input against the cap");
      }
      if (inputValue.compareTo(limits.maxTradeInput()) > 0) {
        return RiskDecision.reject(
            RiskLimit.MAX_TRADE_INPUT,
            "input worth "
                + inputValue.toPlainString()
                + " exceeds the cap "
                + limits.maxTradeInput().toPlainString());
      }
    }
    if (limits.maxTradesPerMinute() != null) {
      pruneMinute();
      if (recentTrades.size() >= limits.maxTradesPerMinute()) {
        return RiskDecision.reject(
            RiskLimit.MAX_TRADES_PER_MINUTE,
            recentTrades.size()
                + " trades in the last minute reach the cap "
                + limits.maxTradesPerMinute());
      }
    }
    return RiskDecision.allow();
  }

  /**
   * Books the realized profit (negative: a loss) of a finished execution; losses beyond the daily
   * limit trip the kill switch.
   */
  public synchronized void recordRealized(BigDecimal realizedValue, String botId) {
    if (realizedValue == null || realizedValue.signum() >= 0) {
      return;
    }
    LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    if (!today.equals(lossDay)) {
      lossDay = today;
      lossToday = BigDecimal.ZERO;
    }
    lossToday = lossToday.add(realizedValue.negate());
    if (!tripped
        && limits.dailyLossLimit() != null
        && lossToday.compareTo(limits.dailyLossLimit()) >= 0) {
      tripInternal(
          RiskLimit.DAILY_LOSS_LIMIT,
          "realized losses today "
              + lossToday.toPlainString()
              + " reached the limit "
              + limits.dailyLossLimit().toPlainString(),
          botId,
          "risk_policy");
    }
  }

  /** Trips the kill switch by hand: every execution is refused until {@link #reset}. */
  public synchronized void trip(String reason) {
    trip(reason, "api");
  }

  /**
   * Trips the kill switch by hand: every execution is refused until {@link #reset}. Journalled, so
   * a restart keeps it tripped. Tripping a tripped switch changes nothing.
   *
   * @param by who trips it, for the record
   */
  public synchronized void trip(String reason, String by) {
    if (!tripped) {
      tripInternal(
          RiskLimit.KILL_SWITCH,
          reason == null || reason.isBlank() ? "tripped by hand" : reason,
          null,
          by == null || by.isBlank() ? "api" : by);
    }
  }

  private void tripInternal(RiskLimit limit, String reason, String botId, String by) {
    tripped = true;
    trippedReason = reason;
    killSwitch =
        new KillSwitch(
            true,
            limit.wireName(),
            reason,
            by,
            clock.instant(),
            killSwitch.resetBy(),
            killSwitch.resetAt());
    persist();
    log.warn(
        "Kill switch tripped ({}) by {}: {}", limit, LogText.escape(by), LogText.escape(reason));
    publish(botId, RiskEvent.Decision.TRIP, limit, null, reason + " (by " + by + ")");
  }

  /** Resets the kill switch (and today's loss tally, which tripped it). */
  public synchronized void reset(String reason) {
    reset(reason, "api");
  }

  /**
   * Resets the kill switch (and today's loss tally, which tripped it); journalled. Resetting a
   * switch that is not tripped changes nothing.
   *
   * @param by who resets it, for the record
   */
  public synchronized void reset(String reason, String by) {
    if (!tripped) {
      return;
    }
    String who = by == null || by.isBlank() ? "api" : by;
    tripped = false;
    trippedReason = null;
    lossToday = BigDecimal.ZERO;
    killSwitch = new KillSwitch(false, null, null, null, null, who, clock.instant());
    persist();
    String message = reason == null || reason.isBlank() ? "reset by hand" : reason;
    log.warn("Kill switch reset by {}: {}", LogText.escape(who), LogText.escape(message));
    publish(
        null, RiskEvent.Decision.RESET, RiskLimit.KILL_SWITCH, null, message + " (by " + who + ")");
  }

  public synchronized boolean isTripped() {
    return tripped;
  }

  public synchronized BigDecimal lossToday() {
    return lossToday;
  }

  private void publish(
      String botId, RiskEvent.Decision decision, RiskLimit limit, String subject, String message) {
    String wireLimit = limit == null ? null : limit.wireName();
    events.publish(
        (seq, at) -> new RiskEvent(seq, at, botId, decision, wireLimit, subject, message));
  }
}
