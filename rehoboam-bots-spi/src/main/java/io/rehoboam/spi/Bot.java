package io.rehoboam.spi;

import java.time.Duration;
import java.util.Map;

/**
 * A running arbitrage bot. The engine owns its life cycle: it calls {@link #start()} once, later
 * {@link #stop(Duration)} once, and never reuses an instance (a restart builds a new one through
 * the provider).
 *
 * <p>Threading: {@code start} and {@code stop} are called from engine threads, never concurrently
 * with each other for one instance. {@code health} may be called at any time from any thread and
 * must not block.
 */
public interface Bot {

  /**
   * Starts the bot's work and returns once it runs. Long-running work belongs on the context's
   * scheduler or blocking executor, not on the calling thread. Throwing counts as a failed start.
   */
  void start() throws Exception;

  /**
   * Stops the bot's work and releases what it holds, within {@code timeout}. The engine does not
   * wait longer than the timeout: a bot that overruns it is reported as not stopped in time.
   */
  void stop(Duration timeout) throws Exception;

  /**
   * Handles a command sent through the service (for example from the API). Called from any thread
   * while the bot runs; must not block. The default refuses every command.
   *
   * @param type the command's name, for example {@code reload}
   * @param payload the command's arguments (JSON-like values), never null
   * @throws RehoboamException INVALID_ARGUMENT when the bot does not know the command
   */
  default void command(String type, Map<String, Object> payload) {
    throw new RehoboamException(
        ErrorCode.INVALID_ARGUMENT, "command: this bot accepts no commands (got '" + type + "')");
  }

  /** The bot's own health; the default says UP. */
  default BotHealth health() {
    return BotHealth.up();
  }
}
