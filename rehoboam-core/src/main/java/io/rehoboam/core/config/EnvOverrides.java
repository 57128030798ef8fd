package io.rehoboam.core.config;

import io.rehoboam.core.config.internal.EnvScan;
import io.rehoboam.spi.Checks;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Environment overrides of bot settings: a variable {@code ARB_<BOT_ID>__<SETTING>} (the bot id and
 * the setting name upper-cased, {@code '-'} and {@code '.'} in the id written as {@code '_'}, two
 * underscores between them) sets that setting of that bot, for example {@code
 * ARB_LIVE_MONITOR__MIN_PROFIT=5}. Variables not starting with {@code ARB_} are ignored. Values are
 * never logged or quoted in errors: they may be secrets. Stateless and thread-safe.
 */
public final class EnvOverrides {
  private EnvOverrides() {}

  /**
   * The overrides for one bot id found in env: setting name (lower-case) -> value. Used also for
   * bots registered at run time. Only well-formed (upper-case) variables count; {@link #validate}
   * reports the others.
   */
  public static Map<String, String> forBot(String botId, Map<String, String> env) {
    Checks.notBlank(botId, "botId");
    Checks.notNull(env, "env");
    Map<String, String> out = new LinkedHashMap<>();
    for (EnvScan.Override o : EnvScan.find(botId, env)) {
      out.put(o.setting(), o.value());
    }
    return Collections.unmodifiableMap(out);
  }

  /**
   * Checks every ARB_ variable: malformed names (no "__", empty bot or setting part, lower-case
   * letters) and overrides for bot ids not in knownBotIds -> INVALID_CONFIG naming the variable. A
   * variable that matches two known bots (such as {@code a-b} and {@code a_b}) is also an error.
   */
  public static void validate(Map<String, String> env, Set<String> knownBotIds) {
    Checks.notNull(env, "env");
    Checks.notNull(knownBotIds, "knownBotIds");
    EnvScan.validate(env, knownBotIds);
  }

  /** "ARB_" + BOTID + "__" + SETTING, upper-cased; '-' and '.' in the id become '_'. */
  public static String variableName(String botId, String setting) {
    Checks.notBlank(botId, "botId");
    Checks.notBlank(setting, "setting");
    return EnvScan.PREFIX
        + EnvScan.botPart(botId)
        + EnvScan.SEPARATOR
        + setting.toUpperCase(java.util.Locale.ROOT);
  }
}
