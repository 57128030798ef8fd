package io.rehoboam.core.sim;

import io.rehoboam.spi.Checks;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.ProviderContext;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.Settings;
import io.rehoboam.spi.SettingsSchema;
import io.rehoboam.spi.Spi;
import io.rehoboam.spi.market.MarketSource;
import io.rehoboam.spi.market.MarketSourceProvider;

/**
 * Builds {@link SimMarketSource}s: source type {@code sim}. Registered for discovery in {@code
 * META-INF/services}. Its settings (all optional) are declared in {@link SimConfig#SCHEMA}; WETH,
 * WBTC and the stablecoins share one price across a sim market's chains. An unknown setting or a
 * wrong value is an INVALID_CONFIG error naming it.
 */
public final class SimMarketSourceProvider implements MarketSourceProvider {
  /** The type id. */
  public static final String TYPE = "sim";

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
    return SimConfig.SCHEMA.withCheck((settings, env) -> SimConfig.fromSettings(settings));
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
