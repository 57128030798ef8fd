package io.rehoboam.core.bots;

import io.rehoboam.core.bots.internal.RealExecutorBot;
import io.rehoboam.core.bots.internal.RealExecutorConfig;
import io.rehoboam.spi.Bot;
import io.rehoboam.spi.BotContext;
import io.rehoboam.spi.BotProvider;
import io.rehoboam.spi.BotSpec;
import io.rehoboam.spi.Checks;
import io.rehoboam.spi.SettingsSchema;
import io.rehoboam.spi.Spi;

/**
 * Builds {@code real_executor} bots: each takes the opportunities published in the service (by any
 * bot) that its filter accepts and executes them through {@link BotContext#execute}, so that the
 * book, the once-per-opportunity rule and the risk policy apply exactly as for an API call. With
 * the {@code paper} executor the trades are applied to the sim market; the bot's {@code
 * total_profit} is the sum of the realized profits in the quote currency. Registered for discovery
 * in {@code META-INF/services}.
 *
 * <p>Settings (all optional) are declared in {@link RealExecutorConfig#SCHEMA}. Opportunities with
 * no positive {@code net_profit}, or already past their expiry, are never taken.
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
  public int spiVersion() {
    return Spi.VERSION;
  }

  @Override
  public SettingsSchema settingsSchema() {
    return RealExecutorConfig.SCHEMA.withCheck(
        (settings, env) -> RealExecutorConfig.from(settings));
  }

  @Override
  public Bot create(BotSpec spec, BotContext context) {
    Checks.notNull(spec, "spec");
    Checks.notNull(context, "context");
    return new RealExecutorBot(context, RealExecutorConfig.from(context.settings()));
  }
}
