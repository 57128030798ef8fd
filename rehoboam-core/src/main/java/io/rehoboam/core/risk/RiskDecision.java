package io.rehoboam.core.risk;

/**
 * What the risk policy said about one execution.
 *
 * @param limit the limit that refused it ({@code kill_switch}, {@code max_trade_input}, ...), null
 *     when allowed
 */
public record RiskDecision(boolean allowed, String limit, String message) {
  public static RiskDecision allow() {
    return new RiskDecision(true, null, "allowed");
  }

  public static RiskDecision reject(String limit, String message) {
    return new RiskDecision(false, limit, message);
  }
}
