package io.rehoboam.spi;

import java.util.Objects;

/**
 * The one unchecked exception of Rehoboam. Every failure a caller can act on carries an {@link
 * ErrorCode} and a message that names what was wrong (the field, the bot, the limit).
 */
public class RehoboamException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;

  public RehoboamException(ErrorCode code, String message) {
    super(message);
    this.code = Objects.requireNonNull(code, "code");
  }

  public RehoboamException(ErrorCode code, String message, Throwable cause) {
    super(message, cause);
    this.code = Objects.requireNonNull(code, "code");
  }

  public ErrorCode code() {
    return code;
  }

  /** Shorthand for an {@link ErrorCode#INVALID_ARGUMENT} failure naming the field. */
  public static RehoboamException invalid(String field, String problem) {
    return new RehoboamException(ErrorCode.INVALID_ARGUMENT, field + ": " + problem);
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + code + "]: " + getMessage();
  }
}
