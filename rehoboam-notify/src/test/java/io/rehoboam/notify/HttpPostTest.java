package io.rehoboam.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class HttpPostTest {
  @Test
  void retryAfterInWholeOrDecimalSeconds() {
    assertEquals(Duration.ofSeconds(7), HttpPost.retryAfter("7"));
    assertEquals(Duration.ofMillis(1501), HttpPost.retryAfter(" 1.5003 "));
    assertNull(HttpPost.retryAfter(null));
    assertNull(HttpPost.retryAfter("-1"));
    assertNull(HttpPost.retryAfter("Wed, 21 Oct 2026 07:28:00 GMT"));
    assertNull(HttpPost.retryAfter("1e400"));
  }
}
