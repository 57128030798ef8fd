package io.rehoboam.core.config;

import io.rehoboam.core.config.internal.ConfigParser;
import io.rehoboam.spi.Checks;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Reads the configuration: one YAML file with the sections {@code bots}, {@code sources}, {@code
 * executors}, {@code risk}, {@code server} and {@code quote}, then the environment overrides {@code
 * ARB_<BOT_ID>__<SETTING>} (see {@link EnvOverrides}) laid over the bots' settings.
 *
 * <p>Anything wrong is a {@link RehoboamException} with {@link ErrorCode#INVALID_CONFIG} whose
 * message starts with the file and names the section, bot and field, for example {@code
 * config.yaml: bots[live_monitor].restart.max_retries: expected an integer or 'unlimited' but was
 * 'lots'}. Unknown keys are errors. Setting values are never quoted in errors or logs. An empty
 * file (or one with only comments) is an empty configuration. Stateless and thread-safe.
 */
public final class ConfigLoader {
  /** The source name of YAML given to {@link #parse} without one. */
  public static final String INLINE = "<inline>";

  private ConfigLoader() {}

  /**
   * Reads {@code file} (UTF-8) and parses it as {@link #parse} does, with the path as the source
   * name. A missing or unreadable file is {@link ErrorCode#INVALID_CONFIG} naming the path.
   *
   * @param env the environment, usually {@code System.getenv()}; only {@code ARB_} variables count
   */
  public static RehoboamConfig load(Path file, Map<String, String> env) {
    Checks.notNull(file, "file");
    Checks.notNull(env, "env");
    String yaml;
    try {
      yaml = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw unreadable(file, "no such file", e);
    } catch (AccessDeniedException e) {
      throw unreadable(file, "permission denied", e);
    } catch (CharacterCodingException e) {
      throw unreadable(file, "not UTF-8 text", e);
    } catch (IOException e) {
      throw unreadable(
          file, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), e);
    }
    return ConfigParser.parse(yaml, file.toString(), env, true);
  }

  /**
   * Parses configuration YAML.
   *
   * @param sourceName the name errors start with; null or blank means {@code "<inline>"}
   * @param env the environment: {@code ${NAME}} and {@code ${NAME:-default}} in string values are
   *     replaced from it; of its {@code ARB_} variables each must be well-formed and name a
   *     configured bot, and overrides that bot's setting
   */
  public static RehoboamConfig parse(String yaml, String sourceName, Map<String, String> env) {
    Checks.notNull(yaml, "yaml");
    Checks.notNull(env, "env");
    return ConfigParser.parse(yaml, source(sourceName), env, true);
  }

  /**
   * Parses configuration that comes from a client rather than the operator's file (a bot registered
   * over HTTP): values are taken as written, {@code ${...}} included, so that a client cannot read
   * the server's environment through them; no {@code ARB_} overrides.
   */
  public static RehoboamConfig parseLiteral(String yaml, String sourceName) {
    Checks.notNull(yaml, "yaml");
    return ConfigParser.parse(yaml, source(sourceName), Map.of(), false);
  }

  private static String source(String sourceName) {
    return sourceName == null || sourceName.isBlank() ? INLINE : sourceName;
  }

  private static RehoboamException unreadable(Path file, String why, IOException cause) {
    return new RehoboamException(
        ErrorCode.INVALID_CONFIG, "cannot read config file " + file + ": " + why, cause);
  }
}
