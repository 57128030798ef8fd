package io.rehoboam.core.discovery;

import io.rehoboam.spi.Bot;
import io.rehoboam.spi.BotContext;
import io.rehoboam.spi.BotProvider;
import io.rehoboam.spi.BotSpec;

/** Providers that tests list in service files of their own to exercise discovery. */
public final class DiscoverableProviders {
  private DiscoverableProviders() {}

  /** A well-behaved provider of type {@code alpha}. */
  public static class Alpha implements BotProvider {
    @Override
    public String type() {
      return "alpha";
    }

    @Override
    public int spiVersion() {
      return io.rehoboam.spi.Spi.VERSION;
    }

    @Override
    public io.rehoboam.spi.SettingsSchema settingsSchema() {
      return io.rehoboam.spi.SettingsSchema.none();
    }

    @Override
    public Bot create(BotSpec spec, BotContext context) {
      return new Bot() {
        @Override
        public void start() {}

        @Override
        public void stop(java.time.Duration timeout) {}
      };
    }
  }

  /** A second provider claiming {@code alpha}. */
  public static class AlphaTwin extends Alpha {}

  /** A provider of type {@code beta}. */
  public static class Beta extends Alpha {
    @Override
    public String type() {
      return "beta";
    }
  }

  /** A provider whose construction fails, as a provider with a missing dependency would. */
  public static class Broken extends Alpha {
    public Broken() {
      throw new IllegalStateException("missing native library libfoo");
    }
  }

  /** A provider built for a future SPI. */
  public static class FromTheFuture extends Alpha {
    @Override
    public String type() {
      return "future";
    }

    @Override
    public int spiVersion() {
      return 99;
    }
  }
}
