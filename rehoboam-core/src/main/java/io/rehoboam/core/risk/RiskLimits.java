package io.rehoboam.core.risk;

import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.Settings;
import java.math.BigDecimal;
import java.util.Set;
import java.util.TreeSet;

/**
 * The limits the risk policy enforces, all in the quote currency unless the name says otherwise. A
 * null limit is off.
 *
 * @param maxTradeInput the most one trade may put in, valued in the quote currency
 * @param maxTradesPerMinute the most executions allowed in any sliding 60 seconds
 * @param dailyLossLimit realized losses (UTC day) at which the kill switch trips
 * @param minNetProfit the least net profit an opportunity must show at execution time
 * @param killSwitch whether the kill switch starts tripped
 */
public record RiskLimits(
    BigDecimal maxTradeInput,
    Integer maxTradesPerMinute,
    BigDecimal dailyLossLimit,
    BigDecimal minNetProfit,
    boolean killSwitch) {

  /** The keys of the {@code risk} configuration section. */
  public static final Set<String> KEYS =
      Set.of(
          "max_trade_input",
          "max_trades_per_minute",
          "daily_loss_limit",
          "min_net_profit",
          "kill_switch");

  /**
   * Cautious defaults: 10 000 per trade, 60 trades a minute, trip at 1 000 of daily losses, any
   * positive net profit.
   */
  public static final RiskLimits DEFAULT =
      new RiskLimits(new BigDecimal("10000"), 60, new BigDecimal("1000"), BigDecimal.ZERO, false);

  /** No limits at all (for tests and benchmarks that measure something else). */
  public static final RiskLimits NONE = new RiskLimits(null, null, null, null, false);

  public RiskLimits {
    positiveOrNull(maxTradeInput, "risk.max_trade_input");
    if (maxTradesPerMinute != null && maxTradesPerMinute < 0) {
      throw RehoboamException.invalid("risk.max_trades_per_minute", "must not be negative");
    }
    positiveOrNull(dailyLossLimit, "risk.daily_loss_limit");
    if (minNetProfit != null && minNetProfit.signum() < 0) {
      throw RehoboamException.invalid("risk.min_net_profit", "must not be negative");
    }
  }

  /** The keys {@link #with} takes: every limit but the kill switch, which has its own commands. */
  public static final java.util.List<String> CHANGEABLE =
      java.util.List.of(
          "max_trade_input", "max_trades_per_minute", "daily_loss_limit", "min_net_profit");

  /**
   * These limits with some changed: each key of {@code changes} (one of {@link #CHANGEABLE}) takes
   * its value, a number (or a decimal string), or null to switch that limit off.
   *
   * @throws RehoboamException INVALID_ARGUMENT naming the key (unknown key, wrong type, value out
   *     of range, no change given)
   */
  public RiskLimits with(java.util.Map<String, ?> changes) {
    if (changes == null || changes.isEmpty()) {
      throw RehoboamException.invalid(
          "limits", "give at least one of " + String.join(", ", CHANGEABLE));
    }
    for (String key : changes.keySet()) {
      if (!CHANGEABLE.contains(key)) {
        throw RehoboamException.invalid(
            key, "not a limit that can be changed (known: " + String.join(", ", CHANGEABLE) + ")");
      }
    }
    BigDecimal input =
        changes.containsKey("max_trade_input")
            ? decimal(changes, "max_trade_input")
            : maxTradeInput;
    Integer perMinute = maxTradesPerMinute;
    if (changes.containsKey("max_trades_per_minute")) {
      BigDecimal d = decimal(changes, "max_trades_per_minute");
      try {
        perMinute = d == null ? null : d.intValueExact();
      } catch (ArithmeticException e) {
        throw RehoboamException.invalid(
            "max_trades_per_minute", "expected a whole number but was " + d.toPlainString());
      }
    }
    BigDecimal loss =
        changes.containsKey("daily_loss_limit")
            ? decimal(changes, "daily_loss_limit")
            : dailyLossLimit;
    BigDecimal minNet =
        changes.containsKey("min_net_profit") ? decimal(changes, "min_net_profit") : minNetProfit;
    try {
      return new RiskLimits(input, perMinute, loss, minNet, killSwitch);
    } catch (RehoboamException e) {
      // The record names fields risk.<key>; a caller changing them names them plainly.
      String message =
          e.getMessage().startsWith("risk.") ? e.getMessage().substring(5) : e.getMessage();
      throw new RehoboamException(ErrorCode.INVALID_ARGUMENT, message, e);
    }
  }

  private static BigDecimal decimal(java.util.Map<String, ?> changes, String key) {
    Object v = changes.get(key);
    if (v == null) {
      return null;
    }
    if (v instanceof Number || v instanceof String) {
      try {
        return new BigDecimal(v.toString().trim());
      } catch (NumberFormatException e) {
        // reported below
      }
    }
    throw RehoboamException.invalid(key, "expected a number or null but was " + describe(v));
  }

  private static String describe(Object v) {
    String text = v instanceof String ? "'" + v + "'" : String.valueOf(v);
    return text.length() > 40 ? text.substring(0, 40) + "..." : text;
  }

  private static void positiveOrNull(BigDecimal value, String field) {
    if (value != null && value.signum() <= 0) {
      throw RehoboamException.invalid(field, "must be positive");
    }
  }

  /**
   * Reads the {@code risk} section; missing keys keep their defaults, unknown keys and wrong types
   * are errors naming the source and the key.
   */
  public static RiskLimits from(Settings section, String source) {
    TreeSet<String> unknown = new TreeSet<>(section.names());
    unknown.removeAll(KEYS);
    if (!unknown.isEmpty()) {
      throw new RehoboamException(
          ErrorCode.INVALID_CONFIG,
          source
              + ": risk: unknown key '"
              + unknown.first()
              + "' (known: "
              + new TreeSet<>(KEYS)
              + ")");
    }
    try {
      return new RiskLimits(
          section.decimal("max_trade_input", DEFAULT.maxTradeInput()),
          section.has("max_trades_per_minute")
              ? section.intValue("max_trades_per_minute", 0)
              : DEFAULT.maxTradesPerMinute(),
          section.decimal("daily_loss_limit", DEFAULT.dailyLossLimit()),
          section.decimal("min_net_profit", DEFAULT.minNetProfit()),
          section.bool("kill_switch", DEFAULT.killSwitch()));
    } catch (RehoboamException e) {
      String message =
          e.getMessage().startsWith("risk.") ? e.getMessage() : "risk." + e.getMessage();
      throw new RehoboamException(ErrorCode.INVALID_CONFIG, source + ": " + message, e);
    }
  }
}
