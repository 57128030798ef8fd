package io.rehoboam.core;

import io.rehoboam.spi.BotHealth;
import io.rehoboam.spi.Checks;
import io.rehoboam.spi.event.BotState;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * A snapshot of one bot: the original service's ten status fields plus what Rehoboam adds.
 *
 * @param scriptPath the command line for process bots, null otherwise
 * @param processId the OS pid for process bots, null otherwise
 * @param startTime when the current (or last) run started, null before the first
 * @param lastActivity when the bot last published, heartbeated or recorded activity, null before
 *     the first
 * @param totalProfit the sum of realized profits in the quote currency
 * @param errorMessage null unless something went wrong (secrets redacted)
 * @param restarts restarts the supervisor made since registration
 * @param desiredState what the user asked for: {@code RUNNING} or {@code STOPPED}
 */
public record BotStatus(
    String botId,
    String name,
    BotState status,
    String scriptPath,
    Long processId,
    Instant startTime,
    Instant lastActivity,
    long opportunitiesFound,
    BigDecimal totalProfit,
    String errorMessage,
    String type,
    int restarts,
    BotState desiredState,
    BotHealth health) {

  public BotStatus {
    Checks.notBlank(botId, "bot_id");
    Checks.notNull(status, "status");
    Checks.notNull(totalProfit, "total_profit");
    Checks.notNull(desiredState, "desired_state");
    Checks.notNull(health, "health");
  }
}
