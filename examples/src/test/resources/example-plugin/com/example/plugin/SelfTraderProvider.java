package com.example.plugin;

import io.rehoboam.spi.Bot;
import io.rehoboam.spi.BotContext;
import io.rehoboam.spi.BotProvider;
import io.rehoboam.spi.BotSpec;
import io.rehoboam.spi.LogLevel;
import io.rehoboam.spi.SettingSpec;
import io.rehoboam.spi.SettingType;
import io.rehoboam.spi.SettingsSchema;
import io.rehoboam.spi.Spi;
import io.rehoboam.spi.trade.Execution;
import io.rehoboam.spi.trade.ExecutionMode;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;

/** Bot type {@code self_trader}: on start makes one paper trade by itself and reports it. */
public final class SelfTraderProvider implements BotProvider {
  private static final SettingsSchema SCHEMA =
      SettingsSchema.of(
          SettingSpec.of("profit", SettingType.INTEGER, "What its one trade makes")
              .unit("base units")
              .defaultValue(100)
              .min(1),
          SettingSpec.of("api_key", SettingType.STRING, "The venue's key").secret());

  @Override
  public String type() {
    return "self_trader";
  }

  @Override
  public int spiVersion() {
    return Spi.VERSION; // the compiler copies the version this class was built against
  }

  @Override
  public SettingsSchema settingsSchema() {
    return SCHEMA; // checked by the engine before create() is ever called
  }

  @Override
  public Bot create(BotSpec spec, BotContext ctx) {
    BigInteger profit = BigInteger.valueOf(ctx.settings().longValue("profit", 100));
    return new Bot() {
      @Override
      public void start() {
        for (String source : ctx.marketSourceIds()) { // a capability, not a cast
          var tokens = ctx.marketSource(source).nativeTokens();
          ctx.log(LogLevel.INFO, source + " native tokens " + tokens);
        }
        Instant at = ctx.clock().instant();
        String id = spec.id() + "-1";
        String opportunity = spec.id() + "-opp";
        // Journalled before anyone is told; each later status goes through the engine once.
        ctx.publishExecution(
            Execution.submitted(id, opportunity, ExecutionMode.PAPER, profit, at));
        ctx.publishExecution(
            Execution.simulated(
                id, opportunity, ExecutionMode.PAPER, profit, profit, at, ctx.clock().instant()));
      }

      @Override
      public void stop(Duration timeout) {}
    };
  }
}
