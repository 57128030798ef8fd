package io.rehoboam.http.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A deadline for receiving a request's line and headers, counted from their first byte. Jetty's
 * idle timeout alone never ends a connection that sends a header byte now and then; this closes one
 * that has not finished its headers in time, after a 408 JSON answer.
 *
 * <p>{@link #sweep()} runs every fraction of the deadline on the adapter's timer, looking at the
 * parser of every open HTTP/1 connection (never at a WebSocket connection, whose parser is gone).
 */
public final class HeaderDeadline {
  private static final Logger log = LoggerFactory.getLogger(HeaderDeadline.class);

  /** A connection seen receiving headers: since when, and for which of its requests. */
  private record Started(long nanos, long request) {}

  private final Duration limit;
  private final Map<EndPoint, Started> receiving = new ConcurrentHashMap<>();
  private final byte[] answer;

  public HeaderDeadline(Duration limit) {
    this.limit = limit;
    byte[] body =
        Json.write(
                new ApiError(
                        408,
                        "REQUEST_TIMEOUT",
                        "headers: not received within "
                            + limit.toMillis()
                            + " ms (server.timeouts.header)",
                        Map.of("field", "headers"))
                    .body())
            .getBytes(StandardCharsets.UTF_8);
    String head =
        "HTTP/1.1 408 Request Timeout\r\nContent-Type: application/json\r\nContent-Length: "
            + body.length
            + "\r\nConnection: close\r\n\r\n";
    byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
    answer = new byte[headBytes.length + body.length];
    System.arraycopy(headBytes, 0, answer, 0, headBytes.length);
    System.arraycopy(body, 0, answer, headBytes.length, body.length);
  }

  /** How often {@link #sweep()} should run: a fifth of the deadline, 50 ms to 1 s. */
  public Duration period() {
    long millis = Math.max(50, Math.min(1000, limit.toMillis() / 5));
    return Duration.ofMillis(millis);
  }

  /** Checks every connection of {@code endPoints}; closes those past the deadline. */
  public void sweep(Collection<EndPoint> endPoints) {
    long now = System.nanoTime();
    receiving.keySet().retainAll(endPoints);
    for (EndPoint endPoint : endPoints) {
      HttpConnection http = http(endPoint.getConnection());
      if (http == null) {
        receiving.remove(endPoint);
        continue;
      }
      HttpParser parser = http.getParser();
      boolean inHeaders = !parser.isStart() && parser.inHeaderState();
      if (!inHeaders) {
        receiving.remove(endPoint);
        continue;
      }
      long request = http.getMessagesIn();
      Started started = receiving.get(endPoint);
      if (started == null || started.request() != request) {
        receiving.put(endPoint, new Started(now, request));
      } else if (now - started.nanos() > limit.toNanos()) {
        receiving.remove(endPoint);
        cutOff(endPoint);
      }
    }
  }

  private static HttpConnection http(Connection connection) {
    if (connection instanceof HttpConnection http) {
      return http;
    }
    if (connection instanceof SslConnection ssl) {
      return http(ssl.getSslEndPoint().getConnection());
    }
    return null;
  }

  private void cutOff(EndPoint endPoint) {
    log.debug("Closing {}: request headers not received within {}", endPoint, limit);
    try {
      EndPoint target =
          endPoint.getConnection() instanceof SslConnection ssl ? ssl.getSslEndPoint() : endPoint;
      target.write(
          Callback.from(target::close, failure -> target.close()), ByteBuffer.wrap(answer));
    } catch (RuntimeException e) {
      endPoint.close();
    }
  }
}
