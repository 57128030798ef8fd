package io.rehoboam.benchmarks;

import io.rehoboam.spi.Bot;
import io.rehoboam.spi.BotContext;
import io.rehoboam.spi.BotProvider;
import io.rehoboam.spi.BotSpec;
import io.rehoboam.spi.SettingSpec;
import io.rehoboam.spi.SettingType;
import io.rehoboam.spi.SettingsSchema;
import io.rehoboam.spi.Spi;
import io.rehoboam.spi.trade.Leg;
import io.rehoboam.spi.trade.Opportunity;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;

/**
 * Bot type {@code book_filler}: on start publishes {@code count} two-leg opportunities (the shape
 * the live monitor publishes, random profits, seeded) that live an hour, so a load run can read a
 * book of a chosen size.
 */
final class BookFiller implements BotProvider {
  static final String TYPE = "book_filler";
  private static final String WETH = "0x" + "c".repeat(40);
  private static final String USDC = "0x" + "a".repeat(40);

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
    return SettingsSchema.of(
        SettingSpec.of("count", SettingType.INTEGER, "Opportunities published on start")
            .defaultValue(10_000)
            .min(0)
            .max(10_000_000));
  }

  @Override
  public Bot create(BotSpec spec, BotContext context) {
    return new Bot() {
      @Override
      public void start() {
        int count = context.settings().intValue("count", 10_000);
        Random random = new Random(7);
        Instant now = context.clock().instant();
        for (int i = 0; i < count; i++) {
          BigInteger in = BigInteger.valueOf(1_000_000_000_000_000L + random.nextInt(1_000_000));
          BigInteger gas = BigInteger.valueOf(21_000L * 20_000_000_000L);
          BigInteger net = BigInteger.valueOf(1 + random.nextInt(1_000_000_000)).multiply(gas);
          BigInteger profit = net.add(gas);
          BigInteger out = in.add(profit);
          BigInteger middle = in.multiply(BigInteger.valueOf(3000));
          BigDecimal usd = new BigDecimal(random.nextInt(100_000)).movePointLeft(2);
          context.publishOpportunity(
              new Opportunity(
                  "fill-" + i,
                  i % 3 == 0 ? "cyclic" : "cross_venue",
                  null,
                  WETH,
                  in,
                  out,
                  profit,
                  gas,
                  net,
                  usd.add(BigDecimal.ONE),
                  usd,
                  1,
                  now,
                  now.plus(Duration.ofHours(1)),
                  List.of(
                      new Leg(1, "uniswap_v2", "pool-a-" + (i % 500), WETH, USDC, in, middle),
                      new Leg(1, "sushiswap", "pool-b-" + (i % 500), USDC, WETH, middle, out))));
        }
      }

      @Override
      public void stop(Duration timeout) {}
    };
  }
}
