package io.rehoboam.core.config.internal;

import io.rehoboam.core.RestartPolicy;
import io.rehoboam.core.config.BotConfig;
import io.rehoboam.core.config.RehoboamConfig;
import io.rehoboam.core.schedule.Schedule;
import io.rehoboam.spi.BotSpec;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.Settings;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns configuration YAML into a {@link RehoboamConfig}. Every error is {@link
 * ErrorCode#INVALID_CONFIG} and starts with the source name, then the place ({@code
 * bots[live_monitor].restart.jitter}). Values of bot settings are never quoted (they may be
 * secrets); values of {@code autostart} and {@code restart} fields are. Stateless and thread-safe.
 */
public final class ConfigParser {
  private static final Logger log = LoggerFactory.getLogger(ConfigParser.class);

  private static final List<String> BOT_KEYS =
      List.of("id", "type", "name", "autostart", "restart", "settings", "schedule");
  private static final List<String> RESTART_KEYS =
      List.of(
          "policy",
          "max_retries",
          "backoff_initial",
          "backoff_max",
          "backoff_multiplier",
          "jitter",
          "start_seconds",
          "heartbeat_timeout",
          "start_timeout",
          "stop_timeout",
          "failure_window");
  private static final String DURATION_GRAMMAR = "a duration such as 10s, 250ms, 2m, 1h or PT10S";

  private final String source;

  private ConfigParser(String source) {
    this.source = source;
  }

  /**
   * Parses {@code yaml}, replaces its {@code ${...}} references from {@code env} when {@code
   * interpolate}, and applies the {@code ARB_} overrides of {@code env}.
   */
  public static RehoboamConfig parse(
      String yaml, String source, Map<String, String> env, boolean interpolate) {
    return new ConfigParser(source).parse(yaml, env, interpolate);
  }

  private RehoboamConfig parse(String yaml, Map<String, String> env, boolean interpolate) {
    Object read = YamlReader.read(yaml, source);
    Object document = interpolate ? EnvInterpolation.apply(read, env, source) : read;
    Map<?, ?> root;
    if (document == null) {
      root = Map.of();
    } else if (document instanceof Map<?, ?> map) {
      root = map;
    } else {
      throw fail(
          "expected a map of sections ("
              + String.join(", ", RehoboamConfig.SECTIONS)
              + ") at the top level but was "
              + kind(document));
    }
    for (Object key : root.keySet()) {
      if (!RehoboamConfig.SECTIONS.contains(String.valueOf(key))) {
        throw fail(
            "unknown top-level section '"
                + key
                + "' (known: "
                + String.join(", ", RehoboamConfig.SECTIONS)
                + ")");
      }
    }
    List<BotConfig> bots = bots(root.get("bots"));
    Set<String> ids = new LinkedHashSet<>();
    bots.forEach(b -> ids.add(b.id()));
    try {
      EnvScan.validate(env, ids);
    } catch (RehoboamException e) {
      throw new RehoboamException(ErrorCode.INVALID_CONFIG, source + ": " + e.getMessage(), e);
    }
    List<BotConfig> overridden = new ArrayList<>(bots.size());
    for (BotConfig bot : bots) {
      overridden.add(withOverrides(bot, env));
    }
    RehoboamConfig config =
        new RehoboamConfig(
            source,
            overridden,
            section(root, "sources"),
            section(root, "executors"),
            section(root, "risk"),
            section(root, "server"),
            section(root, "quote"));
    log.info("Configuration {}: {} bot(s) {}", source, ids.size(), ids);
    return config;
  }

  private BotConfig withOverrides(BotConfig bot, Map<String, String> env) {
    List<EnvScan.Override> found = EnvScan.find(bot.id(), env);
    if (found.isEmpty()) {
      return bot;
    }
    Map<String, Object> values = new LinkedHashMap<>();
    Map<String, String> by = new LinkedHashMap<>();
    for (EnvScan.Override o : found) {
      // Keep the spelling of the file's setting so the provider finds it under its own name.
      String name =
          bot.settings().names().stream()
              .filter(n -> n.equalsIgnoreCase(o.setting()))
              .findFirst()
              .orElse(o.setting());
      values.put(name, o.value());
      by.put(name, o.variable());
      log.info("Bot {}: setting {} set by environment variable {}", bot.id(), name, o.variable());
    }
    return new BotConfig(
        bot.id(),
        bot.type(),
        bot.name(),
        bot.autostart(),
        bot.restart(),
        bot.settings().with(values),
        by,
        bot.schedule());
  }

