package io.rehoboam.http;

import io.rehoboam.core.config.RehoboamConfig;
import io.rehoboam.spi.Checks;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.Settings;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The HTTP server's settings: the configuration's {@code server} section.
 *
 * <pre>
 * server:
 *   bind: 127.0.0.1          # beyond loopback only with at least one key
 *   port: 8000               # 0 = any free port
 *   max_body_bytes: 65536    # larger request bodies get 413
 *   shutdown_timeout: 15s    # how long bots may take to stop on shutdown
 *   keys:                    # API keys (bearer tokens); never the key itself in the file
 *     - {id: ops, hash: "sha256:&lt;hex&gt;", scopes: [read, control, execute]}
 *     - {id: dashboard, key_env: REHOBOAM_DASHBOARD_KEY, scopes: [read]}
 *   allow_unauthenticated_execute: false   # without keys, on loopback: may anyone execute?
 *   rate_limit:              # token buckets; rate in requests per second, 0 = off
 *     per_key: {rate: 100, burst: 200}
 *     per_address: {rate: 100, burst: 200}
 *   cors:
 *     allowed_origins: []    # browser origins allowed to call the API and open the WebSocket
 *   tls:                     # present: HTTPS and WSS only
 *     keystore: /etc/rehoboam/server.p12
 *     keystore_password_env: REHOBOAM_KEYSTORE_PASSWORD
 *     keystore_type: PKCS12
 *   alerts:
 *     log: true
 *     source_check_interval: 10s
 *     webhooks:
 *       - {url: https://hooks.example.com/rehoboam, timeout: 5s, retries: 3, retry_backoff: 1s}
 *   ws:
 *     max_queue: 1024        # messages a client may fall behind before it is disconnected
 *     replay_buffer: 4096    # events kept for clients that reconnect with resume_from
 *     heartbeat_interval: 15s
 *     idle_timeout: 120s
 *     max_message_bytes: 65536
 *     close_timeout: 5s      # how long a closing client may take before it is cut off
 *     max_queue_bytes: 16777216  # bytes a client may fall behind before it is disconnected
 *   timeouts:
 *     header: 10s            # to send a request's line and headers, in all (else 408)
 *     body: 30s              # to send a request's body, in all (else 408)
 *     idle: 30s              # a connection with no traffic for this long is closed
 *   notifications: ...       # Telegram, Discord and Slack sinks: read by rehoboam-notify
 * </pre>
 *
 * <p>{@link #toString()} shows key ids and scopes, never a hash or a password.
 *
 * @param bind the address to listen on; beyond loopback only when {@code keys} is not empty
 * @param port the TCP port, 0 for any free one
 * @param maxBodyBytes the largest request body accepted
 * @param shutdownTimeout how long bots may take to stop when the server shuts down
 * @param webSocket the WebSocket settings
 * @param keys the API keys; empty means no authentication (loopback only)
 * @param allowUnauthenticatedExecute without keys, whether anyone may execute
 * @param rateLimit the request rate limits
 * @param cors the browser origins allowed
 * @param tls the keystore for HTTPS and WSS, or null for plain HTTP
 * @param alerts where alerts go
 * @param timeouts how long a client may take to send a request
 */
public record ServerSettings(
    String bind,
    int port,
    long maxBodyBytes,
    Duration shutdownTimeout,
    WebSocketSettings webSocket,
    List<ApiKey> keys,
    boolean allowUnauthenticatedExecute,
    RateLimitSettings rateLimit,
    CorsSettings cors,
    TlsSettings tls,
    AlertSettings alerts,
    TimeoutSettings timeouts) {

  /** The keys of the {@code server} section. */
  public static final List<String> KEYS =
      List.of(
          "bind",
          "port",
          "max_body_bytes",
          "shutdown_timeout",
          "keys",
          "allow_unauthenticated_execute",
          "rate_limit",
          "cors",
          "tls",
          "alerts",
          "ws",
          "timeouts",
          // Read by BacktestJobSettings.from (module rehoboam-backtest), not here.
          "backtests",
          // Read by rehoboam-notify (see its README), not by the HTTP adapter.
          "notifications",
          // Read by the server (rehoboam-journal's JournalSettings and ClusterSettings), not by
          // the HTTP adapter.
          "journal",
          "cluster");

  /**
   * Loopback, port 8000, 64 KiB bodies, 15 s shutdown, no keys (no unauthenticated execute), the
   * default rate limits, no CORS origin, plain HTTP, alerts to the log.
   */
  public static final ServerSettings DEFAULTS =
      new ServerSettings(
          "127.0.0.1",
          8000,
          64 * 1024,
          Duration.ofSeconds(15),
          WebSocketSettings.DEFAULTS,
          List.of(),
          false,
          RateLimitSettings.DEFAULTS,
          CorsSettings.NONE,
          null,
          AlertSettings.DEFAULTS,
          TimeoutSettings.DEFAULTS);

  public ServerSettings {
    Checks.notBlank(bind, "server.bind");
    Checks.check(port >= 0 && port <= 65535, "server.port", "must be 0..65535, was " + port);
    Checks.check(
        maxBodyBytes >= 1 && maxBodyBytes <= 64L * 1024 * 1024,
        "server.max_body_bytes",
        "must be 1..67108864, was " + maxBodyBytes);
    Checks.notNull(shutdownTimeout, "server.shutdown_timeout");
    Checks.check(!shutdownTimeout.isNegative(), "server.shutdown_timeout", "must not be negative");
    Checks.notNull(webSocket, "server.ws");
    Checks.notNull(timeouts, "server.timeouts");
    keys = List.copyOf(Checks.notNull(keys, "server.keys"));
    Set<String> ids = new HashSet<>();
    Set<String> hashes = new HashSet<>();
    for (ApiKey key : keys) {
      Checks.check(ids.add(key.id()), "server.keys", "duplicate key id '" + key.id() + "'");
      Checks.check(
          hashes.add(key.sha256()),
          "server.keys",
          "key '" + key.id() + "' is the same key as another one");
    }
    Checks.notNull(rateLimit, "server.rate_limit");
    Checks.notNull(cors, "server.cors");
    Checks.notNull(alerts, "server.alerts");
  }

  /**
   * Reads the {@code server} section of a configuration, with the process environment for {@code
   * key_env} and {@code keystore_password_env}; missing keys take their defaults.
   *
   * @throws RehoboamException INVALID_CONFIG naming the file and the key, for an unknown key or a
   *     bad value
   */
  public static ServerSettings from(RehoboamConfig config) {
    return from(config, System.getenv());
  }

  /** As {@link #from(RehoboamConfig)}, with the given environment. */
  public static ServerSettings from(RehoboamConfig config, Map<String, String> env) {
    Checks.notNull(config, "config");
    return from(config.server(), config.source(), env);
  }

  /**
   * Reads a {@code server} section.
   *
   * @param source the file the section came from, for error messages
   * @param env the environment {@code key_env} and {@code keystore_password_env} name variables of
   */
  public static ServerSettings from(Settings section, String source, Map<String, String> env) {
    Checks.notNull(section, "section");
    Checks.notNull(env, "env");
    String file = source == null || source.isBlank() ? "<inline>" : source;
    String where = file + ": server";
    rejectUnknown(section, KEYS, where);
    try {
      Settings ws = at(where, () -> section.section("ws"));
      rejectUnknown(ws, WebSocketSettings.KEYS, where + ".ws");
      WebSocketSettings d = WebSocketSettings.DEFAULTS;
      WebSocketSettings webSocket =
          new WebSocketSettings(
              at(where + ".ws", () -> ws.intValue("max_queue", d.maxQueue())),
              at(where + ".ws", () -> ws.intValue("replay_buffer", d.replayBuffer())),
              at(where + ".ws", () -> ws.duration("heartbeat_interval", d.heartbeatInterval())),
              at(where + ".ws", () -> ws.duration("idle_timeout", d.idleTimeout())),
              at(where + ".ws", () -> ws.intValue("max_message_bytes", d.maxMessageBytes())),
              at(where + ".ws", () -> ws.duration("close_timeout", d.closeTimeout())),
              at(where + ".ws", () -> ws.longValue("max_queue_bytes", d.maxQueueBytes())));
      ServerSettings defaults = DEFAULTS;
      return new ServerSettings(
          at(where, () -> section.string("bind", defaults.bind())),
          at(where, () -> section.intValue("port", defaults.port())),
          at(where, () -> section.longValue("max_body_bytes", defaults.maxBodyBytes())),
          at(where, () -> section.duration("shutdown_timeout", defaults.shutdownTimeout())),
          webSocket,
          readKeys(section.raw("keys").orElse(null), where, env),
          at(where, () -> section.bool("allow_unauthenticated_execute", false)),
          RateLimitSettings.from(at(where, () -> section.section("rate_limit")), where),
          CorsSettings.from(at(where, () -> section.section("cors")), where),
          TlsSettings.from(at(where, () -> section.section("tls")), where, env),
          AlertSettings.from(at(where, () -> section.section("alerts")), where),
          TimeoutSettings.from(at(where, () -> section.section("timeouts")), where));
    } catch (RehoboamException e) {
      if (e.code() == ErrorCode.INVALID_CONFIG) {
        throw e;
      }
      // Record checks name the field as server.x; put the file in front.
      throw new RehoboamException(ErrorCode.INVALID_CONFIG, file + ": " + e.getMessage(), e);
    }
  }

  private static List<ApiKey> readKeys(Object raw, String where, Map<String, String> env) {
    if (raw == null) {
      return List.of();
    }
    if (!(raw instanceof List<?> list)) {
      throw config(where + ".keys: expected a list of keys ({id, hash or key_env, scopes})");
    }
    List<ApiKey> keys = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      String at = where + ".keys[" + i + "]";
      if (!(list.get(i) instanceof Map<?, ?> map)) {
        throw config(at + ": expected a key ({id, hash or key_env, scopes})");
      }
      Map<String, Object> entry = new LinkedHashMap<>();
      map.forEach((k, v) -> entry.put(String.valueOf(k), v));
      Settings key = Settings.of(entry);
      if (key.has("key")) {
        throw config(
            at
                + ".key: a key itself never goes in the configuration file; give its hash"
                + " (hash: \"sha256:<hex>\") or the environment variable that holds it (key_env)");
      }
      rejectUnknown(key, List.of("id", "hash", "key_env", "scopes"), at);
      String id = at(at, () -> key.string("id", null));
      if (id == null || id.isBlank()) {
        throw config(at + ".id: is required");
      }
      String named = where + ".keys[" + id + "]";
      Set<Scope> scopes = EnumSet.noneOf(Scope.class);
      for (String s : at(named, () -> key.stringList("scopes"))) {
        scopes.add(at(named, () -> Scope.parse(s.trim().toLowerCase(Locale.ROOT), "scopes")));
      }
      if (scopes.isEmpty()) {
        throw config(named + ".scopes: is required (one or more of read, control, execute)");
      }
      boolean hasHash = key.has("hash");
      boolean hasEnv = key.has("key_env");
      if (hasHash == hasEnv) {
        throw config(named + ": give exactly one of hash (sha256:<hex>) and key_env");
      }
      if (hasHash) {
        keys.add(
            at(named, () -> ApiKey.ofHash(id, key.string("hash").orElse(""), Set.copyOf(scopes))));
      } else {
        String variable = key.string("key_env").orElse("");
        String value = env.get(variable);
        if (value == null || value.isBlank()) {
          throw config(named + ".key_env: the environment variable '" + variable + "' is not set");
        }
        keys.add(at(named, () -> ApiKey.ofKey(id, value, Set.copyOf(scopes))));
      }
    }
    return keys;
  }

  /** These settings on another port (0 = any free port). */
  public ServerSettings withPort(int newPort) {
    return new ServerSettings(
        bind,
        newPort,
        maxBodyBytes,
        shutdownTimeout,
        webSocket,
        keys,
        allowUnauthenticatedExecute,
        rateLimit,
        cors,
        tls,
        alerts,
        timeouts);
  }

  /** These settings bound to another address. */
  public ServerSettings withBind(String newBind) {
    return new ServerSettings(
        newBind,
        port,
        maxBodyBytes,
        shutdownTimeout,
        webSocket,
        keys,
        allowUnauthenticatedExecute,
        rateLimit,
        cors,
        tls,
        alerts,
        timeouts);
  }

  public ServerSettings withMaxBodyBytes(long newMaxBodyBytes) {
    return new ServerSettings(
        bind,
        port,
        newMaxBodyBytes,
        shutdownTimeout,
        webSocket,
        keys,
        allowUnauthenticatedExecute,
        rateLimit,
        cors,
        tls,
        alerts,
        timeouts);
  }

  public ServerSettings withWebSocket(WebSocketSettings newWebSocket) {
    return new ServerSettings(
        bind,
        port,
        maxBodyBytes,
        shutdownTimeout,
        newWebSocket,
        keys,
        allowUnauthenticatedExecute,
        rateLimit,
        cors,
        tls,
        alerts,
        timeouts);
  }

  public ServerSettings withKeys(List<ApiKey> newKeys) {
    return new ServerSettings(
        bind,
        port,
        maxBodyBytes,
        shutdownTimeout,
        webSocket,
        newKeys,
        allowUnauthenticatedExecute,
        rateLimit,
        cors,
        tls,
        alerts,
        timeouts);
  }

  public ServerSettings withAllowUnauthenticatedExecute(boolean allow) {
    return new ServerSettings(
        bind,
        port,
        maxBodyBytes,
        shutdownTimeout,
        webSocket,
        keys,
        allow,
        rateLimit,
        cors,
        tls,
        alerts,
        timeouts);
  }

  public ServerSettings withRateLimit(RateLimitSettings newRateLimit) {
    return new ServerSettings(
        bind,
        port,
        maxBodyBytes,
        shutdownTimeout,
        webSocket,
        keys,
        allowUnauthenticatedExecute,
        newRateLimit,
        cors,
        tls,
        alerts,
        timeouts);
  }

  public ServerSettings withCors(CorsSettings newCors) {
    return new ServerSettings(
        bind,
        port,
        maxBodyBytes,
        shutdownTimeout,
        webSocket,
        keys,
        allowUnauthenticatedExecute,
        rateLimit,
        newCors,
        tls,
        alerts,
        timeouts);
  }

  /** These settings with a keystore (HTTPS and WSS), or null for plain HTTP. */
  public ServerSettings withTls(TlsSettings newTls) {
    return new ServerSettings(
        bind,
        port,
        maxBodyBytes,
        shutdownTimeout,
        webSocket,
        keys,
        allowUnauthenticatedExecute,
        rateLimit,
        cors,
        newTls,
        alerts,
        timeouts);
  }

  public ServerSettings withAlerts(AlertSettings newAlerts) {
    return new ServerSettings(
        bind,
        port,
        maxBodyBytes,
        shutdownTimeout,
        webSocket,
        keys,
        allowUnauthenticatedExecute,
        rateLimit,
        cors,
        tls,
        newAlerts,
        timeouts);
  }

  public ServerSettings withTimeouts(TimeoutSettings newTimeouts) {
    return new ServerSettings(
        bind,
        port,
        maxBodyBytes,
        shutdownTimeout,
        webSocket,
        keys,
        allowUnauthenticatedExecute,
        rateLimit,
        cors,
        tls,
        alerts,
        newTimeouts);
  }

  /** Whether requests must present an API key (true as soon as one key is configured). */
  public boolean authenticationRequired() {
    return !keys.isEmpty();
  }

  /**
   * Resolves {@link #bind()} and checks the rule for it: beyond a loopback address only with at
   * least one API key, because without keys anyone who reaches the port could start, stop and
   * execute.
   *
   * @return the resolved address
   * @throws RehoboamException INVALID_CONFIG naming {@code server.bind} and saying why
   */
  public InetAddress listenAddress() {
    InetAddress address;
    try {
      address = InetAddress.getByName(bind);
    } catch (UnknownHostException e) {
      throw new RehoboamException(
          ErrorCode.INVALID_CONFIG, "server.bind: cannot resolve '" + bind + "'", e);
    }
    if (!address.isLoopbackAddress() && keys.isEmpty()) {
      throw new RehoboamException(
          ErrorCode.INVALID_CONFIG,
          "server.bind: '"
              + bind
              + "' is not a loopback address and server.keys is empty. Without API keys anyone"
              + " who can reach the port could start, stop and execute: add a key to server.keys"
              + " (see ApiKey.hash) or bind to 127.0.0.1, ::1 or localhost.");
    }
    return address;
  }

  @Override
  public String toString() {
    return "ServerSettings[bind="
        + bind
        + ", port="
        + port
        + ", keys="
        + keys
        + ", allow_unauthenticated_execute="
        + allowUnauthenticatedExecute
        + ", rate_limit="
        + rateLimit
        + ", cors="
        + cors
        + ", tls="
        + (tls == null ? "off" : tls)
        + ", alerts="
        + alerts
        + ", ws="
        + webSocket
        + ", timeouts="
        + timeouts
        + "]";
  }

  static void rejectUnknown(Settings section, List<String> known, String where) {
    for (String key : section.names()) {
      if (!known.contains(key)) {
        throw config(
            where + ": unknown key '" + key + "' (known: " + String.join(", ", known) + ")");
      }
    }
  }

  static RehoboamException config(String message) {
    return new RehoboamException(ErrorCode.INVALID_CONFIG, message);
  }

  static <T> T at(String where, Supplier<T> read) {
    try {
      return read.get();
    } catch (RehoboamException e) {
      if (e.code() == ErrorCode.INVALID_CONFIG && e.getMessage().startsWith(where)) {
        throw e;
      }
      throw new RehoboamException(ErrorCode.INVALID_CONFIG, where + "." + e.getMessage(), e);
    }
  }

  /**
   * The WebSocket {@code /ws/arbitrage} settings ({@code server.ws}).
   *
   * @param maxQueue messages queued for one client before it counts as too slow and is disconnected
   * @param replayBuffer the number of recent events kept for clients that reconnect with {@code
   *     resume_from}
   * @param heartbeatInterval how often every client gets a {@code heartbeat} message
   * @param idleTimeout a connection with no traffic for this long is closed
   * @param maxMessageBytes the largest message a client may send
   * @param closeTimeout how long a client being closed may take to read its close frame before the
   *     connection is cut
   * @param maxQueueBytes how many bytes of messages may wait for a client before it is closed as
   *     too slow (a single message always fits)
   */
  public record WebSocketSettings(
      int maxQueue,
      int replayBuffer,
      Duration heartbeatInterval,
      Duration idleTimeout,
      int maxMessageBytes,
      Duration closeTimeout,
      long maxQueueBytes) {

    /** The keys of the {@code server.ws} section. */
    public static final List<String> KEYS =
        List.of(
            "max_queue",
            "replay_buffer",
            "heartbeat_interval",
            "idle_timeout",
            "max_message_bytes",
            "close_timeout",
            "max_queue_bytes");

    public static final WebSocketSettings DEFAULTS =
        new WebSocketSettings(
            1024,
            4096,
            Duration.ofSeconds(15),
            Duration.ofSeconds(120),
            64 * 1024,
            Duration.ofSeconds(5),
            16L * 1024 * 1024);

    public WebSocketSettings {
      Checks.check(
          maxQueue >= 1 && maxQueue <= 1_000_000, "server.ws.max_queue", "must be 1..1000000");
      Checks.check(
          replayBuffer >= 0 && replayBuffer <= 1_000_000,
          "server.ws.replay_buffer",
          "must be 0..1000000");
      positive(heartbeatInterval, "server.ws.heartbeat_interval");
      positive(idleTimeout, "server.ws.idle_timeout");
      Checks.check(
          maxMessageBytes >= 256 && maxMessageBytes <= 16 * 1024 * 1024,
          "server.ws.max_message_bytes",
          "must be 256..16777216");
      positive(closeTimeout, "server.ws.close_timeout");
      Checks.check(
          maxQueueBytes >= 64 * 1024 && maxQueueBytes <= 1L << 32,
          "server.ws.max_queue_bytes",
          "must be 65536..4294967296");
    }

    public WebSocketSettings withMaxQueue(int newMaxQueue) {
      return new WebSocketSettings(
          newMaxQueue,
          replayBuffer,
          heartbeatInterval,
          idleTimeout,
          maxMessageBytes,
          closeTimeout,
          maxQueueBytes);
    }

    public WebSocketSettings withReplayBuffer(int newReplayBuffer) {
      return new WebSocketSettings(
          maxQueue,
          newReplayBuffer,
          heartbeatInterval,
          idleTimeout,
          maxMessageBytes,
          closeTimeout,
          maxQueueBytes);
    }

    public WebSocketSettings withMaxQueueBytes(long newMaxQueueBytes) {
      return new WebSocketSettings(
          maxQueue,
          replayBuffer,
          heartbeatInterval,
          idleTimeout,
          maxMessageBytes,
          closeTimeout,
          newMaxQueueBytes);
    }

    public WebSocketSettings withIdleTimeout(Duration newIdleTimeout) {
      return new WebSocketSettings(
          maxQueue,
          replayBuffer,
          heartbeatInterval,
          newIdleTimeout,
          maxMessageBytes,
          closeTimeout,
          maxQueueBytes);
    }

    public WebSocketSettings withCloseTimeout(Duration newCloseTimeout) {
      return new WebSocketSettings(
          maxQueue,
          replayBuffer,
          heartbeatInterval,
          idleTimeout,
          maxMessageBytes,
          newCloseTimeout,
          maxQueueBytes);
    }

    public WebSocketSettings withHeartbeatInterval(Duration newInterval) {
      return new WebSocketSettings(
          maxQueue,
          replayBuffer,
          newInterval,
          idleTimeout,
          maxMessageBytes,
          closeTimeout,
          maxQueueBytes);
    }
  }

  /**
   * How long a client may take to send a request ({@code server.timeouts}). A client past {@code
   * header} or {@code body} gets 408 and its connection is closed, so a slow sender holds neither a
   * connection nor a request thread for long.
   *
   * @param header the most time to send the request line and headers, counted from their first byte
   *     (a client dripping a header byte at a time is cut off here)
   * @param body the most time to send a request body, in all
   * @param idle a connection with no traffic for this long is closed (between requests too)
   */
  public record TimeoutSettings(Duration header, Duration body, Duration idle) {
    /** The keys of the {@code server.timeouts} section. */
    public static final List<String> KEYS = List.of("header", "body", "idle");

    public static final TimeoutSettings DEFAULTS =
        new TimeoutSettings(Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(30));

    public TimeoutSettings {
      positive(header, "server.timeouts.header");
      positive(body, "server.timeouts.body");
      positive(idle, "server.timeouts.idle");
    }

    static TimeoutSettings from(Settings section, String where) {
      rejectUnknown(section, KEYS, where + ".timeouts");
      String at = where + ".timeouts";
      return new TimeoutSettings(
          at(at, () -> section.duration("header", DEFAULTS.header())),
          at(at, () -> section.duration("body", DEFAULTS.body())),
          at(at, () -> section.duration("idle", DEFAULTS.idle())));
    }
  }

  /**
   * One token bucket: {@code rate} tokens per second up to {@code burst}; each request takes one.
   *
   * @param rate tokens per second; 0 switches the limit off
   * @param burst the bucket's size: requests allowed at once after a quiet spell
   */
  public record Bucket(double rate, int burst) {
    /** No limit. */
    public static final Bucket OFF = new Bucket(0, 0);

    public Bucket {
      Checks.check(rate >= 0 && rate <= 1_000_000, "rate", "must be 0..1000000 per second");
      Checks.check(burst >= 0 && burst <= 1_000_000, "burst", "must be 0..1000000");
      Checks.check(rate == 0 || burst >= 1, "burst", "must be at least 1 when rate is set");
    }

    public boolean isOff() {
      return rate == 0;
    }

    static Bucket from(Settings section, String where, Bucket fallback) {
      rejectUnknown(section, List.of("rate", "burst"), where);
      double rate =
          at(where, () -> section.decimal("rate", java.math.BigDecimal.valueOf(fallback.rate())))
              .doubleValue();
      int burst =
          at(
              where,
              () ->
                  section.intValue(
                      "burst", fallback.burst() == 0 ? (int) Math.ceil(rate) : fallback.burst()));
      return at(where, () -> new Bucket(rate, rate == 0 ? 0 : burst));
    }

    @Override
    public String toString() {
      return isOff() ? "off" : rate + "/s burst " + burst;
    }
  }

  /**
   * The request rate limits ({@code server.rate_limit}). Every HTTP request and every WebSocket
   * command takes a token from its client address's bucket and, when it presents a key, from that
   * key's bucket; an empty bucket answers 429 with {@code Retry-After}.
   */
  public record RateLimitSettings(Bucket perKey, Bucket perAddress) {
    /** 100 requests a second with bursts of 200, per key and per address. */
    public static final RateLimitSettings DEFAULTS =
        new RateLimitSettings(new Bucket(100, 200), new Bucket(100, 200));

    /** No rate limits (benchmarks). */
    public static final RateLimitSettings OFF = new RateLimitSettings(Bucket.OFF, Bucket.OFF);

    public RateLimitSettings {
      Checks.notNull(perKey, "server.rate_limit.per_key");
      Checks.notNull(perAddress, "server.rate_limit.per_address");
    }

    static RateLimitSettings from(Settings section, String where) {
      String at = where + ".rate_limit";
      rejectUnknown(section, List.of("per_key", "per_address"), at);
      return new RateLimitSettings(
          Bucket.from(at(at, () -> section.section("per_key")), at + ".per_key", DEFAULTS.perKey()),
          Bucket.from(
              at(at, () -> section.section("per_address")),
              at + ".per_address",
              DEFAULTS.perAddress()));
    }
  }

  /**
   * The browser origins ({@code scheme://host[:port]}) allowed to call the API and to open the
   * WebSocket ({@code server.cors.allowed_origins}). A request or upgrade that carries any other
   * {@code Origin} header is refused with 403, so a web page cannot drive the server from a
   * visitor's browser; clients that send no Origin (curl, programs) are not affected.
   */
  public record CorsSettings(List<String> allowedOrigins) {
    /** No browser origin allowed. */
    public static final CorsSettings NONE = new CorsSettings(List.of());

    public CorsSettings {
      allowedOrigins = List.copyOf(Checks.notNull(allowedOrigins, "server.cors.allowed_origins"));
      for (String origin : allowedOrigins) {
        Checks.check(
            isOrigin(origin),
            "server.cors.allowed_origins",
            "expected origins like https://dashboard.example.com (scheme, host, optional port;"
                + " no path, no '*')");
      }
    }

    private static boolean isOrigin(String origin) {
      try {
        URI uri = new URI(origin);
        return (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
            && uri.getHost() != null
            && (uri.getRawPath() == null || uri.getRawPath().isEmpty())
            && uri.getRawQuery() == null
            && uri.getRawFragment() == null
            && uri.getRawUserInfo() == null);
      } catch (java.net.URISyntaxException e) {
        return false;
      }
    }

    /** Whether this Origin header value is allowed (exact match, case-insensitive). */
    public boolean allows(String origin) {
      for (String allowed : allowedOrigins) {
        if (allowed.equalsIgnoreCase(origin)) {
          return true;
        }
      }
      return false;
    }

    static CorsSettings from(Settings section, String where) {
      rejectUnknown(section, List.of("allowed_origins"), where + ".cors");
      return at(where + ".cors", () -> new CorsSettings(section.stringList("allowed_origins")));
    }
  }

  /**
   * HTTPS and WSS ({@code server.tls}): a keystore with the server's key and certificate. The
   * password comes from an environment variable, never from the file.
   *
   * @param keystore the keystore file
   * @param keystorePassword its password (and the key's); never shown by {@link #toString()}
   * @param keystoreType {@code PKCS12} (default) or {@code JKS}
   */
  public record TlsSettings(Path keystore, String keystorePassword, String keystoreType) {
    public TlsSettings {
      Checks.notNull(keystore, "server.tls.keystore");
      Checks.notNull(keystorePassword, "server.tls.keystore_password_env");
      Checks.notBlank(keystoreType, "server.tls.keystore_type");
    }

    static TlsSettings from(Settings section, String where, Map<String, String> env) {
      String at = where + ".tls";
      if (section.names().isEmpty()) {
        return null;
      }
      rejectUnknown(section, List.of("keystore", "keystore_password_env", "keystore_type"), at);
      String keystore = section.string("keystore", null);
      if (keystore == null || keystore.isBlank()) {
        throw config(at + ".keystore: is required (the keystore file with the server's key)");
      }
      String variable = section.string("keystore_password_env", null);
      if (variable == null || variable.isBlank()) {
        throw config(
            at
                + ".keystore_password_env: is required (the environment variable holding the"
                + " keystore password)");
      }
      String password = env.get(variable);
      if (password == null) {
        throw config(
            at + ".keystore_password_env: the environment variable '" + variable + "' is not set");
      }
      return new TlsSettings(
          Path.of(keystore), password, section.string("keystore_type", "PKCS12"));
    }

    @Override
    public String toString() {
      return "TlsSettings[keystore=" + keystore + ", type=" + keystoreType + "]";
    }
  }

  /**
   * Where alerts go ({@code server.alerts}): a bot entering error, the kill switch tripped, the
   * daily loss limit hit, a market source turning unhealthy.
   *
   * @param log whether alerts are written to the log (logger {@code io.rehoboam.alerts}, WARN)
   * @param webhooks HTTP endpoints each alert is POSTed to as JSON
   * @param sourceCheckInterval how often market sources' health is checked
   */
  public record AlertSettings(boolean log, List<Webhook> webhooks, Duration sourceCheckInterval) {
    /** Alerts to the log, no webhook, sources checked every 10 s. */
    public static final AlertSettings DEFAULTS =
        new AlertSettings(true, List.of(), Duration.ofSeconds(10));

    public AlertSettings {
      webhooks = List.copyOf(Checks.notNull(webhooks, "server.alerts.webhooks"));
      positive(sourceCheckInterval, "server.alerts.source_check_interval");
    }

    static AlertSettings from(Settings section, String where) {
      String at = where + ".alerts";
      rejectUnknown(section, List.of("log", "webhooks", "source_check_interval"), at);
      List<Webhook> webhooks = new ArrayList<>();
      Object raw = section.raw("webhooks").orElse(null);
      if (raw != null) {
        if (!(raw instanceof List<?> list)) {
          throw config(at + ".webhooks: expected a list of webhooks ({url, timeout, retries})");
        }
        for (int i = 0; i < list.size(); i++) {
          String hook = at + ".webhooks[" + i + "]";
          if (!(list.get(i) instanceof Map<?, ?> map)) {
            throw config(hook + ": expected a webhook ({url, timeout, retries, retry_backoff})");
          }
          Map<String, Object> entry = new LinkedHashMap<>();
          map.forEach((k, v) -> entry.put(String.valueOf(k), v));
          webhooks.add(Webhook.from(Settings.of(entry), hook));
        }
      }
      return at(
          at,
          () ->
              new AlertSettings(
                  section.bool("log", DEFAULTS.log()),
                  webhooks,
                  section.duration("source_check_interval", DEFAULTS.sourceCheckInterval())));
    }
  }

  /**
   * An alert webhook: each alert is POSTed to {@code url} as JSON; a failed or timed-out attempt is
   * tried again up to {@code retries} times, waiting {@code retryBackoff}, doubled each time.
   */
  public record Webhook(URI url, Duration timeout, int retries, Duration retryBackoff) {
    public Webhook {
      Checks.notNull(url, "url");
      Checks.check(
          ("http".equals(url.getScheme()) || "https".equals(url.getScheme()))
              && url.getHost() != null,
          "url",
          "expected an http or https URL");
      positive(timeout, "timeout");
      Checks.check(retries >= 0 && retries <= 20, "retries", "must be 0..20");
      positive(retryBackoff, "retry_backoff");
    }

    static Webhook from(Settings s, String where) {
      rejectUnknown(s, List.of("url", "timeout", "retries", "retry_backoff"), where);
      String url = s.string("url", null);
      if (url == null || url.isBlank()) {
        throw config(where + ".url: is required");
      }
      URI uri;
      try {
        uri = new URI(url.trim());
      } catch (java.net.URISyntaxException e) {
        throw config(where + ".url: not a URL");
      }
      return at(
          where,
          () ->
              new Webhook(
                  uri,
                  s.duration("timeout", Duration.ofSeconds(5)),
                  s.intValue("retries", 3),
                  s.duration("retry_backoff", Duration.ofSeconds(1))));
    }

    @Override
    public String toString() {
      // The URL's query or user info may carry a token: show where it goes, not how.
      return "Webhook[" + url.getScheme() + "://" + url.getHost() + "]";
    }
  }

  private static void positive(Duration d, String field) {
    Checks.notNull(d, field);
    Checks.check(!d.isNegative() && !d.isZero(), field, "must be positive");
  }
}
