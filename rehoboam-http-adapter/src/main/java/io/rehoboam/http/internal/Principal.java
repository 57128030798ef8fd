package io.rehoboam.http.internal;

import io.rehoboam.http.Scope;
import java.util.Set;

/**
 * Who a request or WebSocket connection acts as: a configured key (by id, never the key itself), or
 * {@code anonymous} on a server without keys.
 */
public record Principal(String keyId, Set<Scope> scopes, boolean anonymous) {
  public static final String ANONYMOUS = "anonymous";

  public Principal {
    scopes = Set.copyOf(scopes);
  }

  public boolean allows(Scope scope) {
    return scopes.contains(scope);
  }
}
