package io.rehoboam.http.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A request's JSON object body, read with a size limit and checked field by field so that every
 * mistake is a 400 naming the field. Request bodies and WebSocket messages are read the same way.
 */
public final class JsonBody {
  /** The most digits a number in a request may have before, and after, its decimal point. */
  public static final int MAX_NUMBER_DIGITS = 100;

  private static final int MAX_INTEGER_BITS = 333; // about 100 decimal digits

  private static final Pattern DUPLICATE = Pattern.compile("^Duplicate field '([^']*)'");

  private final ObjectNode object;

  private JsonBody(ObjectNode object) {
    this.object = object;
  }

  /**
   * Reads at most {@code maxBytes} from {@code in}.
   *
   * @param declaredLength the Content-Length, or -1 when not given
   * @throws ApiError.Failure 413 when the body is larger than {@code maxBytes}
   */
  public static byte[] read(InputStream in, long declaredLength, long maxBytes) {
    return read(in, declaredLength, maxBytes, null);
  }

  /**
   * Reads at most {@code maxBytes} from {@code in} within {@code timeout} (null for none).
   *
   * @param declaredLength the Content-Length, or -1 when not given
   * @throws ApiError.Failure 413 when the body is larger than {@code maxBytes}, 408 when it did not
   *     arrive within {@code timeout} or a read timed out (the connection's idle timeout), 400 when
   *     the client went away in the middle
   */
  public static byte[] read(
      InputStream in, long declaredLength, long maxBytes, java.time.Duration timeout) {
    if (declaredLength > maxBytes) {
      throw tooLarge(maxBytes);
    }
    long started = System.nanoTime();
    java.io.ByteArrayOutputStream out =
        new java.io.ByteArrayOutputStream((int) Math.max(0, Math.min(declaredLength, 8192)));
    byte[] buffer = new byte[8192];
    try {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        out.write(buffer, 0, n);
        if (out.size() > maxBytes) {
          throw tooLarge(maxBytes);
        }
        if (timeout != null && System.nanoTime() - started > timeout.toNanos()) {
          throw timedOut(timeout);
        }
      }
      return out.toByteArray();
    } catch (IOException e) {
      if (timedOut(e)) {
        throw timedOut(timeout);
      }
      throw ApiError.invalid("body", "could not be read: the connection ended before the body did")
          .toException();
    }
  }

  private static boolean timedOut(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof java.util.concurrent.TimeoutException
          || t instanceof java.net.SocketTimeoutException) {
        return true;
      }
    }
    return false;
  }

  private static ApiError.Failure timedOut(java.time.Duration timeout) {
    return new ApiError(
            408,
            "REQUEST_TIMEOUT",
            "body: not received in time"
                + (timeout == null ? "" : " (within " + timeout.toMillis() + " ms)")
                + " (server.timeouts.body)",
            Map.of("field", "body"))
        .toException();
  }

  private static ApiError.Failure tooLarge(long maxBytes) {
    return new ApiError(
            413,
            "PAYLOAD_TOO_LARGE",
            "body: larger than the limit of " + maxBytes + " bytes (server.max_body_bytes)",
            Map.of("field", "body", "max_bytes", maxBytes))
        .toException();
  }

  /**
   * Parses a JSON object; an empty (or whitespace) text is an empty object.
   *
   * @throws ApiError.Failure 400 for malformed JSON, a key given twice in one object (naming it), a
   *     number beyond {@link #MAX_NUMBER_DIGITS} digits (naming its path) or a value that is not an
   *     object
   */
  public static JsonBody parse(String text) {
    if (text == null || text.isBlank()) {
      return new JsonBody(Json.mapper().createObjectNode());
    }
    JsonNode node;
    try {
      node = Json.mapper().readTree(text);
    } catch (JsonProcessingException e) {
      Matcher duplicate = DUPLICATE.matcher(String.valueOf(e.getOriginalMessage()));
      if (duplicate.find()) {
        String field = duplicate.group(1);
        if (e.getProcessor() instanceof JsonParser parser) {
          // The path to the object holding the key twice: "settings.x", not only "x".
          String pointer = parser.getParsingContext().pathAsPointer().toString();
          field = pointer.isEmpty() ? field : pointer.substring(1).replace('/', '.');
        }
        throw ApiError.invalid(field, "is given more than once").toException();
      }
      JsonLocation at = e.getLocation();
      String where =
          at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
      throw ApiError.invalid("body", "malformed JSON" + where + ": " + e.getOriginalMessage())
          .toException();
    }
    if (node == null || node.isMissingNode()) {
      return new JsonBody(Json.mapper().createObjectNode());
    }
    if (!(node instanceof ObjectNode object)) {
      throw ApiError.invalid("body", "expected a JSON object but was " + kind(node)).toException();
    }
    checkNumbers(object, "");
    return new JsonBody(object);
  }

  /**
   * Refuses numbers no setting or amount can mean and that would cost the server to handle: more
   * than {@link #MAX_NUMBER_DIGITS} digits before or after the point once written out ({@code
   * 1e10000} is 10,001 digits).
   */
  private static void checkNumbers(JsonNode node, String path) {
    if (node.isContainerNode()) {
      if (node.isObject()) {
        node.fields()
            .forEachRemaining(
                f ->
                    checkNumbers(
                        f.getValue(), path.isEmpty() ? f.getKey() : path + "." + f.getKey()));
      } else {
        for (int i = 0; i < node.size(); i++) {
          checkNumbers(node.get(i), path + "[" + i + "]");
        }
      }
      return;
    }
    if (!node.isNumber()) {
      return;
    }
    boolean readable;
    if (node.isBigDecimal()) {
      BigDecimal value = node.decimalValue();
      long integerDigits = (long) value.precision() - value.scale();
      readable = value.scale() <= MAX_NUMBER_DIGITS && integerDigits <= MAX_NUMBER_DIGITS;
    } else if (node.isFloatingPointNumber()) {
      readable = Double.isFinite(node.doubleValue());
    } else {
      readable = !node.isBigInteger() || node.bigIntegerValue().bitLength() <= MAX_INTEGER_BITS;
    }
    if (!readable) {
      throw ApiError.invalid(
              path.isEmpty() ? "body" : path,
              "number out of range (at most "
                  + MAX_NUMBER_DIGITS
                  + " digits before and after the decimal point)")
          .toException();
    }
  }

  /** Rejects any field: for endpoints that take no body ({@code {}} or nothing). */
  public JsonBody requireEmpty() {
    object
        .fieldNames()
        .forEachRemaining(
            name -> {
              throw invalid(name, "unknown field (this endpoint takes no body, or {})");
            });
    return this;
  }

  /** Rejects any field not in {@code known}. */
  public JsonBody allowOnly(List<String> known) {
    object
        .fieldNames()
        .forEachRemaining(
            name -> {
              if (!known.contains(name)) {
                throw invalid(name, "unknown field (known: " + String.join(", ", known) + ")");
              }
            });
    return this;
  }

  /** A text field; null when absent or null. */
  public String text(String field) {
    JsonNode v = object.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw invalid(field, "expected a string but was " + kind(v));
    }
    return v.asText();
  }

  public String requiredText(String field) {
    String v = text(field);
    if (v == null || v.isBlank()) {
      throw invalid(field, "is required");
    }
    return v;
  }

  public boolean bool(String field, boolean fallback) {
    JsonNode v = object.get(field);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (!v.isBoolean()) {
      throw invalid(field, "expected true or false but was " + kind(v));
    }
    return v.asBoolean();
  }

  /** A token amount in base units: a decimal string or an integer number; null when absent. */
  public BigInteger baseUnits(String field) {
    JsonNode v = object.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    BigInteger amount;
    if (v.isIntegralNumber()) {
      amount = v.bigIntegerValue();
    } else if (v.isTextual()) {
      try {
        amount = new BigInteger(v.asText().trim());
      } catch (NumberFormatException e) {
        throw invalid(field, "expected an integer in base units (a decimal string)");
      }
    } else {
      throw invalid(field, "expected an integer in base units (a decimal string)");
    }
    if (amount.signum() <= 0) {
      throw invalid(field, "must be positive");
    }
    return amount;
  }

  /** A JSON object field as plain Java values (maps, lists, strings, numbers, booleans). */
  public Map<String, Object> objectMap(String field) {
    JsonNode v = object.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isObject()) {
      throw invalid(field, "expected an object but was " + kind(v));
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> map = Json.mapper().convertValue(v, Map.class);
    return map;
  }

  /** A list of strings; a single string counts as a one-element list; null when absent. */
  public List<String> textList(String field) {
    JsonNode v = object.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (v.isTextual()) {
      return List.of(v.asText());
    }
    if (!v.isArray()) {
      throw invalid(field, "expected a list of strings but was " + kind(v));
    }
    List<String> out = new java.util.ArrayList<>();
    for (JsonNode item : v) {
      if (!item.isTextual()) {
        throw invalid(field, "expected a list of strings");
      }
      out.add(item.asText());
    }
    return List.copyOf(out);
  }

  /** The raw object. */
  public ObjectNode node() {
    return object;
  }

  private ApiError.Failure invalid(String field, String problem) {
    return ApiError.invalid(field, problem).toException();
  }

  static String kind(JsonNode node) {
    if (node.isObject()) {
      return "an object";
    }
    if (node.isArray()) {
      return "a list";
    }
    if (node.isTextual()) {
      return "a string";
    }
    if (node.isNumber()) {
      return "a number";
    }
    if (node.isBoolean()) {
      return "a boolean";
    }
    return node.isNull()
        ? "null"
        : "a " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
  }
}
