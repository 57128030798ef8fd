package io.rehoboam.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class ApiErrorTest {

  @Test
  void everyCodeHasItsStatus() {
    Map<ErrorCode, Integer> expected =
        Map.ofEntries(
            Map.entry(ErrorCode.INVALID_ARGUMENT, 400),
            Map.entry(ErrorCode.INVALID_CONFIG, 400),
            Map.entry(ErrorCode.NOT_FOUND, 404),
            Map.entry(ErrorCode.ALREADY_EXISTS, 409),
            Map.entry(ErrorCode.CONFLICT, 409),
            Map.entry(ErrorCode.ALREADY_EXECUTED, 409),
            Map.entry(ErrorCode.EXPIRED, 410),
            Map.entry(ErrorCode.RISK_REJECTED, 422),
            Map.entry(ErrorCode.SHUTTING_DOWN, 503),
            Map.entry(ErrorCode.TIMEOUT, 504),
            Map.entry(ErrorCode.PROVIDER_CONFLICT, 500),
            Map.entry(ErrorCode.SPI_VERSION_MISMATCH, 500),
            Map.entry(ErrorCode.BOT_FAILURE, 500),
            Map.entry(ErrorCode.INTERNAL, 500));
    assertEquals(ErrorCode.values().length, expected.size());
    expected.forEach(
        (code, status) ->
            assertEquals(
                status, ApiError.of(new RehoboamException(code, "x: y")).status(), code.name()));
  }

  @Test
  void internalFailuresKeepTheirDetailsOutOfTheAnswer() {
    ApiError error =
        ApiError.of(new CompletionException(new IllegalStateException("secret at /etc/passwd")));
    ApiError bug = ApiError.of(new RehoboamException(ErrorCode.BOT_FAILURE, "secret path /home/x"));

    for (ApiError e : new ApiError[] {error, bug}) {
      assertEquals(500, e.status());
      assertEquals("INTERNAL", e.code());
      assertFalse(e.message().contains("secret"), e.message());
      assertFalse(Json.write(e.body()).contains("Exception"), Json.write(e.body()));
    }
  }

  @Test
  void invalidArgumentsNameTheField() {
    ApiError e = ApiError.of(RehoboamException.invalid("restart.max_retries", "must be >= -1"));

    assertEquals(Map.of("field", "restart.max_retries"), e.details());
    assertEquals("restart.max_retries: must be >= -1", e.message());
  }

  @Test
  void riskRejectionsNameTheLimit() {
    ApiError e =
        ApiError.of(
            new RehoboamException(
                ErrorCode.RISK_REJECTED,
                "rejected by risk limit max_trades_per_minute: 5 reached"));

    assertEquals(422, e.status());
    assertEquals(Map.of("limit", "max_trades_per_minute"), e.details());
  }

  @Test
  void theBodyHasTheOneErrorShape() {
    ApiError e = ApiError.of(new RehoboamException(ErrorCode.NOT_FOUND, "no bot with id 'x'"));

    assertNull(e.details());
    assertEquals(
        "{\"error\":{\"code\":\"NOT_FOUND\",\"message\":\"no bot with id 'x'\",\"details\":null}}",
        Json.write(e.body()));
  }
}
