package io.rehoboam.bot.layer2;

import io.rehoboam.bot.layer2.internal.Layer2Bot;
import io.rehoboam.bot.layer2.internal.Layer2Settings;
import io.rehoboam.bot.layer2.internal.Venues;
import io.rehoboam.core.scan.StrategyDescriptor;
import io.rehoboam.core.scan.StrategyOffer;
import io.rehoboam.core.scan.StrategyParameter;
import io.rehoboam.spi.Bot;
import io.rehoboam.spi.BotContext;
import io.rehoboam.spi.BotProvider;
import io.rehoboam.spi.BotSpec;
import io.rehoboam.spi.Checks;
import io.rehoboam.spi.SettingsSchema;
import io.rehoboam.spi.Spi;
import java.util.List;

/**
 * Builds {@code layer2} bots: the same asset pair priced differently on Ethereum L1 and on L2
 * rollups, found with a {@link CrossLayerScanner} over one market source per chain and executed
 * through the service (risk policy first) by the bot's own trade executor, which the bot registers
 * with the engine ({@link BotContext#registerExecutor}), in inventory or bridge mode. Registered
 * for discovery in {@code META-INF/services}. The settings are documented in the module README.
 *
 * <p>Sensitive settings: {@code private_key} and {@code rpc_url} (in a chain's section). {@code
 * private_key_env} names a variable of the service's environment ({@link
 * io.rehoboam.spi.ProviderContext#env()}).
 */
public final class Layer2BotProvider implements BotProvider, StrategyOffer {
  /**
   * The strategy its bots publish: the same pair on two chains, bought on one, sold on the other.
   */
  public static final StrategyDescriptor CROSS_LAYER =
      new StrategyDescriptor(
          "cross_layer",
          "Cross-layer",
          "The same asset pair priced apart on Ethereum L1 and L2 rollups: buy on one chain, sell"
              + " on the other, from inventory on both chains or through a bridge, net of each"
              + " chain's gas, L1 data fee and the bridge's fee. Found by the layer2 bot type.",
          Layer2Settings.SCHEMA.settings().stream()
              .filter(
                  spec ->
                      List.of(
                              "assets",
                              "mode",
                              "min_profit_base_units",
                              "min_profit",
                              "max_input",
                              "ttl")
                          .contains(spec.name()))
              .map(StrategyParameter::of)
              .toList());

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

  @Override
  public List<StrategyDescriptor> strategies() {
    return List.of(CROSS_LAYER);
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
