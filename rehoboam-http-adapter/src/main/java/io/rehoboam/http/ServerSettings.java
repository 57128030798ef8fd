package io.rehoboam.http;

import io.rehoboam.core.config.RehoboamConfig;
import io.rehoboam.spi.Checks;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.Settings;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;

/**
 * The HTTP server's settings: the configuration's {@code server} section.
 *
 * <pre>
 * server:
 *   bind: 127.0.0.1          # loopback only, until API keys exist
 *   port: 8000               # 0 = any free port
 *   max_body_bytes: 65536    # larger request bodies get 413
 *   shutdown_timeout: 15s    # how long bots may take to stop on shutdown
 *   ws:
 *     max_queue: 1024        # messages a client may fall behind before it is disconnected
 *     replay_buffer: 4096    # events kept for clients that reconnect with resume_from
 *     heartbeat_interval: 15s
 *     idle_timeout: 120s
 *     max_message_bytes: 65536
 *     close_timeout: 5s      # how long a closing client may take before it is cut off
 * </pre>
 *
 * @param bind the address to listen on; must be a loopback address
 * @param port the TCP port, 0 for any free one
 * @param maxBodyBytes the largest request body accepted
 * @param shutdownTimeout how long bots may take to stop when the server shuts down
 * @param webSocket the WebSocket settings
 */
public record ServerSettings(
    String bind,
    int port,
    long maxBodyBytes,
    Duration shutdownTimeout,
    WebSocketSettings webSocket) {

  /** The keys of the {@code server} section. */
  public static final List<String> KEYS =
      List.of("bind", "port", "max_body_bytes", "shutdown_timeout", "ws");

  /** Loopback, port 8000, 64 KiB bodies, 15 s shutdown, default WebSocket settings. */
  public static final ServerSettings DEFAULTS =
      new ServerSettings(
          "127.0.0.1", 8000, 64 * 1024, Duration.ofSeconds(15), WebSocketSettings.DEFAULTS);

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
  }

  /**
   * Reads the {@code server} section of a configuration; missing keys take their defaults.
   *
   * @throws RehoboamException INVALID_CONFIG naming the file and the key, for an unknown key or a
   *     bad value
   */
  public static ServerSettings from(RehoboamConfig config) {
    Checks.notNull(config, "config");
    return from(config.server(), config.source());
  }

  /**
   * Reads a {@code server} section.
   *
   * @param source the file the section came from, for error messages
   */
  public static ServerSettings from(Settings section, String source) {
    Checks.notNull(section, "section");
    String where = (source == null || source.isBlank() ? "<inline>" : source) + ": server";
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
              at(where + ".ws", () -> ws.duration("close_timeout", d.closeTimeout())));
      ServerSettings defaults = DEFAULTS;
      return new ServerSettings(
          at(where, () -> section.string("bind", defaults.bind())),
          at(where, () -> section.intValue("port", defaults.port())),
          at(where, () -> section.longValue("max_body_bytes", defaults.maxBodyBytes())),
          at(where, () -> section.duration("shutdown_timeout", defaults.shutdownTimeout())),
          webSocket);
    } catch (RehoboamException e) {
      if (e.code() == ErrorCode.INVALID_CONFIG) {
        throw e;
      }
      // Record checks name the field as server.x; put the file in front.
      throw new RehoboamException(
          ErrorCode.INVALID_CONFIG,
          (source == null || source.isBlank() ? "<inline>" : source) + ": " + e.getMessage(),
          e);
    }
  }

  /** These settings on another port (0 = any free port). */
  public ServerSettings withPort(int newPort) {
    return new ServerSettings(bind, newPort, maxBodyBytes, shutdownTimeout, webSocket);
  }

  /** These settings bound to another address. */
  public ServerSettings withBind(String newBind) {
    return new ServerSettings(newBind, port, maxBodyBytes, shutdownTimeout, webSocket);
  }

  public ServerSettings withMaxBodyBytes(long newMaxBodyBytes) {
    return new ServerSettings(bind, port, newMaxBodyBytes, shutdownTimeout, webSocket);
  }

  public ServerSettings withWebSocket(WebSocketSettings newWebSocket) {
    return new ServerSettings(bind, port, maxBodyBytes, shutdownTimeout, newWebSocket);
  }

  /**
   * Checks that {@link #bind()} is a loopback address. Until the server authenticates its mutating
   * endpoints it must not be reachable from other machines.
   *
   * @return the resolved address
   * @throws RehoboamException INVALID_CONFIG naming {@code server.bind}
   */
  public InetAddress loopbackAddress() {
    InetAddress address;
    try {
      address = InetAddress.getByName(bind);
    } catch (UnknownHostException e) {
      throw new RehoboamException(
          ErrorCode.INVALID_CONFIG, "server.bind: cannot resolve '" + bind + "'", e);
    }
    if (!address.isLoopbackAddress()) {
      throw new RehoboamException(
          ErrorCode.INVALID_CONFIG,
          "server.bind: '"
              + bind
              + "' is not a loopback address. This server has no authentication yet, so its"
              + " endpoints that start, stop and execute must not be reachable from other"
              + " machines: bind to 127.0.0.1, ::1 or localhost.");
    }
    return address;
  }

  private static void rejectUnknown(Settings section, List<String> known, String where) {
    for (String key : section.names()) {
      if (!known.contains(key)) {
        throw new RehoboamException(
            ErrorCode.INVALID_CONFIG,
            where + ": unknown key '" + key + "' (known: " + String.join(", ", known) + ")");
      }
    }
  }

  private static <T> T at(String where, java.util.function.Supplier<T> read) {
    try {
      return read.get();
    } catch (RehoboamException e) {
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
   */
  public record WebSocketSettings(
      int maxQueue,
      int replayBuffer,
      Duration heartbeatInterval,
      Duration idleTimeout,
      int maxMessageBytes,
      Duration closeTimeout) {

    /** The keys of the {@code server.ws} section. */
    public static final List<String> KEYS =
        List.of(
            "max_queue",
            "replay_buffer",
            "heartbeat_interval",
            "idle_timeout",
            "max_message_bytes",
            "close_timeout");

    public static final WebSocketSettings DEFAULTS =
        new WebSocketSettings(
            1024,
            4096,
            Duration.ofSeconds(15),
            Duration.ofSeconds(120),
            64 * 1024,
            Duration.ofSeconds(5));

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
    }

    public WebSocketSettings withMaxQueue(int newMaxQueue) {
      return new WebSocketSettings(
          newMaxQueue, replayBuffer, heartbeatInterval, idleTimeout, maxMessageBytes, closeTimeout);
    }

    public WebSocketSettings withReplayBuffer(int newReplayBuffer) {
      return new WebSocketSettings(
          maxQueue, newReplayBuffer, heartbeatInterval, idleTimeout, maxMessageBytes, closeTimeout);
    }

    public WebSocketSettings withHeartbeatInterval(Duration newInterval) {
      return new WebSocketSettings(
          maxQueue, replayBuffer, newInterval, idleTimeout, maxMessageBytes, closeTimeout);
    }

    private static void positive(Duration d, String field) {
      Checks.notNull(d, field);
      Checks.check(!d.isNegative() && !d.isZero(), field, "must be positive");
    }
  }
}
