package io.rehoboam.http.internal;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.rehoboam.http.Scope;
import io.rehoboam.http.ServerSettings;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Everything a request passes before its handler, in this order: the browser origin (CORS, closed
 * unless listed), on a server without keys the Host header (only loopback names, against DNS
 * rebinding), the client address's rate limit; then, per endpoint, the API key (401), the key's
 * rate limit (429), the scope (403), and after the handler the audit record of control and execute
 * actions. The WebSocket upgrade and each WebSocket command go through the same checks.
 */
public final class Guard {
  /** Request attribute: the route template, for the request metrics. */
  public static final String ROUTE_ATTRIBUTE = "rehoboam.route";

  /** Request attribute: what a control or execute handler acted on, for the audit record. */
  public static final String TARGET_ATTRIBUTE = "rehoboam.target";

  /** Request attribute: the {@link Principal} an endpoint with a scope was called as. */
  public static final String PRINCIPAL_ATTRIBUTE = "rehoboam.principal";

  /**
   * WebSocket subprotocol prefix that carries an API key from a browser, which cannot set the
   * Authorization header on a WebSocket: {@code rehoboam.bearer.<the key in base64url>}, offered
   * after a plain protocol such as {@code rehoboam.v1} (the one the server answers with).
   */
  public static final String BEARER_PROTOCOL_PREFIX = "rehoboam.bearer.";

  private static final Pattern LOOPBACK_V4 = Pattern.compile("127(\\.\\d{1,3}){3}");
  private static final String ALLOWED_HEADERS = "Authorization, Content-Type, Idempotency-Key";

  private final Access access;
  private final RateLimiter perKey;
  private final RateLimiter perAddress;
  private final ServerSettings.CorsSettings cors;
  private final boolean checkHost;
  private final Audit audit;

  public Guard(
      Access access,
      RateLimiter perKey,
      RateLimiter perAddress,
      ServerSettings.CorsSettings cors,
      Audit audit) {
    this.access = access;
    this.perKey = perKey;
    this.perAddress = perAddress;
    this.cors = cors;
    this.checkHost = !access.keysRequired();
    this.audit = audit;
  }

  public Access access() {
    return access;
  }

  /** The checks every request passes; answers a CORS preflight itself. */
  public void before(Context ctx) {
    if ((ctx.method() == HandlerType.GET || ctx.method() == HandlerType.DELETE)
        && (ctx.req().getContentLengthLong() > 0 || ctx.header("Transfer-Encoding") != null)) {
      throw ApiError.invalid("body", "a " + ctx.method() + " request takes no body").toException();
    }
    String origin = ctx.header("Origin");
    if (origin != null && !sameOrigin(ctx, origin)) {
      checkOrigin(origin);
      ctx.header("Access-Control-Allow-Origin", origin);
      ctx.header("Vary", "Origin");
      ctx.header("Access-Control-Expose-Headers", "Retry-After, WWW-Authenticate");
      if (ctx.method() == HandlerType.OPTIONS
          && ctx.header("Access-Control-Request-Method") != null) {
        ctx.header("Access-Control-Allow-Methods", "GET, POST, DELETE");
        ctx.header("Access-Control-Allow-Headers", ALLOWED_HEADERS);
        ctx.header("Access-Control-Max-Age", "600");
        ctx.status(204);
        ctx.skipRemainingHandlers();
        return;
      }
    }
    if (checkHost) {
      checkHost(ctx.header("Host"));
    }
    limit(ctx, perAddress, ctx.ip(), "per_address", "address " + ctx.ip());
  }

  /**
   * Whether the browser origin is the server's own (the dashboard's page): the request's scheme and
   * Host header. A page elsewhere cannot send this Origin, and a rebound DNS name fails the Host
   * check of a server without keys.
   */
  private static boolean sameOrigin(Context ctx, String origin) {
    String host = ctx.header("Host");
    return host != null && origin.equalsIgnoreCase(ctx.scheme() + "://" + host.strip());
  }

  private void checkOrigin(String origin) {
    if (!cors.allows(origin)) {
      throw new ApiError(
              403,
              "FORBIDDEN",
              "origin '"
                  + clip(origin)
                  + "' is not allowed (server.cors.allowed_origins lists the browser origins that"
                  + " may use this server)",
              Map.of("field", "origin"))
          .toException();
    }
  }

  /** Host headers already found to be loopback names (a few: localhost, 127.0.0.1 and ports). */
  private final Set<String> loopbackHosts = ConcurrentHashMap.newKeySet();

  private void checkHost(String host) {
    if (host != null && loopbackHosts.contains(host)) {
      return;
    }
    String name = hostName(host);
    boolean loopback =
        name != null
            && (name.equalsIgnoreCase("localhost")
                || LOOPBACK_V4.matcher(name).matches()
                || name.equals("[::1]"));
    if (loopback) {
      if (loopbackHosts.size() < 64) {
        loopbackHosts.add(host);
      }
    } else {
      throw new ApiError(
              403,
              "FORBIDDEN",
              "host '"
                  + clip(String.valueOf(host))
                  + "' is not allowed: a server without API keys answers only to localhost and"
                  + " loopback addresses",
              Map.of("field", "host"))
          .toException();
    }
  }

