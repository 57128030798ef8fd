package io.rehoboam.spi;

import java.util.Locale;

/**
 * The one rule for setting names that look like secrets, whatever a provider declares: a name that,
 * compared case-insensitively, contains {@code key}, {@code secret}, {@code token} (but not only as
 * the plural {@code tokens}, a list of token addresses such as {@code start_tokens}), {@code
 * password} or {@code passwd}, or starts with {@code private}. Examples: {@code private_key},
 * {@code api_key}, {@code PRIVATE_KEY}, {@code auth_token}, {@code db_password}, {@code
 * client_secret}, {@code privateKey}.
 *
 * <p>Also the rule for environment maps: a map-valued setting named {@code env} or ending in {@code
 * _env} (a process bot's {@code env}, {@code secret_env}) holds variables for a program, and its
 * values are always masked when shown. A text value under a name ending in {@code _env} (such as
 * {@code private_key_env: SIGNER_KEY}) names a variable; it is masked when shown, but it is a
 * reference, not the secret, so it is kept where the secret itself is dropped (the journal).
 *
 * <p>Stateless and thread-safe.
 */
public final class SecretNames {
  private SecretNames() {}

  /** Whether a setting of this name holds a secret by its name alone. */
  public static boolean looksSecret(String name) {
    if (name == null) {
      return false;
    }
    String n = name.toLowerCase(Locale.ROOT);
    return n.startsWith("private")
        || n.contains("key")
        || n.contains("secret")
        || n.contains("password")
        || n.contains("passwd")
        || n.replace("tokens", "").contains("token");
  }

  /** Whether a setting is sensitive: declared so by its provider, or named like a secret. */
  public static boolean isSensitive(String name, java.util.Set<String> declaredLowerCase) {
    return name != null
        && (declaredLowerCase.contains(name.toLowerCase(Locale.ROOT)) || looksSecret(name));
  }

  /** Whether a map under this name holds environment variables (its values always masked). */
  public static boolean holdsEnvironment(String name) {
    if (name == null) {
      return false;
    }
    String n = name.toLowerCase(Locale.ROOT);
    return n.equals("env") || n.endsWith("_env");
  }

  /** Whether this value under this name names an environment variable rather than holding one. */
  public static boolean isVariableReference(String name, Object value) {
    return value instanceof String
        && name != null
        && name.toLowerCase(Locale.ROOT).endsWith("_env");
  }
}
