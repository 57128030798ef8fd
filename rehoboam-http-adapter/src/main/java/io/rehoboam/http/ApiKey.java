package io.rehoboam.http;

import io.rehoboam.spi.Checks;
import io.rehoboam.spi.RehoboamException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An API key as the server keeps it: its id (what logs and audit records name), the SHA-256 of the
 * key, and its scopes. The key itself is never kept: a key from the environment is hashed when the
 * settings are read and the text dropped. {@link #toString()} shows neither key nor hash.
 *
 * <p>Keys are bearer tokens ({@code Authorization: Bearer <key>}). They should be long random
 * strings (at least {@value #MIN_KEY_LENGTH} characters; for example {@code openssl rand -hex 32}),
 * which is why an unsalted SHA-256 is enough to store them: there is nothing to guess from.
 *
 * @param id a name for the key: letters, digits, {@code _ . -}, 1..64 characters
 * @param sha256 the key's SHA-256, 64 lower-case hex digits
 * @param scopes what the key may do; at least one
 */
public record ApiKey(String id, String sha256, Set<Scope> scopes) {
  /** Shorter keys are refused: they could be guessed. */
  public static final int MIN_KEY_LENGTH = 16;

  /** How a hash is written in the configuration. */
  public static final String HASH_PREFIX = "sha256:";

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
  private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

  public ApiKey {
    Checks.notNull(id, "id");
    Checks.check(ID.matcher(id).matches(), "id", "must be 1..64 of A-Z a-z 0-9 _ . -");
    Checks.notNull(sha256, "hash");
    Checks.check(HEX.matcher(sha256).matches(), "hash", "expected 64 lower-case hex digits");
    Checks.notNull(scopes, "scopes");
    Checks.check(!scopes.isEmpty(), "scopes", "must name at least one scope");
    scopes = Set.copyOf(EnumSet.copyOf(scopes));
  }

  /**
   * A key given as text (from the environment): hashed here, the text is not kept.
   *
   * @throws RehoboamException INVALID_ARGUMENT when the key is shorter than {@value
   *     #MIN_KEY_LENGTH} characters
   */
  public static ApiKey ofKey(String id, String key, Set<Scope> scopes) {
    Checks.notNull(key, "key");
    if (key.strip().length() < MIN_KEY_LENGTH) {
      throw RehoboamException.invalid(
          "key", "must be at least " + MIN_KEY_LENGTH + " characters (a long random string)");
    }
    return new ApiKey(id, hex(key.strip()), scopes);
  }

  /**
   * A key given by its hash as the configuration writes it, {@code sha256:<64 hex digits>}.
   *
   * @throws RehoboamException INVALID_ARGUMENT naming {@code hash} when it is not in that form
   */
  public static ApiKey ofHash(String id, String hash, Set<Scope> scopes) {
    Checks.notNull(hash, "hash");
    String h = hash.strip();
    if (!h.startsWith(HASH_PREFIX) || !HEX.matcher(h.substring(HASH_PREFIX.length())).matches()) {
      throw RehoboamException.invalid(
          "hash", "expected " + HASH_PREFIX + "<64 lower-case hex digits> (see ApiKey.hash)");
    }
    return new ApiKey(id, h.substring(HASH_PREFIX.length()), scopes);
  }

  /**
   * The configuration form of a key's hash: {@code sha256:<hex>}. The same as {@code printf %s
   * "$KEY" | sha256sum} prefixed with {@code sha256:}. Leading and trailing white space is ignored,
   * as it is when a request presents the key.
   */
  public static String hash(String key) {
    return HASH_PREFIX + hex(Checks.notNull(key, "key").strip());
  }

  /** The SHA-256 of a presented key, to compare with {@link #sha256()} bytes. */
  static byte[] digest(String key) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  private static String hex(String key) {
    return HexFormat.of().formatHex(digest(key));
  }

  /** The hash as bytes. */
  public byte[] sha256Bytes() {
    return HexFormat.of().parseHex(sha256);
  }

  public boolean allows(Scope scope) {
    return scopes.contains(scope);
  }

  @Override
  public String toString() {
    return "ApiKey[id="
        + id
        + ", scopes="
        + scopes.stream().map(Scope::wireName).sorted().toList()
        + "]";
  }
}
