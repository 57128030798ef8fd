package io.rehoboam.bot.layer2;

import io.rehoboam.bot.layer2.internal.Layer2Bot;
import io.rehoboam.bot.layer2.internal.Layer2Settings;
import io.rehoboam.bot.layer2.internal.Venues;
import io.rehoboam.spi.Bot;
import io.rehoboam.spi.BotContext;
import io.rehoboam.spi.BotProvider;
import io.rehoboam.spi.BotSpec;
import io.rehoboam.spi.Checks;
import io.rehoboam.spi.SettingsSchema;
import io.rehoboam.spi.Spi;

/**
 * Builds {@code layer2} bots: the same asset pair priced differently on Ethereum L1 and on L2
 * rollups, found with a {@link CrossLayerScanner} over one market source per chain and executed
 * through the service (risk policy first) by the {@code layer2} trade executor ({@link
 * Layer2ExecutorProvider}), in inventory or bridge mode. Registered for discovery in {@code
 * META-INF/services}. The settings are documented in the module README.
 *
 * <p>Sensitive settings: {@code private_key} and {@code rpc_url} (in a chain's section). {@code
 * private_key_env} names a variable of the service's environment ({@link
 * io.rehoboam.spi.ProviderContext#env()}).
 */
public final class Layer2BotProvider implements BotProvider {
  /** The type id. */
  public static final String TYPE = "layer2";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public int spiVersion() {
    return Spi.VERSION;
  }

  /**
   * {@link Layer2Settings#SCHEMA}; a chain's {@code private_key} and {@code rpc_url} are secret.
   */
  @Override
  public SettingsSchema settingsSchema() {
    return Layer2Settings.SCHEMA.withCheck(Layer2Settings::from);
  }

  /**
   * Builds a bot; starts nothing.
   *
   * @throws io.rehoboam.spi.RehoboamException INVALID_CONFIG naming the wrong setting
   */
  @Override
  public Bot create(BotSpec spec, BotContext context) {
    Checks.notNull(spec, "spec");
    Checks.notNull(context, "context");
    return new Layer2Bot(
        context, Layer2Settings.from(context.settings(), context.env()), Venues::create);
  }
}
