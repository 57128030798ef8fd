package io.rehoboam.http.internal;

import io.rehoboam.core.log.LogText;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A failure as a client sees it: an HTTP status and the body {@code {"error": {"code", "message",
 * "details"}}}. The same shape answers a failed WebSocket command.
 *
 * @param details a JSON-able map (for example the field or the limit), or null
 */
public record ApiError(int status, String code, String message, Map<String, Object> details) {
  private static final Logger log = LoggerFactory.getLogger(ApiError.class);

  /** The first words of {@code field: problem}, as {@link RehoboamException#invalid} writes. */
  private static final Pattern FIELD = Pattern.compile("^([a-z][a-z0-9_.\\[\\]-]*): ");

  /** A bot's settings refused by its provider's schema: {@code bot '<id>': <setting>: ...}. */
  private static final Pattern BOT_SETTING =
      Pattern.compile("^bot '([^']+)': ([a-z][a-z0-9_.\\[\\]-]*): ");

  private static final Pattern LIMIT = Pattern.compile("risk limit ([a-z0-9_]+)");

  public ApiError {
    details = details == null ? null : Map.copyOf(details);
  }

  /** A 400 naming the field. */
  public static ApiError invalid(String field, String problem) {
    return new ApiError(
        400, ErrorCode.INVALID_ARGUMENT.name(), field + ": " + problem, Map.of("field", field));
  }

  /** Wraps this error so a handler can throw it. */
  public Failure toException() {
    return new Failure(this);
  }

  /**
   * The error for anything a handler threw. A {@link RehoboamException} keeps its code and message
   * (they are written for callers); anything else is logged with a reference and answered with a
   * generic 500, so no internals reach a client.
   */
  public static ApiError of(Throwable failure) {
    Throwable t = unwrap(failure);
    if (t instanceof Failure f) {
      return f.error();
    }
    if (t instanceof RehoboamException e) {
      return of(e);
    }
    return internal(t);
  }

  private static ApiError of(RehoboamException e) {
    int status =
        switch (e.code()) {
          case INVALID_ARGUMENT, INVALID_CONFIG -> 400;
          case NOT_FOUND -> 404;
          case ALREADY_EXISTS, CONFLICT, ALREADY_EXECUTED -> 409;
          case EXPIRED -> 410;
          case RISK_REJECTED -> 422;
          case SHUTTING_DOWN -> 503;
          case TIMEOUT -> 504;
          default -> 500;
        };
    if (status == 500) {
      return internal(e);
    }
    String message = e.getMessage() == null ? e.code().name() : e.getMessage();
    Map<String, Object> details = new LinkedHashMap<>();
    if (status == 400) {
      Matcher m = FIELD.matcher(message);
      Matcher setting = BOT_SETTING.matcher(message);
      if (m.find()) {
        details.put("field", m.group(1));
      } else if (setting.find()) {
        details.put("field", "settings." + setting.group(2));
        details.put("bot_id", setting.group(1));
      }
    } else if (e.code() == ErrorCode.RISK_REJECTED) {
      Matcher m = LIMIT.matcher(message);
      if (m.find()) {
        details.put("limit", m.group(1));
      }
    }
    return new ApiError(status, e.code().name(), message, details.isEmpty() ? null : details);
  }

  private static ApiError internal(Throwable t) {
    String reference = UUID.randomUUID().toString().substring(0, 8);
    log.error("Request failed (reference {})", reference, LogText.failure(t));
    return new ApiError(
        500,
        ErrorCode.INTERNAL.name(),
        "internal error; the server log has the details under reference " + reference,
        Map.of("reference", reference));
  }

  private static Throwable unwrap(Throwable t) {
    return io.rehoboam.spi.Failures.cause(t);
  }

  /** The body: {@code {"error": {...}}}. */
  public Map<String, Object> body() {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("code", code);
    error.put("message", message);
    error.put("details", details);
    return Map.of("error", error);
  }

  /** An {@link ApiError} a handler throws; the adapter's exception handler answers with it. */
  public static final class Failure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient ApiError error;

    Failure(ApiError error) {
      super(error.message(), null, false, false);
      this.error = error;
    }

    public ApiError error() {
      return error;
    }
  }
}
