package io.rehoboam.core.sim;

import io.rehoboam.spi.Checks;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.ProviderContext;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.Settings;
import io.rehoboam.spi.market.MarketSource;
import io.rehoboam.spi.market.MarketSourceProvider;

/**
 * Builds {@link SimMarketSource}s: source type {@code sim}. Registered for discovery in {@code
 * META-INF/services}.
 *
 * <p>Settings (all optional):
 *
 * <ul>
 *   <li>{@code seed} (integer, default 42): the same seed and settings give the same market and the
 *       same stream of updates.
 *   <li>{@code pools} (integer, default 2000): pools over all chains, split evenly (the first
 *       chains take the remainder). Per chain at least 24 ({@code sparse}) or 499 ({@code dense}).
 *   <li>{@code shape} ({@code dense} | {@code sparse}, default {@code sparse}): {@code sparse}
 *       spreads a chain's pools over one token per four pools, {@code dense} over 500 tokens.
 *   <li>{@code regime} ({@code calm} | {@code volatile} | {@code crowded}, default {@code calm}):
 *       how the market starts: in line ({@code calm}), just after a market-wide move with most
 *       pools off their fee band ({@code volatile}), or that on many forks ({@code crowded}).
 *   <li>{@code chain_ids} (list of integers, default {@code [1]}): each chain gets a market of its
 *       own from the generator (own WETH, stablecoins, WBTC and long-tail tokens, all with their
 *       own addresses); WETH, WBTC and the stablecoins share one price across chains.
 *   <li>{@code update_interval} (duration, default {@code 250ms}): time between ticks on the
 *       engine's scheduler; {@code 0} switches the timer off (ticks only through {@link
 *       SimMarketSource#tick()}).
 *   <li>{@code updates_per_tick} (integer, default 20): ordinary pool moves per tick.
 *   <li>{@code dislocation_probability} (0..1, default 0.05): chance per tick of a large trade that
 *       pushes one pool of a multi-venue pair 1-8% off the true price.
 *   <li>{@code quote_currency} (default {@code USD}): the currency of {@link
 *       SimMarketSource#quotePrice}; the simulated market prices in USD only.
 * </ul>
 *
 * <p>An unknown setting or a wrong value is an INVALID_CONFIG error naming it.
 */
public final class SimMarketSourceProvider implements MarketSourceProvider {
  /** The type id. */
  public static final String TYPE = "sim";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public MarketSource create(String id, Settings settings, ProviderContext context) {
    Checks.notNull(context, "context");
    SimConfig config = SimConfig.fromSettings(settings == null ? Settings.empty() : settings);
    try {
      return new SimMarketSource(id, config, context.scheduler(), context.clock());
    } catch (RehoboamException e) {
      throw e.code() == ErrorCode.INVALID_ARGUMENT
          ? new RehoboamException(ErrorCode.INVALID_CONFIG, e.getMessage(), e)
          : e;
    }
  }
}
