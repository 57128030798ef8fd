package io.rehoboam.evm;

import io.rehoboam.core.ArbitrageService;
import io.rehoboam.core.BotRegistration;
import io.rehoboam.core.ExecuteRequest;
import io.rehoboam.core.config.ConfigLoader;
import io.rehoboam.core.risk.RiskLimits;
import io.rehoboam.journal.JdbcJournal;
import io.rehoboam.spi.Bot;
import io.rehoboam.spi.BotContext;
import io.rehoboam.spi.BotProvider;
import io.rehoboam.spi.BotSpec;
import io.rehoboam.spi.Settings;
import io.rehoboam.spi.trade.Opportunity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * The service a live crash test kills: a live evm executor (configuration in {@code args[2]}, key
 * from the environment), a bot that publishes the opportunity of {@code args[1]}, and a journal in
 * {@code args[0]}. It executes that opportunity with idempotency key {@code live-1}, prints {@code
 * ASKED}, and waits to be killed.
 */
public final class LiveCrashChild {
  private LiveCrashChild() {}

  /** Type {@code publisher}: publishes one opportunity on start. */
  static BotProvider publisher(Opportunity opportunity) {
    return new BotProvider() {
      @Override
      public String type() {
        return "publisher";
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
          public void start() {
            context.publishOpportunity(opportunity);
          }

          @Override
          public void stop(Duration timeout) {}
        };
      }
    };
  }

  public static void main(String[] args) throws Exception {
    Clock clock = Clock.systemUTC();
    Opportunity opportunity = OpportunityFile.read(Path.of(args[1]));
    ArbitrageService service =
        ArbitrageService.builder()
            .config(
                ConfigLoader.parse(Files.readString(Path.of(args[2])), args[2], System.getenv()))
            .env(System.getenv())
            .provider(publisher(opportunity))
            .riskLimits(RiskLimits.NONE)
            .journal(JdbcJournal.inDirectory(Path.of(args[0]), clock))
            .build();
    service.initialize();
    service.register(BotRegistration.of("pub", "publisher", Settings.empty()));
    service.start("pub");
    service.executeAsync(opportunity.id(), new ExecuteRequest(null, false, "live-1", null));
    System.out.println("ASKED");
    System.out.flush();
    new CountDownLatch(1).await();
  }
}
