package io.rehoboam.bot.layer2;

import io.rehoboam.bot.layer2.internal.Layer2Executor;
import io.rehoboam.spi.Checks;
import io.rehoboam.spi.ProviderContext;
import io.rehoboam.spi.SettingSpec;
import io.rehoboam.spi.SettingType;
import io.rehoboam.spi.Settings;
import io.rehoboam.spi.SettingsSchema;
import io.rehoboam.spi.Spi;
import io.rehoboam.spi.trade.TradeExecutor;
import io.rehoboam.spi.trade.TradeExecutorProvider;

/**
 * Builds {@code layer2} trade executors: each hands a cross-layer opportunity to the running {@code
 * layer2} bot that published it, which executes every leg on its own chain and records what a
 * failed leg leaves. Registered for discovery in {@code META-INF/services}.
 *
 * <p>Settings: {@link #SCHEMA}.
 */
public final class Layer2ExecutorProvider implements TradeExecutorProvider {
  /** The type id. */
  public static final String TYPE = "layer2";

  /** The executor's settings: the one list of them. */
  public static final SettingsSchema SCHEMA =
      SettingsSchema.of(
          SettingSpec.of(
                  "live",
                  SettingType.BOOLEAN,
                  "Whether the executor reports live executions; must match the bot (a bot trades"
                      + " live when one of its chains has rpc_url)")
              .defaultValue(false));

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
    return SCHEMA;
  }

  @Override
  public TradeExecutor create(String id, Settings settings, ProviderContext context) {
    Checks.notNull(context, "context");
    Settings s = settings == null ? Settings.empty() : settings;
    SCHEMA.validate(s, context.env());
    return new Layer2Executor(id, s.bool("live", false), context.clock());
  }
}
