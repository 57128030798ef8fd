package io.rehoboam.spi.event;

import java.time.Instant;

/**
 * A service event. Every event has a global, strictly increasing {@link #seq()}, a {@link #type()}
 * from the contract's list and a timestamp; {@link #botId()} is set when the event concerns one
 * bot.
 */
public sealed interface Event
    permits BotStatusEvent,
        BotSettingsEvent,
        OpportunityFoundEvent,
        OpportunityExpiredEvent,
        ExecutionEvent,
        MonitoringSnapshotEvent,
        BotLogEvent,
        RiskEvent,
        SystemEvent,
        AnalysisEvent {

  long seq();

  /** One of {@code bot.status}, {@code opportunity.found}, ... as in the contract. */
  String type();

  Instant at();

  /** The bot the event concerns, or null. */
  String botId();
}
