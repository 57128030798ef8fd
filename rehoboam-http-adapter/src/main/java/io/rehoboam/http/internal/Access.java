package io.rehoboam.http.internal;

import io.rehoboam.http.ApiKey;
import io.rehoboam.http.Scope;
import io.rehoboam.http.ServerSettings;
import java.security.MessageDigest;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Authentication (bearer API keys, compared by SHA-256 in constant time) and authorization
 * (scopes). Without configured keys every caller is {@code anonymous} with {@code read} and {@code
 * control}, and {@code execute} only when {@code server.allow_unauthenticated_execute} says so.
 * Thread-safe, immutable.
 */
public final class Access {
  private static final String BEARER = "bearer ";

  private final List<ApiKey> keys;
  private final List<byte[]> hashes;
  private final Principal anonymous;

  public Access(ServerSettings settings) {
    this.keys = settings.keys();
    this.hashes = keys.stream().map(ApiKey::sha256Bytes).toList();
    Set<Scope> open = EnumSet.of(Scope.READ, Scope.CONTROL);
    if (settings.allowUnauthenticatedExecute()) {
      open.add(Scope.EXECUTE);
    }
    this.anonymous = new Principal(Principal.ANONYMOUS, open, true);
  }

  public boolean keysRequired() {
    return !keys.isEmpty();
  }

  /**
   * Who presents this {@code Authorization} header.
   *
   * @throws ApiError.Failure 401 when keys are configured and the header is missing or holds no
   *     valid key
   */
  public Principal authenticate(String authorization) {
    if (keys.isEmpty()) {
      return anonymous;
    }
    if (authorization == null || authorization.isBlank()) {
      throw unauthenticated("an API key is required (header Authorization: Bearer <key>)");
    }
    String header = authorization.strip();
    if (!header.toLowerCase(Locale.ROOT).startsWith(BEARER)) {
      throw unauthenticated("the Authorization header must be 'Bearer <key>'");
    }
    byte[] presented = digestOf(header.substring(BEARER.length()).strip());
    ApiKey match = null;
    // Every key is compared, each in constant time, so timing tells nothing about which matched.
    for (int i = 0; i < hashes.size(); i++) {
      if (MessageDigest.isEqual(presented, hashes.get(i)) && match == null) {
        match = keys.get(i);
      }
    }
    if (match == null) {
      throw unauthenticated("the API key is not valid");
    }
    return new Principal(match.id(), match.scopes(), false);
  }

  private static byte[] digestOf(String key) {
    try {
      return MessageDigest.getInstance("SHA-256")
          .digest(key.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  /**
   * Checks that {@code principal} may act with {@code scope}.
   *
   * @throws ApiError.Failure 403 naming the scope
   */
  public void authorize(Principal principal, Scope scope) {
    if (principal.allows(scope)) {
      return;
    }
    String message =
        principal.anonymous()
            ? scope == Scope.EXECUTE
                ? "execute needs an API key with scope execute (server.keys); a loopback server"
                    + " without keys executes only with server.allow_unauthenticated_execute: true"
                : "this needs an API key with scope " + scope.wireName() + " (server.keys)"
            : "API key '"
                + principal.keyId()
                + "' lacks scope "
                + scope.wireName()
                + " (it has "
                + String.join(
                    ", ", principal.scopes().stream().map(Scope::wireName).sorted().toList())
                + ")";
    throw new ApiError(403, "FORBIDDEN", message, Map.of("scope", scope.wireName())).toException();
  }

  private static ApiError.Failure unauthenticated(String message) {
    return new ApiError(401, "UNAUTHENTICATED", message, null).toException();
  }
}
