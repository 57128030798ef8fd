package io.rehoboam.core.bots;

import io.rehoboam.core.bots.internal.LiveMonitorBot;
import io.rehoboam.core.bots.internal.LiveMonitorConfig;
import io.rehoboam.spi.Bot;
import io.rehoboam.spi.BotContext;
import io.rehoboam.spi.BotProvider;
import io.rehoboam.spi.BotSpec;
import io.rehoboam.spi.Checks;

/**
 * Builds {@code live_monitor} bots: each subscribes to market sources, feeds every update to an
 * incremental scan engine (one per source) and keeps the service's opportunity book equal to the
 * engines' books: a new opportunity is published ({@code opportunity.found}, counted in {@code
 * opportunities_found}); one that a later update invalidates is expired ({@code
 * opportunity.expired}, reason naming the pool and sequence); one that outlives its {@code ttl}
 * leaves the book through the service's expiry. Stopping the bot expires what it still has
 * published. Registered for discovery in {@code META-INF/services}.
 *
 * <p>Settings (all optional):
 *
 * <ul>
 *   <li>{@code sources} (list of source ids, default all of the service's sources).
 *   <li>{@code strategies} (list, default {@code [cross_venue, cyclic]}).
 *   <li>{@code min_profit} (decimal, quote currency, default unset): the least {@code
 *       net_profit_usd}; when set, opportunities without a quote value are left out.
 *   <li>{@code min_profit_base_units} (integer, default 1): the least {@code net_profit} in
 *       start-token base units.
 *   <li>{@code gas_price_gwei} (decimal, default 0), {@code gas_per_leg} (default 100000), {@code
 *       gas_per_tx} (default 21000): gas cost {@code (gas_per_tx + legs * gas_per_leg) * gas_price}
 *       in the native token, converted into the start token.
 *   <li>{@code ttl} (duration, default {@code 30s}): how long a published opportunity is valid.
 *   <li>{@code max_cycle_length} (3 or 4, default 3).
 *   <li>{@code max_per_pair} (integer 1..1000, default 1): opportunities published per token pair
 *       ({@code cyclic}: per start token and route): the most profitable, then the next most
 *       profitable sharing no pool with those before it, so that everything published for a pair
 *       can be executed side by side.
 *   <li>{@code start_tokens} (list of addresses, default each source's native token: a sim market's
 *       WETH of every chain, else a token with the symbol WETH, else mainnet WETH).
 * </ul>
 *
 * <p>Prices: each source's quote prices are read once, when the bot starts, to value profits and
 * convert gas for the whole run. Unknown settings are logged and ignored; a wrong value or an
 * unknown source id fails the start with INVALID_CONFIG naming it.
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
  public Bot create(BotSpec spec, BotContext context) {
    Checks.notNull(spec, "spec");
    Checks.notNull(context, "context");
    return new LiveMonitorBot(context, LiveMonitorConfig.from(context.settings()));
  }
}
