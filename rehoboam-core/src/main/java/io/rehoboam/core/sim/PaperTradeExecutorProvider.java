package io.rehoboam.core.sim;

import io.rehoboam.spi.Checks;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.ProviderContext;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.Settings;
import io.rehoboam.spi.SettingsSchema;
import io.rehoboam.spi.Spi;
import io.rehoboam.spi.market.MarketSource;
import io.rehoboam.spi.trade.TradeExecutor;
import io.rehoboam.spi.trade.TradeExecutorProvider;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds {@link PaperTradeExecutor}s: executor type {@code paper}, which trades on a {@code sim}
 * source. Registered for discovery in {@code META-INF/services}. Mark it {@code default: true} in
 * the {@code executors} section (or make it the only executor) to have executions without an
 * executor id use it.
 *
 * <p>Settings (all optional) are declared in {@link PaperConfig#SCHEMA}. A route giving less than
 * the predicted output less {@code slippage_bps} reverts (status {@code reverted}, market
 * unchanged). With {@code gas_price_gwei} set, gas is {@code (gas_per_tx + legs * gas_per_leg) *
 * gas_price} converted into the start token at the market's prices; unset, each execution is
 * charged its opportunity's {@code gas_cost}. Without {@code source}, the service's only sim source
 * (an error when there is none or several).
 *
 * <p>The source must be created before the executor, as the service does (sources first).
 */
public final class PaperTradeExecutorProvider implements TradeExecutorProvider {
  /** The type id. */
  public static final String TYPE = "paper";

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
    return PaperConfig.SCHEMA.withCheck((settings, env) -> PaperConfig.fromSettings(settings));
  }

  @Override
  public TradeExecutor create(String id, Settings settings, ProviderContext context) {
    Checks.notNull(context, "context");
    PaperConfig config = PaperConfig.fromSettings(settings == null ? Settings.empty() : settings);
    return new PaperTradeExecutor(id, simSource(config.source(), context), config, context.clock());
  }

  private static SimMarketSource simSource(String wanted, ProviderContext context) {
    if (wanted != null) {
      MarketSource source;
      try {
        source = context.marketSource(wanted);
      } catch (RehoboamException e) {
        throw new RehoboamException(ErrorCode.INVALID_CONFIG, "source: " + e.getMessage(), e);
      }
      java.util.Optional<SimMarketSource> sim = source.capability(SimMarketSource.class);
      if (sim.isPresent()) {
        return sim.get();
      }
      throw new RehoboamException(
          ErrorCode.INVALID_CONFIG,
          "source: '" + wanted + "' is not a sim source; paper trades need a sim market");
    }
    List<SimMarketSource> sims = new ArrayList<>();
    for (String sourceId : context.marketSourceIds()) {
      context.marketSource(sourceId).capability(SimMarketSource.class).ifPresent(sims::add);
    }
    if (sims.size() == 1) {
      return sims.get(0);
    }
    if (sims.isEmpty()) {
      throw new RehoboamException(
          ErrorCode.INVALID_CONFIG,
          "source: no sim source is configured; add one of type sim to the sources section");
    }
    List<String> ids = new ArrayList<>();
    sims.forEach(s -> ids.add(s.id()));
    throw new RehoboamException(
        ErrorCode.INVALID_CONFIG,
        "source: several sim sources (" + String.join(", ", ids) + "); name the one to trade on");
  }
}
