package io.rehoboam.spi.event;

import io.rehoboam.spi.Checks;
import io.rehoboam.spi.trade.Opportunity;
import java.time.Instant;

/** A new opportunity ({@code opportunity.found}). */
public record OpportunityFoundEvent(long seq, Instant at, String botId, Opportunity opportunity)
    implements Event {
  public static final String TYPE = "opportunity.found";

  public OpportunityFoundEvent {
    Checks.notNull(at, "at");
    Checks.notNull(opportunity, "opportunity");
  }

  @Override
  public String type() {
    return TYPE;
  }
}
