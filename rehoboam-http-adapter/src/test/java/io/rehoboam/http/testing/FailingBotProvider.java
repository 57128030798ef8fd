package io.rehoboam.http.testing;

import io.rehoboam.core.BotRegistration;
import io.rehoboam.core.RestartPolicy;
import io.rehoboam.spi.Bot;
import io.rehoboam.spi.BotContext;
import io.rehoboam.spi.BotProvider;
import io.rehoboam.spi.BotSpec;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.Settings;
import java.time.Duration;

/** Bot type {@code failing}: every start fails. Registered with {@link #never} it ends in error. */
public final class FailingBotProvider implements BotProvider {
  public static final String TYPE = "failing";

  /** A failing bot takes no settings. */
  public static final io.rehoboam.spi.SettingsSchema SCHEMA = io.rehoboam.spi.SettingsSchema.none();

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public int spiVersion() {
    return io.rehoboam.spi.Spi.VERSION;
  }

  @Override
  public io.rehoboam.spi.SettingsSchema settingsSchema() {
    return SCHEMA;
  }

  /** A failing bot that is never restarted. */
  public static BotRegistration never(String id) {
    return BotRegistration.of(id, TYPE, Settings.empty())
        .withRestart(RestartPolicy.DEFAULT.withMode(RestartPolicy.Mode.NEVER));
  }

  @Override
  public Bot create(BotSpec spec, BotContext context) {
    return new Bot() {
      @Override
      public void start() {
        throw new RehoboamException(ErrorCode.BOT_FAILURE, "cannot start: test bot always fails");
      }

      @Override
      public void stop(Duration timeout) {}
    };
  }
}
