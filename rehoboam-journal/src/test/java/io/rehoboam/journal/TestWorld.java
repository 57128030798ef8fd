package io.rehoboam.journal;

import io.rehoboam.spi.Bot;
import io.rehoboam.spi.BotContext;
import io.rehoboam.spi.BotProvider;
import io.rehoboam.spi.BotSpec;
import io.rehoboam.spi.trade.Execution;
import io.rehoboam.spi.trade.ExecutionMode;
import io.rehoboam.spi.trade.ExecutionRequest;
import io.rehoboam.spi.trade.Leg;
import io.rehoboam.spi.trade.Opportunity;
import io.rehoboam.spi.trade.TradeExecutor;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Opportunities made by hand, a bot that publishes them, and an executor that does as told. */
final class TestWorld {
  static final String WETH = "0x00000000000000000000000000000000000000e1";
  static final String USDC = "0x00000000000000000000000000000000000000c2";

  private TestWorld() {}

  static Opportunity opportunity(String id, Instant now) {
    BigInteger in = BigInteger.valueOf(1_000_000);
    BigInteger mid = BigInteger.valueOf(2_000_000);
    BigInteger out = BigInteger.valueOf(1_000_100);
    return new Opportunity(
        id,
        "cross_venue",
        "publisher",
        WETH,
        in,
        out,
        out.subtract(in),
        BigInteger.TEN,
        out.subtract(in).subtract(BigInteger.TEN),
        new BigDecimal("0.1"),
        new BigDecimal("0.09"),
        1,
        now,
        now.plus(Duration.ofHours(1)),
        List.of(
            new Leg(1, "uniswap_v2", "1:uniswap_v2:0xaa", WETH, USDC, in, mid),
            new Leg(1, "sushiswap", "1:sushiswap:0xbb", USDC, WETH, mid, out)));
  }

  /** Type {@code publisher}: on start publishes every opportunity it was given. */
  static final class Publisher implements BotProvider {
    final List<Opportunity> toPublish = new CopyOnWriteArrayList<>();

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
      // Declared, none of them sensitive: names like secrets are secrets all the same.
      return io.rehoboam.spi.SettingsSchema.of(
          text("greeting"),
          text("private_key"),
          text("api_key"),
          text("private_key_env"),
          text("venue"),
          io.rehoboam.spi.SettingSpec.of("wallet", io.rehoboam.spi.SettingType.SECTION, "wallet"),
          io.rehoboam.spi.SettingSpec.of("env", io.rehoboam.spi.SettingType.SECTION, "variables"),
          io.rehoboam.spi.SettingSpec.of(
              "start_tokens", io.rehoboam.spi.SettingType.LIST, "tokens"));
    }

    private static io.rehoboam.spi.SettingSpec text(String name) {
      return io.rehoboam.spi.SettingSpec.of(name, io.rehoboam.spi.SettingType.STRING, name);
    }

    @Override
    public Bot create(BotSpec spec, BotContext context) {
      return new Bot() {
        @Override
        public void start() {
          toPublish.forEach(context::publishOpportunity);
        }

        @Override
        public void stop(Duration timeout) {}
      };
    }
  }

  /**
   * Paper-mode executor: simulates with the profit (quote value) set for the opportunity, or never
   * answers for opportunities set to hang.
   */
  static final class Scripted implements TradeExecutor {
    final Map<String, BigDecimal> profitUsd = new ConcurrentHashMap<>();
    final Set<String> hang = ConcurrentHashMap.newKeySet();
    final List<String> calls = new CopyOnWriteArrayList<>();

    @Override
    public String id() {
      return "paper";
    }

    @Override
    public ExecutionMode mode() {
      return ExecutionMode.PAPER;
    }

    @Override
    public CompletionStage<Execution> execute(ExecutionRequest request) {
      Opportunity o = request.opportunity();
      calls.add(o.id());
      if (hang.contains(o.id())) {
        return new CompletableFuture<>();
      }
      return CompletableFuture.completedFuture(
          Execution.simulated(
                  request.executionId(),
                  o.id(),
                  ExecutionMode.PAPER,
                  o.netProfit(),
                  o.netProfit(),
                  o.detectedAt(),
                  o.detectedAt())
              .withRealized(o.netProfit(), profitUsd.getOrDefault(o.id(), BigDecimal.ONE)));
    }

    @Override
    public void close() {}
  }
}
