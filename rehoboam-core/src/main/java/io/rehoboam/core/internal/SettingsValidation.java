package io.rehoboam.core.internal;

import io.rehoboam.core.config.Secrets;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.Settings;
import io.rehoboam.spi.SettingsSchema;
import java.util.Map;

/**
 * Checks settings against their provider's {@link SettingsSchema} and turns a failure into one
 * INVALID_CONFIG error that names where (the bot, or the configuration entry) and the field; a
 * secret's value never reaches the message.
 */
public final class SettingsValidation {
  private SettingsValidation() {}

  /**
   * @param where what the settings belong to, for example {@code bot 'scout'}
   * @throws RehoboamException INVALID_CONFIG, message {@code <where>: <field>: <problem>}
   */
  public static void check(
      String where, SettingsSchema schema, Settings settings, Map<String, String> env) {
    try {
      schema.validate(settings, env);
    } catch (RehoboamException e) {
      String message =
          Secrets.redact(e.getMessage(), Secrets.secretValues(settings, schema.sensitiveNames()));
      throw new RehoboamException(ErrorCode.INVALID_CONFIG, where + ": " + message);
    } catch (RuntimeException e) {
      // A provider's check that fails unexpectedly still names where; never a bare 500.
      throw new RehoboamException(
          ErrorCode.INVALID_CONFIG,
          where + ": settings could not be checked (" + e.getClass().getSimpleName() + ")");
    }
  }
}
