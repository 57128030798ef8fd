package io.rehoboam.core.journal;

import io.rehoboam.core.BotRegistration;
import io.rehoboam.spi.Checks;
import io.rehoboam.spi.event.BotState;
import io.rehoboam.spi.trade.ExecutionStatus;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything the journal holds, as read at start-up.
 *
 * @param executions every journalled execution, oldest first
 * @param desiredStates each bot's last desired state set by a user ({@code RUNNING} or {@code
 *     STOPPED})
 * @param registrations the bots registered at run time (not from the configuration), in order
 * @param desiredSince when each desired state was recorded, where the journal knows it
 */
public record JournalState(
    List<JournalledExecution> executions,
    Map<String, BotState> desiredStates,
    List<BotRegistration> registrations,
    Map<String, Instant> desiredSince) {

  public JournalState {
    Checks.notNull(executions, "executions");
    Checks.notNull(desiredStates, "desired_states");
    Checks.notNull(registrations, "registrations");
    executions = List.copyOf(executions);
    desiredStates = Map.copyOf(desiredStates);
    registrations = List.copyOf(registrations);
    desiredSince = desiredSince == null ? Map.of() : Map.copyOf(desiredSince);
  }

  /** A state without the times of the desired states. */
  public JournalState(
      List<JournalledExecution> executions,
      Map<String, BotState> desiredStates,
      List<BotRegistration> registrations) {
    this(executions, desiredStates, registrations, Map.of());
  }

  public static JournalState empty() {
    return new JournalState(List.of(), Map.of(), List.of());
  }

  /**
   * Realized profit per bot in the quote currency: the sum over its finished executions with a
   * known quote value, losses of failed ones included (what {@code total_profit} counts, {@link
   * ExecutionStatus#booksRealized}).
   */
  public Map<String, BigDecimal> profitByBot() {
    Map<String, BigDecimal> out = new TreeMap<>();
    for (JournalledExecution e : executions) {
      var latest = e.latest();
      String bot = e.attempt().botId();
      if (bot != null
          && ExecutionStatus.booksRealized(latest.status(), latest.realizedProfitUsd())) {
        out.merge(bot, latest.realizedProfitUsd(), BigDecimal::add);
      }
    }
    return out;
  }

  /**
   * Realized losses (a positive number) of executions finished on {@code day} (UTC), what the daily
   * loss limit counts.
   */
  public BigDecimal lossOn(LocalDate day) {
    BigDecimal loss = BigDecimal.ZERO;
    for (JournalledExecution e : executions) {
      var latest = e.latest();
      if (latest.finishedAt() != null
          && latest.realizedProfitUsd() != null
          && latest.realizedProfitUsd().signum() < 0
          && LocalDate.ofInstant(latest.finishedAt(), ZoneOffset.UTC).equals(day)) {
        loss = loss.add(latest.realizedProfitUsd().negate());
      }
    }
    return loss;
  }
}
