package io.rehoboam.backtest.engine;

import java.time.Instant;

/** An execution the risk policy refused: when, for which bot and opportunity, by which limit. */
public record RiskRejection(
    Instant at, String botId, String opportunityId, String limit, String message) {}
