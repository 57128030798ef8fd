package io.rehoboam.core.risk;

import java.time.Instant;

/**
 * The kill switch's state.
 *
 * @param tripped whether every execution is refused
 * @param limit what tripped it: {@code kill_switch} (by hand or in the configuration) or {@code
 *     daily_loss_limit}; null when not tripped
 * @param reason why, null when not tripped
 * @param by who tripped it (an API key id, {@code anonymous}, {@code configuration}, {@code
 *     risk_policy} for the daily loss limit, or what an embedding application passed); null when
 *     not tripped
 * @param at when it was tripped, null when not tripped
 * @param resetBy who last reset it, null when never reset
 * @param resetAt when it was last reset, null when never reset
 */
public record KillSwitch(
    boolean tripped,
    String limit,
    String reason,
    String by,
    Instant at,
    String resetBy,
    Instant resetAt) {

  public static final KillSwitch OFF = new KillSwitch(false, null, null, null, null, null, null);
}
