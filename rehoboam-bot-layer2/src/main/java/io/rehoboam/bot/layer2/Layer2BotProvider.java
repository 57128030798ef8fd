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
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds {@code layer2} bots: the same asset pair priced differently on Ethereum L1 and on L2
 * rollups, found with a {@link CrossLayerScanner} over one market source per chain and executed
 * through the service (risk policy first) by the {@code layer2} trade executor ({@link
 * Layer2ExecutorProvider}), in inventory or bridge mode. Registered for discovery in {@code
 * META-INF/services}. The settings are documented in the module README.
 *
 * <p>Sensitive settings: {@code private_key} (in a chain's section).
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
          List.of(
              new StrategyParameter(
                  "assets", "string_list", "WETH,USDC,USDT,DAI,WBTC", "Assets compared"),
              new StrategyParameter("mode", "string", "inventory", "inventory or bridge"),
              new StrategyParameter(
                  "min_profit_base_units",
                  "integer",
                  "1",
                  "Minimum net profit in base units of the start asset"),
              new StrategyParameter(
                  "min_profit",
                  "decimal",
                  null,
                  "Minimum net profit in the quote currency (USD); unset = no quote threshold"),
              new StrategyParameter(
                  "max_input",
                  "decimal",
                  null,
                  "Most input per trade in the quote currency (the trade is resized exactly)"),
              new StrategyParameter(
                  "ttl", "duration", "PT30S", "How long an opportunity stays valid")));

  /** The type id. */
  public static final String TYPE = "layer2";

  private final Map<String, String> env;

  /** Reads {@code private_key_env} variables from the process environment. */
  public Layer2BotProvider() {
    this(System.getenv());
  }

  /** Reads {@code private_key_env} variables from {@code env}. */
  public Layer2BotProvider(Map<String, String> env) {
    this.env = Map.copyOf(Checks.notNull(env, "env"));
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public List<StrategyDescriptor> strategies() {
    return List.of(CROSS_LAYER);
  }

  @Override
  public Set<String> sensitiveSettings() {
    return Set.of("private_key");
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
    return new Layer2Bot(context, Layer2Settings.from(context.settings(), env), Venues::create);
  }
}