  private Settings section(Map<?, ?> root, String name) {
    Object value = root.get(name);
    if (value == null) {
      return Settings.empty();
    }
    if (!(value instanceof Map<?, ?> map)) {
      throw fail(name + ": expected a map but was " + kind(value));
    }
    return settings(map, name);
  }

  private List<BotConfig> bots(Object section) {
    if (section == null) {
      return List.of();
    }
    if (!(section instanceof List<?> entries)) {
      throw fail("bots: expected a list of bots but was " + kind(section));
    }
    List<BotConfig> out = new ArrayList<>(entries.size());
    Map<String, Integer> positions = new HashMap<>();
    for (int i = 0; i < entries.size(); i++) {
      BotConfig bot = bot(entries.get(i), i);
      Integer earlier = positions.putIfAbsent(bot.id(), i);
      if (earlier != null) {
        throw fail(
            "bots["
                + i
                + "]: duplicate id '"
                + bot.id()
                + "' (already used by bots["
                + earlier
                + "])");
      }
      out.add(bot);
    }
    return out;
  }

  private BotConfig bot(Object entry, int index) {
    String at = "bots[" + index + "]";
    if (!(entry instanceof Map<?, ?> fields)) {
      throw fail(at + ": expected a bot (a map with id, type, ...) but was " + kind(entry));
    }
    String id = requiredText(fields, "id", at);
    try {
      new BotSpec(id, "-", null, null);
    } catch (RehoboamException e) {
      throw fail(
          at + ".id: " + e.getMessage().replaceFirst("^bot id: ", "") + " but was '" + id + "'");
    }
    at = "bots[" + id + "]";
    for (Object key : fields.keySet()) {
      if (!BOT_KEYS.contains(String.valueOf(key))) {
        throw fail(at + ": unknown key '" + key + "' (known: " + String.join(", ", BOT_KEYS) + ")");
      }
    }
    String type = requiredText(fields, "type", at);
    if (type.isBlank()) {
      throw fail(at + ".type: must not be blank");
    }
    Object nameValue = fields.get("name");
    if (nameValue instanceof Map<?, ?> || nameValue instanceof List<?>) {
      throw fail(at + ".name: expected a text but was " + kind(nameValue));
    }
    String name = nameValue == null ? null : String.valueOf(nameValue);
    boolean autostart = bool(fields.get("autostart"), at + ".autostart");
    RestartPolicy restart = restart(fields.get("restart"), at);
    Object settingsValue = fields.get("settings");
    Settings settings = Settings.empty();
    if (settingsValue instanceof Map<?, ?> map) {
      settings = settings(map, at + ".settings");
    } else if (settingsValue != null) {
      throw fail(at + ".settings: expected a map of settings but was " + kind(settingsValue));
    }
    Schedule schedule = null;
    if (fields.get("schedule") != null) {
      try {
        schedule = Schedule.parse(fields.get("schedule"), at + ".schedule");
      } catch (RehoboamException e) {
        throw fail(e.getMessage());
      }
      if (autostart) {
        throw fail(
            at + ".autostart: a bot with a schedule is started and stopped by it; drop autostart");
      }
    }
    return new BotConfig(id, type, name, autostart, restart, settings, Map.of(), schedule);
  }

  private String requiredText(Map<?, ?> fields, String field, String at) {
    Object value = fields.get(field);
    if (value == null) {
      throw fail(at + ": missing required field '" + field + "'");
    }
    if (value instanceof String s) {
      return s;
    }
    if (value instanceof Integer || value instanceof Long || value instanceof BigInteger) {
      // YAML reads "id: 7" as a number; as an id it means the text "7".
      return value.toString();
    }
    throw fail(at + "." + field + ": expected a text but was " + kind(value));
  }

  private boolean bool(Object value, String at) {
    if (value == null) {
      return false;
    }
    if (value instanceof Boolean b) {
      return b;
    }
    if (value instanceof String s) {
      switch (s.trim().toLowerCase(Locale.ROOT)) {
        case "true", "yes", "on":
          return true;
        case "false", "no", "off":
          return false;
        default:
          break;
      }
    }
    throw fail(at + ": expected true or false but was " + shown(value));
  }

