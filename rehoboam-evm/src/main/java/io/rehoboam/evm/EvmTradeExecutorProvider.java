package io.rehoboam.evm;

import io.rehoboam.evm.internal.ExecutorConfig;
import io.rehoboam.spi.Checks;
import io.rehoboam.spi.ProviderContext;
import io.rehoboam.spi.Settings;
import io.rehoboam.spi.trade.TradeExecutorProvider;
import java.util.Map;
import java.util.Set;

/**
 * Builds {@link EvmTradeExecutor}s: type {@code evm}. Found by ServiceLoader; the no-argument
 * constructor reads secrets ({@code REHOBOAM_PRIVATE_KEY} or the variable named by {@code
 * private_key_env}, the keystore password, {@code ALCHEMY_API_KEY}) from the process environment,
 * the other takes the environment explicitly.
 *
 * <p>Sensitive settings (masked by the engine, never logged): {@code private_key}, {@code
 * keystore_password}, {@code rpc_url}.
 */
public final class EvmTradeExecutorProvider implements TradeExecutorProvider {
  /** The type id. */
  public static final String TYPE = "evm";

  private final Map<String, String> env;

  public EvmTradeExecutorProvider() {
    this(System.getenv());
  }

  public EvmTradeExecutorProvider(Map<String, String> env) {
    this.env = Map.copyOf(Checks.notNull(env, "env"));
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Set<String> sensitiveSettings() {
    return Set.of("private_key", "keystore_password", "rpc_url");
  }

  /**
   * Builds an executor; sends nothing until {@code execute}.
   *
   * @throws io.rehoboam.spi.RehoboamException INVALID_CONFIG naming the wrong setting (a secret's
   *     value is never part of the message)
   */
  @Override
  public EvmTradeExecutor create(String id, Settings settings, ProviderContext context) {
    Checks.notBlank(id, "id");
    Checks.notNull(context, "context");
    return new EvmTradeExecutor(id, ExecutorConfig.from(settings, env), context);
  }
}
