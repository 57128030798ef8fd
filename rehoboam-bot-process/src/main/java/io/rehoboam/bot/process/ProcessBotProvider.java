package io.rehoboam.bot.process;

import io.rehoboam.bot.process.internal.ProcessBot;
import io.rehoboam.spi.Bot;
import io.rehoboam.spi.BotContext;
import io.rehoboam.spi.BotProvider;
import io.rehoboam.spi.BotSpec;
import io.rehoboam.spi.SettingsSchema;
import io.rehoboam.spi.Spi;

/**
 * Bot type {@code process}: runs any program as a bot and turns the JSON lines it prints into
 * events and status (the protocol and the settings are described in the module README). Found
 * through {@link java.util.ServiceLoader}.
 *
 * <p>The bot spawns, watches, reads and stops its program and reports its exits to the engine; the
 * engine's restart policy decides what happens next. Programs run in their own session and process
 * group (through {@code setsid}), so stopping reaches everything they started.
 *
 * <p>Programs inherit the service's environment ({@link io.rehoboam.spi.ProviderContext#env()}),
 * minus the variables that look secret unless a bot's {@code pass_env} lists them.
 *
 * <p>Thread-safe; builds a new bot for every run.
 */
public final class ProcessBotProvider implements BotProvider {
  /** The type id. */
  public static final String TYPE = "process";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public int spiVersion() {
    return Spi.VERSION;
  }

  /**
   * {@link ProcessBotSettings#SCHEMA}; {@code secret_env} is sensitive: its values are masked in
   * statuses and events and redacted from logs.
   */
  @Override
  public SettingsSchema settingsSchema() {
    return ProcessBotSettings.SCHEMA.withCheck(
        (settings, env) -> ProcessBotSettings.parse(settings));
  }

  /**
   * Checks the settings and builds the bot; starts nothing.
   *
   * @throws io.rehoboam.spi.RehoboamException INVALID_CONFIG naming the wrong setting
   */
  @Override
  public Bot create(BotSpec spec, BotContext context) {
    ProcessBotSettings settings = ProcessBotSettings.parse(spec.settings());
    return new ProcessBot(spec.id(), settings, context, context.env());
  }
}
