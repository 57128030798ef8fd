package io.rehoboam.http.internal;

import java.util.Locale;
import java.util.Map;

/** The Content-Type a request body must have: JSON. */
public final class MediaTypes {
  private MediaTypes() {}

  /**
   * Accepts {@code application/json} and {@code application/<anything>+json}, with parameters (such
   * as {@code charset=utf-8}).
   *
   * @throws ApiError.Failure 415 for anything else, or no Content-Type
   */
  public static void requireJson(String contentType) {
    if (!isJson(contentType)) {
      throw new ApiError(
              415,
              "UNSUPPORTED_MEDIA_TYPE",
              "content-type: a request body must be JSON (Content-Type: application/json) but was "
                  + (contentType == null
                      ? "none"
                      : "'"
                          + (contentType.length() <= 100
                              ? contentType
                              : contentType.substring(0, 100) + "...")
                          + "'"),
              Map.of("field", "content-type"))
          .toException();
    }
  }

  static boolean isJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    int semicolon = contentType.indexOf(';');
    String type =
        (semicolon < 0 ? contentType : contentType.substring(0, semicolon))
            .strip()
            .toLowerCase(Locale.ROOT);
    return type.equals("application/json")
        || (type.startsWith("application/") && type.endsWith("+json"));
  }
}
