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

  @Override
  public String type() {
    return TYPE;
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
