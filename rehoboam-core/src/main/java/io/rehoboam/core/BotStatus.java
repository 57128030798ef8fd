package io.rehoboam.core;

import io.rehoboam.core.schedule.Schedule;
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
 * @param totalProfit the sum of realized profits in the quote currency (USD), at the fixed scale
 *     {@link #PROFIT_SCALE} (rounded half-even); JSON also shows it as {@code total_profit_usd}
 *     with {@code quote_currency}
 * @param errorMessage null unless something went wrong (secrets redacted)
 * @param restarts restarts the supervisor made since registration
 * @param desiredState what the user (or the bot's schedule) asked for: {@code RUNNING} or {@code
 *     STOPPED}
 * @param schedule when the bot runs, null if it has no schedule
 * @param nextStart when its schedule next opens, null without a schedule or if it never does
 * @param nextStop when its schedule next closes, null without a schedule or if it never does
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
    BotHealth health,
    Schedule schedule,
    Instant nextStart,
    Instant nextStop) {

  /** Decimal places of {@code total_profit}: micro-dollars. */
  public static final int PROFIT_SCALE = 6;

  /** The quote currency every quote value is in. */
  public static final String QUOTE_CURRENCY = "USD";

  public BotStatus {
    Checks.notBlank(botId, "bot_id");
    Checks.notNull(status, "status");
    Checks.notNull(totalProfit, "total_profit");
    totalProfit = totalProfit.setScale(PROFIT_SCALE, java.math.RoundingMode.HALF_EVEN);
    Checks.notNull(desiredState, "desired_state");
    Checks.notNull(health, "health");
  }

  /** A status of a bot without a schedule. */
  public BotStatus(
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
    this(
        botId,
        name,
        status,
        scriptPath,
        processId,
        startTime,
        lastActivity,
        opportunitiesFound,
        totalProfit,
        errorMessage,
        type,
        restarts,
        desiredState,
        health,
        null,
        null,
        null);
  }

  /** {@code total_profit} under a name that says its unit. */
  @com.fasterxml.jackson.annotation.JsonProperty("total_profit_usd")
  public BigDecimal totalProfitUsd() {
    return totalProfit;
  }

  /** The currency of {@code total_profit}: {@value #QUOTE_CURRENCY}. */
  @com.fasterxml.jackson.annotation.JsonProperty("quote_currency")
  public String quoteCurrency() {
    return QUOTE_CURRENCY;
  }
}
