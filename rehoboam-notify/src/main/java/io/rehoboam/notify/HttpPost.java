package io.rehoboam.notify;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** One JSON request over HTTP, answered with its status, Retry-After and body. */
final class HttpPost {
  private static final int MAX_BODY = 256 * 1024;

  /**
   * The answer.
   *
   * @param status the HTTP status, or -1 when no answer came (the failure says why)
   * @param retryAfter the Retry-After header in seconds, or null
   * @param failure why no answer came, or null
   */
  record Response(int status, Duration retryAfter, String body, String failure) {
    boolean ok() {
      return status / 100 == 2;
    }

    /** 429, 5xx or no answer: worth another attempt. */
    boolean retryable() {
      return status == -1 || status == 429 || status >= 500;
    }
  }

  private HttpPost() {}

  /** POSTs {@code json} (GET when null) to {@code uri}. Never throws. */
  static Response send(URI uri, String json, Duration timeout) {
    HttpURLConnection connection = null;
    try {
      connection = (HttpURLConnection) uri.toURL().openConnection();
      int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
      connection.setConnectTimeout(millis);
      connection.setReadTimeout(millis);
      connection.setRequestProperty("Connection", "close");
      connection.setRequestProperty("Accept", "application/json");
      if (json != null) {
        connection.setRequestMethod("POST");
        connection.setDoOutput(true);
        connection.setRequestProperty("Content-Type", "application/json; charset=utf-8");
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        connection.setFixedLengthStreamingMode(bytes.length);
        try (OutputStream out = connection.getOutputStream()) {
          out.write(bytes);
        }
      }
      int status = connection.getResponseCode();
      String body = "";
      try (InputStream in =
          status >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
        if (in != null) {
          body = new String(in.readNBytes(MAX_BODY), StandardCharsets.UTF_8);
        }
      }
      return new Response(status, retryAfter(connection.getHeaderField("Retry-After")), body, null);
    } catch (IOException | RuntimeException e) {
      // The exception's message may carry the URL (and so a token): only its class is kept.
      return new Response(-1, null, "", e.getClass().getSimpleName());
    } finally {
      if (connection != null) {
        connection.disconnect();
      }
    }
  }

  /**
   * A Retry-After in seconds, whole or decimal (Discord sends {@code 1.5}); null for none, a
   * negative value or an HTTP date (the backoff applies then).
   */
  static Duration retryAfter(String header) {
    if (header == null) {
      return null;
    }
    try {
      java.math.BigDecimal seconds = new java.math.BigDecimal(header.trim());
      if (seconds.signum() < 0 || seconds.compareTo(java.math.BigDecimal.valueOf(86_400)) > 0) {
        return null;
      }
      return Duration.ofMillis(
          seconds.movePointRight(3).setScale(0, java.math.RoundingMode.CEILING).longValueExact());
    } catch (NumberFormatException | ArithmeticException e) {
      return null;
    }
  }
}
