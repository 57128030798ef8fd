package io.rehoboam.bot.layer2;

import io.rehoboam.bot.layer2.internal.Layer2Bot;
import io.rehoboam.bot.layer2.internal.Layer2Settings;
import io.rehoboam.bot.layer2.internal.Venues;
import io.rehoboam.spi.Bot;
import io.rehoboam.spi.BotContext;
import io.rehoboam.spi.BotProvider;
import io.rehoboam.spi.BotSpec;
import io.rehoboam.spi.Checks;
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
public final class Layer2BotProvider implements BotProvider {
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
