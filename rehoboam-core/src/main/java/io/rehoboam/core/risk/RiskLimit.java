package io.rehoboam.core.risk;

import java.util.Locale;

/**
 * The limits of the risk policy that can refuse an execution or trip the kill switch; the wire name
 * ({@code kill_switch}, {@code max_trade_input}, ...) is the {@code limit} of risk events, errors
 * and metrics.
 */
public enum RiskLimit {
  /** The kill switch is on. */
  KILL_SWITCH,
  /** The net profit is not positive, or below {@code min_net_profit}. */
  MIN_NET_PROFIT,
  /** The input is worth more than {@code max_trade_input}. */
  MAX_TRADE_INPUT,
  /** {@code max_trades_per_minute} executions were allowed in the last minute. */
  MAX_TRADES_PER_MINUTE,
  /** Today's realized losses reached {@code daily_loss_limit} (trips the kill switch). */
  DAILY_LOSS_LIMIT;

  /** The lower-case name on the wire, for example {@code max_trade_input}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The wire name. */
  @Override
  public String toString() {
    return wireName();
  }
}
