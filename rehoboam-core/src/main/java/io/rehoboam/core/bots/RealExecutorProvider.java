package io.rehoboam.core.bots;

import io.rehoboam.core.bots.internal.RealExecutorBot;
import io.rehoboam.core.bots.internal.RealExecutorConfig;
import io.rehoboam.spi.Bot;
import io.rehoboam.spi.BotContext;
import io.rehoboam.spi.BotProvider;
import io.rehoboam.spi.BotSpec;
import io.rehoboam.spi.Checks;

/**
 * Builds {@code real_executor} bots: each takes the opportunities published in the service (by any
 * bot) that its filter accepts and executes them through {@link BotContext#execute}, so that the
 * book, the once-per-opportunity rule and the risk policy apply exactly as for an API call. With
 * the {@code paper} executor the trades are applied to the sim market; the bot's {@code
 * total_profit} is the sum of the realized profits in the quote currency. Registered for discovery
 * in {@code META-INF/services}.
 *
 * <p>Settings (all optional):
 *
 * <ul>
 *   <li>{@code executor} (executor id, default the service's default executor).
 *   <li>{@code strategies} (list, default all): only opportunities of these strategies.
 *   <li>{@code min_profit} (decimal, quote currency, default 0): only opportunities whose {@code
 *       net_profit_usd} is at least this; without a quote value only when this is 0. Opportunities
 *       with no positive {@code net_profit}, or already past their expiry, are never taken.
 *   <li>{@code max_in_flight} (integer 1..1024, default 1): executions at a time; opportunities
 *       arriving while all are busy are skipped (and counted), never queued.
 *   <li>{@code max_trades_per_minute} (integer, default 0 = none): the bot's own pace; it sends at
 *       most this many executions in any sliding minute and skips the rest, so that it leaves room
 *       under the risk policy's shared {@code max_trades_per_minute} for other bots and callers.
 *   <li>{@code max_input} (decimal, quote currency, default unset): puts at most this much into one
 *       execution (less than the opportunity's optimal input, valued at the opportunity's own
 *       prices).
 * </ul>
 *
 * <p>Refusals (risk policy, expired, already executed) and reverts are counted in the bot's health
 * message and logged at debug; the bot's log gets the 1st, 10th, 100th, ... of each kind only.
 */
public final class RealExecutorProvider implements BotProvider {
  /** The type id. */
  public static final String TYPE = "real_executor";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Bot create(BotSpec spec, BotContext context) {
    Checks.notNull(spec, "spec");
    Checks.notNull(context, "context");
    return new RealExecutorBot(context, RealExecutorConfig.from(context.settings()));
  }
}
