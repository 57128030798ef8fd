package io.rehoboam.http.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A plain socket to the server, for what well-behaved clients never send: broken request lines,
 * header drips, stalled bodies, raw WebSocket handshakes.
 */
public final class RawHttp implements AutoCloseable {
  /** One response as read off the wire. */
  public record Reply(int status, Map<String, String> headers, String body) {
    public JsonNode json() {
      try {
        return TestServer.JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + body, e);
      }
    }

    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  private final Socket socket;
  private final InputStream in;

  public RawHttp(int port, int readTimeoutMillis) {
    this(port, readTimeoutMillis, 0);
  }

  /** With {@code receiveBuffer} > 0, a small socket receive buffer (a client slow to take data). */
  public RawHttp(int port, int readTimeoutMillis, int receiveBuffer) {
    try {
      socket = new Socket();
      if (receiveBuffer > 0) {
        socket.setReceiveBufferSize(receiveBuffer);
      }
      socket.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      socket.setSoTimeout(readTimeoutMillis);
      in = socket.getInputStream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The client's own port. */
  public int localPort() {
    return socket.getLocalPort();
  }

  public RawHttp send(String text) {
    return send(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  public RawHttp send(byte[] bytes) {
    try {
      socket.getOutputStream().write(bytes);
      socket.getOutputStream().flush();
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads one response: status line, headers and a Content-Length (or until EOF) body. */
  public Reply read() {
    try {
      String status = line();
      if (status == null) {
        throw new AssertionError("the server closed the connection without an answer");
      }
      Map<String, String> headers = new LinkedHashMap<>();
      String h;
      while ((h = line()) != null && !h.isEmpty()) {
        int colon = h.indexOf(':');
        headers.merge(
            h.substring(0, colon).trim().toLowerCase(Locale.ROOT),
            h.substring(colon + 1).trim(),
            (a, b) -> a + ", " + b);
      }
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      String length = headers.get("content-length");
      if (length != null) {
        body.write(in.readNBytes(Integer.parseInt(length)));
      } else if (!"chunked".equalsIgnoreCase(headers.get("transfer-encoding"))
          && !status.contains(" 101 ")) {
        body.write(in.readAllBytes());
      }
      return new Reply(
          Integer.parseInt(status.substring(9, 12)),
          headers,
          body.toString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Reads and drops everything until the server closes the connection; true if it did within the
   * read timeout, false if the read timed out first.
   */
  public boolean awaitClosedByServer() {
    byte[] buffer = new byte[64 * 1024];
    try {
      while (in.read(buffer) >= 0) {
        // drain
      }
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (SocketException e) {
      return true; // reset by the server
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String line() throws IOException {
    StringBuilder sb = new StringBuilder();
    int b;
    while ((b = in.read()) >= 0) {
      if (b == '\n') {
        int n = sb.length();
        return n > 0 && sb.charAt(n - 1) == '\r' ? sb.substring(0, n - 1) : sb.toString();
      }
      sb.append((char) b);
    }
    return sb.length() == 0 ? null : sb.toString();
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // closing anyway
    }
  }
}
