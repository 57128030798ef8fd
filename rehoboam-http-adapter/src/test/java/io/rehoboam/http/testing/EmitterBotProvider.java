package io.rehoboam.http.testing;

import io.rehoboam.spi.Bot;
import io.rehoboam.spi.BotContext;
import io.rehoboam.spi.BotProvider;
import io.rehoboam.spi.BotSpec;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.LogLevel;
import io.rehoboam.spi.RehoboamException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Bot type {@code emitter}: a test bot driven through {@code ArbitrageService.sendCommand}. Command
 * {@code opportunity} publishes an opportunity ({@code id}, {@code net_profit} base units, {@code
 * net_profit_usd}, {@code strategy}, {@code ttl_seconds}); command {@code expire} expires one
 * ({@code id}); command {@code log} writes {@code count} log lines of {@code size} characters;
 * command {@code echo} logs {@code echo <payload>} (a reply). On start it asks for every market
 * source, or those its setting {@code sources} lists (so they count as in use), and logs its
 * settings. Setting {@code batch}, when given, must be a whole number of at least 1 (else
 * INVALID_CONFIG naming it): a setting to get wrong.
 */
public final class EmitterBotProvider implements BotProvider {
  public static final String TYPE = "emitter";

  /** The settings an emitter takes (tests put what they like in them). */
  public static final io.rehoboam.spi.SettingsSchema SCHEMA =
      io.rehoboam.spi.SettingsSchema.of(
          io.rehoboam.spi.SettingSpec.of(
              "greeting", io.rehoboam.spi.SettingType.STRING, "a greeting it logs"),
          io.rehoboam.spi.SettingSpec.of("mode", io.rehoboam.spi.SettingType.STRING, "a mode"),
          io.rehoboam.spi.SettingSpec.of("n", io.rehoboam.spi.SettingType.INTEGER, "a count")
              .min(0)
              .max(1000),
          io.rehoboam.spi.SettingSpec.of(
                  "min_profit", io.rehoboam.spi.SettingType.DECIMAL, "a profit threshold")
              .unit("usd"),
          io.rehoboam.spi.SettingSpec.of("api_key", io.rehoboam.spi.SettingType.STRING, "a key")
              .secret(),
          io.rehoboam.spi.SettingSpec.of("note", io.rehoboam.spi.SettingType.STRING, "a note"),
          io.rehoboam.spi.SettingSpec.of(
                  "batch", io.rehoboam.spi.SettingType.INTEGER, "a batch size to get wrong")
              .min(1),
          io.rehoboam.spi.SettingSpec.of(
              "sources", io.rehoboam.spi.SettingType.LIST, "the market sources it watches"));

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

  @Override
  public Bot create(BotSpec spec, BotContext context) {
    if (spec.settings().has("batch")) {
      long batch;
      try {
        batch = spec.settings().longValue("batch", 1);
      } catch (RuntimeException e) {
        batch = 0;
      }
      if (batch < 1) {
        throw new RehoboamException(
            ErrorCode.INVALID_CONFIG,
            "batch: must be a whole number of at least 1 but was "
                + spec.settings().raw("batch").orElse(null));
      }
    }
    return new Bot() {
      @Override
      public void start() {
        // It watches every market source (or those of setting "sources"), so their health counts
        // for readiness.
        List<String> sources =
            context.settings().has("sources")
                ? context.settings().stringList("sources")
                : context.marketSourceIds();
        sources.forEach(context::marketSource);
        context.log(LogLevel.INFO, "started with " + new TreeMap<>(context.settings().asMap()));
      }

      @Override
      public void stop(Duration timeout) {}

      @Override
      public void command(String type, Map<String, Object> payload) {
        switch (type) {
          case "opportunity" ->
              context.publishOpportunity(
                  Opportunities.of(
                      String.valueOf(payload.get("id")),
                      String.valueOf(payload.getOrDefault("strategy", "cross_venue")),
                      Long.parseLong(String.valueOf(payload.getOrDefault("net_profit", "1000"))),
                      payload.containsKey("net_profit_usd")
                          ? new BigDecimal(String.valueOf(payload.get("net_profit_usd")))
                          : null,
                      context.clock().instant(),
                      Duration.ofSeconds(
                          Long.parseLong(
                              String.valueOf(payload.getOrDefault("ttl_seconds", "600"))))));
          case "expire" ->
              context.expireOpportunity(
                  String.valueOf(payload.get("id")),
                  String.valueOf(payload.getOrDefault("reason", "test")));
          case "log" -> {
            int count = Integer.parseInt(String.valueOf(payload.getOrDefault("count", "1")));
            int size = Integer.parseInt(String.valueOf(payload.getOrDefault("size", "10")));
            String text = String.valueOf(payload.getOrDefault("message", "line"));
            for (int i = 0; i < count; i++) {
              String line = i + " " + text;
              context.log(
                  LogLevel.INFO,
                  line.length() >= size ? line : line + "x".repeat(size - line.length()));
            }
          }
          case "echo" -> context.log(LogLevel.INFO, "echo " + new TreeMap<>(payload));
          default -> throw RehoboamException.invalid("command", "unknown command " + type);
        }
      }
    };
  }
}
