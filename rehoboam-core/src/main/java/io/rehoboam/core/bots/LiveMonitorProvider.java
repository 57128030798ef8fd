package io.rehoboam.core.bots;

import io.rehoboam.core.bots.internal.LiveMonitorBot;
import io.rehoboam.core.bots.internal.LiveMonitorConfig;
import io.rehoboam.spi.Bot;
import io.rehoboam.spi.BotContext;
import io.rehoboam.spi.BotProvider;
import io.rehoboam.spi.BotSpec;
import io.rehoboam.spi.Checks;
import io.rehoboam.spi.SettingsSchema;
import io.rehoboam.spi.Spi;

/**
 * Builds {@code live_monitor} bots: each subscribes to market sources, feeds every update to an
 * incremental scan engine (one per source) and keeps the service's opportunity book equal to the
 * engines' books: a new opportunity is published ({@code opportunity.found}, counted in {@code
 * opportunities_found}); one that a later update invalidates is expired ({@code
 * opportunity.expired}, reason naming the pool and sequence); one that outlives its {@code ttl}
 * leaves the book through the service's expiry. Stopping the bot expires what it still has
 * published. Registered for discovery in {@code META-INF/services}.
 *
 * <p>Settings (all optional) are declared in {@link LiveMonitorConfig#SCHEMA}. Without {@code
 * start_tokens}, each source's native token (a sim market's WETH of every chain, else a token with
 * the symbol WETH, else mainnet WETH).
 *
 * <p>Prices: each source's quote prices are read once, when the bot starts, to value profits and
 * convert gas for the whole run. An unknown setting or a wrong value is refused at registration
 * with INVALID_CONFIG naming it; an unknown source id fails the start.
 *
 * <p>Threading: the source's delivery thread only parks each update; one task per source on the
 * context's blocking executor scans them, latest state first when it falls behind. The bot
 * heartbeats after every scanned batch of updates, so a heartbeat timeout detects a stalled source.
 */
public final class LiveMonitorProvider implements BotProvider {
  /** The type id. */
  public static final String TYPE = "live_monitor";

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
    return LiveMonitorConfig.SCHEMA.withCheck((settings, env) -> LiveMonitorConfig.from(settings));
  }

  @Override
  public Bot create(BotSpec spec, BotContext context) {
    Checks.notNull(spec, "spec");
    Checks.notNull(context, "context");
    return new LiveMonitorBot(context, LiveMonitorConfig.from(context.settings()));
  }
}
