package io.rehoboam.spi.event;

import io.rehoboam.spi.Checks;
import java.time.Instant;

/** An opportunity is no longer valid ({@code opportunity.expired}). */
public record OpportunityExpiredEvent(
    long seq, Instant at, String botId, String opportunityId, String reason) implements Event {
  public static final String TYPE = "opportunity.expired";

  public OpportunityExpiredEvent {
    Checks.notNull(at, "at");
    Checks.notBlank(opportunityId, "opportunity_id");
    reason = reason == null ? "" : reason;
  }

  @Override
  public String type() {
    return TYPE;
  }
}
