package io.rehoboam.core.risk;

import java.time.Instant;

/**
 * What an operator changed in the risk policy at run time, as journalled so that a restart keeps
 * it: limits that replace the configuration's (null: the configuration's) and the kill switch.
 */
public record RiskControl(
    RiskLimits limits, String limitsChangedBy, Instant limitsChangedAt, KillSwitch killSwitch) {}
