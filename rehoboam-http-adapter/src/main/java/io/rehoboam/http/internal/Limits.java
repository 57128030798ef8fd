package io.rehoboam.http.internal;

/**
 * The bounds on what a client chooses the size of: ids, names and lists in requests and WebSocket
 * messages. Every one is refused with a 400 naming the field when passed, and never echoed whole.
 */
public final class Limits {
  private Limits() {}

  /** A bot id: the configuration's own rule allows 64 characters. */
  public static final int BOT_ID_CHARS = 64;

  /** An opportunity id. */
  public static final int OPPORTUNITY_ID_CHARS = 256;

  /** An idempotency key (header or WebSocket field). */
  public static final int IDEMPOTENCY_KEY_CHARS = 200;

  /** An executor id. */
  public static final int EXECUTOR_ID_CHARS = 64;

  /** A WebSocket message's {@code id}, echoed in its answer: text or an integer. */
  public static final int MESSAGE_ID_CHARS = 64;

  /** Topics in one subscribe or unsubscribe message (or the {@code topics} connect parameter). */
  public static final int TOPICS_PER_MESSAGE = 64;

  /** Topics one connection may be subscribed to at once. */
  public static final int TOPICS_PER_CLIENT = 256;

  /** A query parameter's text ({@code strategy}, {@code token}, {@code min_profit}). */
  public static final int QUERY_TEXT_CHARS = 128;

  /**
   * Checks a text's length.
   *
   * @throws ApiError.Failure 400 naming {@code field} when longer than {@code max}
   */
  public static String check(String field, String value, int max) {
    if (value != null && value.length() > max) {
      throw ApiError.invalid(field, "at most " + max + " characters, was " + value.length())
          .toException();
    }
    return value;
  }
}
