package io.rehoboam.core.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class LogTextTest {
  @Test
  void plainTextIsUnchanged() {
    String plain = "opp-1 bot_a \"quoted\" {json: 1} é €";
    assertSame(plain, LogText.escape(plain));
    assertEquals("null", LogText.escape(null));
    assertEquals("42", LogText.escape(42));
  }

  @Test
  void lineBreaksAndControlCharactersAreEscaped() {
    assertEquals(
        "x\\n12:00:00.000 [main] ERROR io.rehoboam.core.ArbitrageService - forged",
        LogText.escape("x\n12:00:00.000 [main] ERROR io.rehoboam.core.ArbitrageService - forged"));
    assertEquals("a\\r\\nb\\tc", LogText.escape("a\r\nb\tc"));
    assertEquals(
        "\\u0000\\u001b[31m\\u007f\\u0085\\u2028\\u2029",
        LogText.escape("\0\u001b[31m\u007f\u0085\u2028\u2029"));
    assertEquals("C:\\\\x\\\\n", LogText.escape("C:\\x\\n"), "a backslash is doubled");
    for (char c = 0; c < 0x20; c++) {
      assertFalse(
          LogText.escape("a" + c + "b").chars().anyMatch(ch -> ch < 0x20), "char " + (int) c);
    }
  }

  @Test
  void throwablesKeepTheirClassStackAndCausesWithEscapedMessages() {
    IllegalStateException cause = new IllegalStateException("inner\nERROR forged");
    RuntimeException failure = new RuntimeException("outer\r\nWARN forged", cause);
    Throwable escaped = LogText.failure(failure);
    StringWriter printed = new StringWriter();
    escaped.printStackTrace(new PrintWriter(printed));
    String text = printed.toString();
    assertTrue(text.startsWith("java.lang.RuntimeException: outer\\r\\nWARN forged"), text);
    assertTrue(
        text.contains("Caused by: java.lang.IllegalStateException: inner\\nERROR forged"), text);
    assertTrue(
        text.contains("LogTextTest.throwablesKeepTheirClassStackAndCausesWithEscapedMessages"),
        text);
    for (String line : text.split("\n")) {
      assertFalse(line.startsWith("ERROR") || line.startsWith("WARN"), line);
    }
    RuntimeException clean = new RuntimeException("clean", new IllegalStateException("also clean"));
    assertSame(clean, LogText.failure(clean));
    assertNull(LogText.failure(null));
  }
}
