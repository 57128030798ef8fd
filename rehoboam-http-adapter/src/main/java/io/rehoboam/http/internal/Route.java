package io.rehoboam.http.internal;

import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.rehoboam.http.Scope;

/**
 * One HTTP endpoint: method, path (Javalin's {@code {param}} form, which is also OpenAPI's), the
 * scope a caller needs (null: anyone), and the audit action name for control and execute endpoints
 * (null: not audited).
 */
public record Route(HandlerType method, String path, Scope scope, String action, Handler handler) {

  /** {@code GET /api/arbitrage/bots}. */
  public String describe() {
    return method.name() + " " + path;
  }
}
