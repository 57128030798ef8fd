package io.rehoboam.core;

/**
 * Which bots this service may run. One service alone runs all of them ({@link #ALL}); a server of a
 * cluster runs only the bots whose lease it holds, and the others run on other servers: a start
 * asked of it is recorded as the bot's desired state for the owner to apply, and {@link
 * ArbitrageService#resume}/{@link ArbitrageService#suspend} start and stop a bot when it gains or
 * loses the lease.
 */
@FunctionalInterface
public interface BotOwnership {
  /** Every bot runs here. */
  BotOwnership ALL = botId -> true;

  /** Whether this service may run the bot now. */
  boolean owns(String botId);

  /**
   * The state of a bot this service does not run, as the server running it last reported it (shown
   * by {@link ArbitrageService#bots()} and {@link ArbitrageService#bot}); empty when not known, and
   * then the local state is shown.
   */
  default java.util.Optional<io.rehoboam.spi.event.BotState> stateElsewhere(String botId) {
    return java.util.Optional.empty();
  }
}
