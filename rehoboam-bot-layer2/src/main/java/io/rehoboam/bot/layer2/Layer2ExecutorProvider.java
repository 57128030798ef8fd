package io.rehoboam.bot.layer2;

import io.rehoboam.bot.layer2.internal.Layer2Executor;
import io.rehoboam.spi.Checks;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.ProviderContext;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.Settings;
import io.rehoboam.spi.trade.TradeExecutor;
import io.rehoboam.spi.trade.TradeExecutorProvider;
import java.util.TreeSet;

/**
 * Builds {@code layer2} trade executors: each hands a cross-layer opportunity to the running {@code
 * layer2} bot that published it, which executes every leg on its own chain and records what a
 * failed leg leaves. Registered for discovery in {@code META-INF/services}.
 *
 * <p>Settings: {@code live} (boolean, default false): whether the executor reports live executions;
 * it must match the bot (a bot trades live when one of its chains has {@code rpc_url}).
 */
public final class Layer2ExecutorProvider implements TradeExecutorProvider {
  /** The type id. */
  public static final String TYPE = "layer2";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public TradeExecutor create(String id, Settings settings, ProviderContext context) {
    Checks.notNull(context, "context");
    Settings s = settings == null ? Settings.empty() : settings;
    TreeSet<String> unknown = new TreeSet<>(s.names());
    unknown.remove("live");
    if (!unknown.isEmpty()) {
      throw new RehoboamException(
          ErrorCode.INVALID_CONFIG,
          unknown.first() + ": unknown setting of a layer2 executor (known: live)");
    }
    return new Layer2Executor(id, s.bool("live", false), context.clock());
  }
}