  private Settings settings(Map<?, ?> map, String at) {
    Map<String, String> lowerCased = new HashMap<>();
    Map<String, Object> values = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      String name = String.valueOf(e.getKey());
      if (name.isBlank()) {
        throw fail(at + ": a setting has a blank name");
      }
      // Environment overrides match names case-insensitively, so they must be unique that way.
      String other = lowerCased.putIfAbsent(name.toLowerCase(Locale.ROOT), name);
      if (other != null) {
        throw fail(at + ": settings '" + other + "' and '" + name + "' differ only in case");
      }
      values.put(name, e.getValue());
    }
    return Settings.of(values);
  }

  private RestartPolicy restart(Object value, String bot) {
    if (value == null) {
      return RestartPolicy.DEFAULT;
    }
    String at = bot + ".restart";
    if (!(value instanceof Map<?, ?> fields)) {
      throw fail(at + ": expected a map of restart settings but was " + kind(value));
    }
    for (Object key : fields.keySet()) {
      if (!RESTART_KEYS.contains(String.valueOf(key))) {
        throw fail(
            at + ": unknown key '" + key + "' (known: " + String.join(", ", RESTART_KEYS) + ")");
      }
    }
    RestartPolicy d = RestartPolicy.DEFAULT;
    try {
      Object policy = fields.get("policy");
      return new RestartPolicy(
          policy == null ? d.mode() : RestartPolicy.Mode.parse(String.valueOf(policy)),
          maxRetries(fields.get("max_retries"), d.maxRetries(), at + ".max_retries"),
          duration(fields.get("backoff_initial"), d.initialBackoff(), at + ".backoff_initial"),
          duration(fields.get("backoff_max"), d.maxBackoff(), at + ".backoff_max"),
          number(fields.get("backoff_multiplier"), d.multiplier(), at + ".backoff_multiplier"),
          number(fields.get("jitter"), d.jitter(), at + ".jitter"),
          duration(fields.get("start_seconds"), d.startSeconds(), at + ".start_seconds"),
          duration(
              fields.get("heartbeat_timeout"), d.heartbeatTimeout(), at + ".heartbeat_timeout"),
          duration(fields.get("start_timeout"), d.startTimeout(), at + ".start_timeout"),
          duration(fields.get("stop_timeout"), d.stopTimeout(), at + ".stop_timeout"),
          duration(fields.get("failure_window"), d.failureWindow(), at + ".failure_window"));
    } catch (RehoboamException e) {
      if (e.getMessage().startsWith(source + ": ")) {
        throw e;
      }
      // RestartPolicy names the field as restart.<field>; add where it was.
      throw new RehoboamException(
          ErrorCode.INVALID_CONFIG, source + ": " + bot + "." + e.getMessage(), e);
    }
  }

  private int maxRetries(Object value, int fallback, String at) {
    if (value == null) {
      return fallback;
    }
    if (value instanceof String s && s.trim().equalsIgnoreCase("unlimited")) {
      return -1;
    }
    BigDecimal n = decimal(value);
    try {
      if (n != null) {
        return n.intValueExact();
      }
    } catch (ArithmeticException e) {
      // not an integer, or beyond int: reported below
    }
    throw fail(at + ": expected an integer or 'unlimited' but was " + shown(value));
  }

  private double number(Object value, double fallback, String at) {
    if (value == null) {
      return fallback;
    }
    if (value instanceof Double d) {
      // .nan and .inf: RestartPolicy reports them as out of range
      return d;
    }
    BigDecimal n = decimal(value);
    if (n == null) {
      throw fail(at + ": expected a number but was " + shown(value));
    }
    return n.doubleValue();
  }

  private Duration duration(Object value, Duration fallback, String at) {
    if (value == null) {
      return fallback;
    }
    Duration d =
        value instanceof String || value instanceof Number
            ? Settings.parseDuration(value.toString().trim())
            : null;
    if (d == null) {
      throw fail(at + ": expected " + DURATION_GRAMMAR + " but was " + shown(value));
    }
    return d;
  }

  /** A number or numeric text as a decimal; null for anything else (booleans, NaN, text). */
  private static BigDecimal decimal(Object value) {
    if (value instanceof BigDecimal d) {
      return d;
    }
    if (value instanceof Number || value instanceof String) {
      try {
        return new BigDecimal(value.toString().trim());
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  private RehoboamException fail(String problem) {
    return new RehoboamException(ErrorCode.INVALID_CONFIG, source + ": " + problem);
  }

  /** A value of a field that is never secret, quoted; containers by kind. */
  private static String shown(Object value) {
    return value instanceof Map<?, ?> || value instanceof List<?> ? kind(value) : "'" + value + "'";
  }

  /** What a value is, without its content. */
  private static String kind(Object value) {
    if (value instanceof Map<?, ?>) {
      return "a map";
    }
    if (value instanceof List<?>) {
      return "a list";
    }
    if (value instanceof Boolean) {
      return "a boolean";
    }
    if (value instanceof Number) {
      return "a number";
    }
    return value == null ? "empty" : "a text";
  }
}
