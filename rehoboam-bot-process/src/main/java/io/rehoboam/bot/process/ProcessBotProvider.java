package io.rehoboam.bot.process;

import io.rehoboam.bot.process.internal.ProcessBot;
import io.rehoboam.spi.Bot;
import io.rehoboam.spi.BotContext;
import io.rehoboam.spi.BotProvider;
import io.rehoboam.spi.BotSpec;
import io.rehoboam.spi.Checks;
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

  private final String owner;

  /** A provider whose programs inherit the service's environment (minus its secrets). */
  public ProcessBotProvider() {
    this(null);
  }

  /**
   * A provider whose programs also carry {@code REHOBOAM_OWNER=owner}, so that a later service of
   * the same owner can end what this one left behind ({@link #reapLeftovers}). The standalone
   * server's owner is its data directory.
   *
   * @param owner the owner marker, or null for none
   */
  public ProcessBotProvider(String owner) {
    this.owner = owner == null ? null : Checks.notBlank(owner, "owner");
  }

  /** The owner marker of this provider's programs, or null. */
  public String owner() {
    return owner;
  }

  /**
   * Ends the processes a previous service of this owner left running (see {@link
   * LeftoverProcesses}); returns their pids. Nothing without an owner.
   */
  public java.util.List<Long> reapLeftovers(java.time.Duration grace) {
    return owner == null ? java.util.List.of() : LeftoverProcesses.reap(owner, grace);
  }

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
    return new ProcessBot(spec.id(), settings, context, context.env(), owner);
  }
}
