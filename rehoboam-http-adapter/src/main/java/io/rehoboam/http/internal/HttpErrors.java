package io.rehoboam.http.internal;

import io.rehoboam.spi.ErrorCode;
import java.util.Map;

/**
 * The error of a bare HTTP status (one Jetty or Javalin answered before any handler of ours ran):
 * its code and a message in the API's words.
 */
public final class HttpErrors {
  private HttpErrors() {}

  /**
   * @param reason the server's own reason, used for statuses without a message of their own
   */
  public static ApiError of(int status, String reason) {
    String code =
        switch (status) {
          case 400 -> ErrorCode.INVALID_ARGUMENT.name();
          case 401 -> "UNAUTHENTICATED";
          case 403 -> "FORBIDDEN";
          case 404 -> ErrorCode.NOT_FOUND.name();
          case 405 -> "METHOD_NOT_ALLOWED";
          case 408 -> "REQUEST_TIMEOUT";
          case 413 -> "PAYLOAD_TOO_LARGE";
          case 414 -> "URI_TOO_LONG";
          case 415 -> "UNSUPPORTED_MEDIA_TYPE";
          case 431 -> "HEADERS_TOO_LARGE";
          case 500 -> ErrorCode.INTERNAL.name();
          case 503 -> "UNAVAILABLE";
          default -> "HTTP_" + status;
        };
    String message =
        switch (status) {
          case 400 ->
              "malformed request" + (reason == null || reason.isBlank() ? "" : ": " + clip(reason));
          case 408 -> "the request was not received in time (server.timeouts)";
          case 413 -> "body: larger than the limit (server.max_body_bytes)";
          case 414 -> "the request URI is longer than the server accepts";
          case 431 -> "the request headers are larger than the server accepts";
          case 500 -> "internal error";
          case 503 -> "the server is not available";
          default -> reason == null || reason.isBlank() ? code : clip(reason);
        };
    Map<String, Object> details =
        switch (status) {
          case 413 -> Map.of("field", "body");
          case 414 -> Map.of("field", "uri");
          case 431 -> Map.of("field", "headers");
          default -> null;
        };
    return new ApiError(status, code, message, details);
  }

  private static String clip(String text) {
    return text.length() <= 200 ? text : text.substring(0, 200) + "...";
  }
}
