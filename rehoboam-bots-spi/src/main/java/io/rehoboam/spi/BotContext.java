package io.rehoboam.spi;

import io.rehoboam.spi.trade.Execution;
import io.rehoboam.spi.trade.Opportunity;
import java.math.BigInteger;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * The engine's side of one bot instance. All methods are thread-safe and never block on
 * subscribers. Calls made after the bot was stopped are ignored.
 */
public interface BotContext extends ProviderContext {

  /** The bot's id. */
  String botId();

  /** The bot's settings, merged from configuration, environment overrides and per-run overrides. */
  Settings settings();

  /**
   * Publishes a found opportunity: counts it, records activity and emits {@code opportunity.found}.
   */
  void publishOpportunity(Opportunity opportunity);

  /**
   * Publishes a found opportunity that {@code executorId} trades: an execution that names no
   * executor goes to that one (usually an executor this bot registered with {@link
   * #registerExecutor}).
   */
  void publishOpportunity(Opportunity opportunity, String executorId);

  /**
   * Registers an executor this bot owns with the engine, under {@link TradeExecutor#id()}, for this
   * run of the bot: executions reach it through the engine (risk policy, journal, once per
   * opportunity) like any configured executor. It is removed (not closed) when the run ends or the
   * subscription is closed; executions still in flight go on reporting through {@link
   * ProviderContext#executionUpdates()}.
   *
   * @throws RehoboamException ALREADY_EXISTS when an executor with that id is registered
   */
  Subscription registerExecutor(io.rehoboam.spi.trade.TradeExecutor executor);

  /** Publishes that an opportunity is no longer valid: emits {@code opportunity.expired}. */
  void expireOpportunity(String opportunityId, String reason);

  /**
   * Reports a status of an execution this bot made by itself (not through {@link #execute}), or a
   * later status of one the engine started: it goes through the engine like every execution. The
   * first status of a new execution is journalled before anyone is told (its opportunity then
   * counts as executed), every status is journalled, the final one's realized loss counts toward
   * the risk policy's daily loss limit, and it emits {@code execution}; a finished execution with a
   * realized profit adds its quote value to the bot's total profit. A status after the final one is
   * ignored.
   */
  void publishExecution(Execution execution);

  /**
   * Subscribes to every opportunity published in the service (by any bot), in publish order, on a
   * thread of the subscription's own. The subscription ends when closed or when this run of the bot
   * ends.
   */
  Subscription onOpportunity(Consumer<Opportunity> listener);

  /**
   * Executes an opportunity of the service's book through the service's risk policy and a trade
   * executor, exactly as an API call would. The stage fails with a {@link RehoboamException}
   * (NOT_FOUND, EXPIRED, ALREADY_EXECUTED, RISK_REJECTED) when the execution is refused.
   *
   * @param amountIn start-token base units, or null for the opportunity's own input
   * @param executorId the executor to use, or null for the service's default
   */
  CompletionStage<Execution> execute(String opportunityId, BigInteger amountIn, String executorId);

  /** Where the bot's measurements go (the engine's metrics); the default records nothing. */
  default BotMetrics metrics() {
    return BotMetrics.NONE;
  }

  /** Says the bot is alive; resets the heartbeat timeout. */
  void heartbeat();

  /** Records activity (updates {@code last_activity}) and counts as a heartbeat. */
  void recordActivity();

  /** Emits a {@code bot.log} event and logs the line. */
  void log(LogLevel level, String message);

  /**
   * Tells the engine the bot runs as an OS process: the command it runs ({@code script_path} in the
   * status) and its process id ({@code process_id}). Call again after the process changes; {@code
   * pid} -1 clears it.
   */
  void reportProcess(String commandLine, long pid);

  /**
   * Reports that the bot failed fatally while running (for example its process exited). The engine
   * stops the instance and applies the restart policy; the bot itself never restarts.
   */
  void reportFailure(String reason, Throwable cause);

  /**
   * Reports that the bot finished its work normally (for example its process exited with an
   * expected code). The engine moves it to stopped, or restarts it when the restart policy is
   * {@code always}.
   */
  void reportCompleted(String reason);
}
