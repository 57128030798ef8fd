package io.rehoboam.core.risk;

/**
 * What the risk policy said about one execution.
 *
 * @param limit the limit that refused it, null when allowed (its {@link RiskLimit#toString()} is
 *     the wire name, {@code kill_switch}, {@code max_trade_input}, ...)
 */
public record RiskDecision(boolean allowed, RiskLimit limit, String message) {
  public static RiskDecision allow() {
    return new RiskDecision(true, null, "allowed");
  }

  public static RiskDecision reject(RiskLimit limit, String message) {
    return new RiskDecision(false, limit, message);
  }
}
