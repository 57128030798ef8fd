package io.rehoboam.bot.process.internal;

import io.rehoboam.bot.process.ProcessBotSettings;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The environment a bot's program gets: the inherited one without the service's secrets, plus the
 * bot's {@code env} and {@code secret_env}, plus the markers {@code REHOBOAM_BOT_ID}, {@code
 * REHOBOAM_INSTANCE} and, when the provider has an owner, {@code REHOBOAM_OWNER}.
 *
 * <p>An inherited variable counts as a secret of the service when its name starts with {@code ARB_}
 * (configuration overrides, which may hold any bot's secret settings), or, compared
 * case-insensitively, ends in {@code KEY} or contains {@code SECRET}, {@code PRIVATE}, {@code
 * TOKEN}, {@code PASSWORD}, {@code PASSWD} or {@code CREDENTIAL}. Such a variable is passed only
 * when {@code pass_env} names it (or a prefix of it with {@code *}).
 */
public final class ChildEnvironment {
  private static final List<String> SECRET_PARTS =
      List.of("SECRET", "PRIVATE", "TOKEN", "PASSWORD", "PASSWD", "CREDENTIAL");

  private ChildEnvironment() {}

  /** Whether an inherited variable of this name is kept from the program unless listed. */
  public static boolean looksSecret(String name) {
    String upper = name.toUpperCase(Locale.ROOT);
    if (upper.startsWith("ARB_") || upper.endsWith("KEY")) {
      return true;
    }
    for (String part : SECRET_PARTS) {
      if (upper.contains(part)) {
        return true;
      }
    }
    return false;
  }

  static boolean passed(String name, List<String> passEnv) {
    for (String p : passEnv) {
      if (p.endsWith("*") ? name.startsWith(p.substring(0, p.length() - 1)) : name.equals(p)) {
        return true;
      }
    }
    return false;
  }

  /** The full environment of one run, without an owner marker. */
  public static Map<String, String> build(
      Map<String, String> inherited, ProcessBotSettings settings, String botId, String instanceId) {
    return build(inherited, settings, botId, instanceId, null);
  }

  /** The full environment of one run; {@code owner} (may be null) becomes REHOBOAM_OWNER. */
  public static Map<String, String> build(
      Map<String, String> inherited,
      ProcessBotSettings settings,
      String botId,
      String instanceId,
      String owner) {
    Map<String, String> out = new TreeMap<>();
    inherited.forEach(
        (name, value) -> {
          if (!looksSecret(name) || passed(name, settings.passEnv())) {
            out.put(name, value);
          }
        });
    // The markers of an outer Rehoboam (a bot that runs a service) must not leak into ours.
    out.remove(ProcessBotSettings.BOT_ID_VARIABLE);
    out.remove(ProcessBotSettings.INSTANCE_VARIABLE);
    out.remove(ProcessBotSettings.OWNER_VARIABLE);
    out.putAll(settings.env());
    out.putAll(settings.secretEnv());
    out.put(ProcessBotSettings.BOT_ID_VARIABLE, botId);
    out.put(ProcessBotSettings.INSTANCE_VARIABLE, instanceId);
    if (owner != null) {
      out.put(ProcessBotSettings.OWNER_VARIABLE, owner);
    }
    return out;
  }
}
