package io.rehoboam.evm;

import io.rehoboam.evm.internal.SourceConfig;
import io.rehoboam.spi.Checks;
import io.rehoboam.spi.ProviderContext;
import io.rehoboam.spi.Settings;
import io.rehoboam.spi.market.MarketSourceProvider;
import java.util.Map;
import java.util.Set;

/**
 * Builds {@link EvmMarketSource}s: type {@code evm}. Found by ServiceLoader; the no-argument
 * constructor reads {@code ALCHEMY_API_KEY} from the process environment, the other takes the
 * environment explicitly (for tests and embedding).
 *
 * <p>{@code rpc_url} and {@code ws_url} are sensitive: a provider URL usually carries an API key.
 */
public final class EvmMarketSourceProvider implements MarketSourceProvider {
  /** The type id. */
  public static final String TYPE = "evm";

  private final Map<String, String> env;

  public EvmMarketSourceProvider() {
    this(System.getenv());
  }

  public EvmMarketSourceProvider(Map<String, String> env) {
    this.env = Map.copyOf(Checks.notNull(env, "env"));
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Set<String> sensitiveSettings() {
    return Set.of("rpc_url", "ws_url");
  }

  /**
   * Builds a source; connects nothing until the first subscription.
   *
   * @throws io.rehoboam.spi.RehoboamException INVALID_CONFIG naming the wrong setting
   */
  @Override
  public EvmMarketSource create(String id, Settings settings, ProviderContext context) {
    Checks.notBlank(id, "id");
    Checks.notNull(context, "context");
    return new EvmMarketSource(id, SourceConfig.from(settings, env), context);
  }
}
