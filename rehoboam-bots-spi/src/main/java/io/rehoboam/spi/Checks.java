package io.rehoboam.spi;

import java.math.BigInteger;
import java.util.Objects;

/** Argument checks shared by the value records. Each failure names the field. */
public final class Checks {
  private Checks() {}

  public static <T> T notNull(T value, String field) {
    if (value == null) {
      throw RehoboamException.invalid(field, "must not be null");
    }
    return value;
  }

  public static String notBlank(String value, String field) {
    if (value == null || value.isBlank()) {
      throw RehoboamException.invalid(field, "must not be blank");
    }
    return value;
  }

  public static BigInteger nonNegative(BigInteger value, String field) {
    notNull(value, field);
    if (value.signum() < 0) {
      throw RehoboamException.invalid(field, "must not be negative, was " + value);
    }
    return value;
  }

  public static long nonNegative(long value, String field) {
    if (value < 0) {
      throw RehoboamException.invalid(field, "must not be negative, was " + value);
    }
    return value;
  }

  public static void check(boolean condition, String field, String problem) {
    if (!condition) {
      throw RehoboamException.invalid(field, Objects.requireNonNull(problem));
    }
  }
}