  /** The host part of a Host header: a name, an IPv4 literal or a bracketed IPv6 literal. */
  private static String hostName(String host) {
    if (host == null || host.isBlank()) {
      return null;
    }
    String h = host.strip();
    if (h.startsWith("[")) {
      int end = h.indexOf(']');
      return end < 0 ? null : h.substring(0, end + 1);
    }
    int colon = h.indexOf(':');
    return colon < 0 ? h : h.substring(0, colon);
  }

  /** The endpoint's handler behind the key, rate and scope checks, and the audit record. */
  public Handler wrap(Route route) {
    return ctx -> {
      ctx.attribute(ROUTE_ATTRIBUTE, route.path());
      if (route.scope() == null) {
        route.handler().handle(ctx);
        return;
      }
      Principal principal = authenticate(ctx);
      ctx.attribute(PRINCIPAL_ATTRIBUTE, principal);
      if (route.action() == null) {
        access.authorize(principal, route.scope());
        route.handler().handle(ctx);
        return;
      }
      try {
        access.authorize(principal, route.scope());
        route.handler().handle(ctx);
      } catch (HttpResponseException e) {
        audit.record(
            principal,
            ctx.ip(),
            "rest",
            route.action(),
            target(ctx),
            "HTTP_" + e.getStatus(),
            e.getStatus());
        throw e;
      } catch (Exception e) {
        // Converted once: an internal error is logged once, under the reference its answer shows.
        ApiError error = ApiError.of(e);
        audit.record(
            principal, ctx.ip(), "rest", route.action(), target(ctx), error.code(), error.status());
        throw error.toException();
      }
      audit.record(
          principal, ctx.ip(), "rest", route.action(), target(ctx), "ok", ctx.statusCode());
    };
  }

  /** The API key's principal (401 without a valid one) after the key's rate limit. */
  public Principal authenticate(Context ctx) {
    return authenticate(ctx, ctx.header("Authorization"));
  }

  private Principal authenticate(Context ctx, String authorization) {
    Principal principal;
    try {
      principal = access.authenticate(authorization);
    } catch (ApiError.Failure f) {
      ctx.header("WWW-Authenticate", "Bearer realm=\"rehoboam\"");
      throw f;
    }
    if (!principal.anonymous()) {
      limit(ctx, perKey, principal.keyId(), "per_key", "API key '" + principal.keyId() + "'");
    }
    return principal;
  }

  /**
   * The checks of a WebSocket upgrade: origin, client address rate, key (401), key rate and scope
   * {@code read} (403).
   *
   * @return who the connection acts as
   */
  public Principal upgrade(Context ctx) {
    String origin = ctx.header("Origin");
    if (origin != null && !sameOrigin(ctx, origin)) {
      checkOrigin(origin);
    }
    if (checkHost) {
      checkHost(ctx.header("Host"));
    }
    limit(ctx, perAddress, ctx.ip(), "per_address", "address " + ctx.ip());
    String authorization = ctx.header("Authorization");
    if (authorization == null) {
      authorization = bearerFromProtocols(ctx.header("Sec-WebSocket-Protocol"));
    }
    Principal principal = authenticate(ctx, authorization);
    access.authorize(principal, Scope.READ);
    return principal;
  }

  /**
   * {@code Bearer <key>} from a {@code rehoboam.bearer.<base64url>} entry of the offered WebSocket
   * subprotocols, or null when there is none (a malformed one is an invalid key: 401).
   */
  static String bearerFromProtocols(String protocols) {
    if (protocols == null) {
      return null;
    }
    for (String protocol : protocols.split(",")) {
      String p = protocol.strip();
      if (p.startsWith(BEARER_PROTOCOL_PREFIX)) {
        try {
          byte[] key =
              java.util.Base64.getUrlDecoder().decode(p.substring(BEARER_PROTOCOL_PREFIX.length()));
          return "Bearer " + new String(key, java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
          return "Bearer " + p; // not base64url: no key matches it
        }
      }
    }
    return null;
  }

  /**
   * The rate limits of one WebSocket message: the address's, then the key's.
   *
   * @throws ApiError.Failure 429
   */
  public void limitMessage(Principal principal, String address) {
    long wait = perAddress.acquire(address);
    if (wait > 0) {
      throw tooMany(wait, "per_address", "address " + address);
    }
    if (!principal.anonymous()) {
      wait = perKey.acquire(principal.keyId());
      if (wait > 0) {
        throw tooMany(wait, "per_key", "API key '" + principal.keyId() + "'");
      }
    }
  }

  public Audit audit() {
    return audit;
  }

  private static void limit(
      Context ctx, RateLimiter limiter, String name, String limit, String who) {
    long wait = limiter.acquire(name);
    if (wait > 0) {
      ctx.header("Retry-After", Long.toString(wait));
      throw tooMany(wait, limit, who);
    }
  }

  private static ApiError.Failure tooMany(long wait, String limit, String who) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("limit", limit);
    details.put("retry_after", wait);
    return new ApiError(
            429,
            "RATE_LIMITED",
            "too many requests from "
                + who
                + " (server.rate_limit."
                + limit
                + "); retry in "
                + wait
                + " s",
            details)
        .toException();
  }

  /**
   * What a control or execute request acts on: what the handler named ({@link #TARGET_ATTRIBUTE}),
   * else the bot id in the path, else none.
   */
  private static String target(Context ctx) {
    Object named = ctx.attribute(TARGET_ATTRIBUTE);
    return named != null ? named.toString() : ctx.pathParamMap().get("bot_id");
  }

  private static String clip(String text) {
    return text.length() <= 100 ? text : text.substring(0, 100) + "...";
  }
}
