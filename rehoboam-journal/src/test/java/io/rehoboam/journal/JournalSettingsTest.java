package io.rehoboam.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.Settings;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JournalSettingsTest {
  private static final String WHERE = "rehoboam.yaml: server.journal";

  @Test
  void noSectionIsTheH2FileOfTheDataDirectory() {
    JournalSettings s = JournalSettings.from(Settings.empty(), WHERE);
    assertFalse(s.external());
    assertNull(s.url());
  }

  @Test
  void aUrlWithCredentialsIsReadAndThePasswordNeverShown() {
    JournalSettings s =
        JournalSettings.from(
            Settings.of(
                Map.of(
                    "url", "jdbc:postgresql://127.0.0.1:5432/rehoboam",
                    "user", "bot",
                    "password", "pw-0123456789")),
            WHERE);
    assertTrue(s.external());
    assertEquals("bot", s.properties().getProperty("user"));
    assertEquals("pw-0123456789", s.properties().getProperty("password"));
    assertFalse(s.toString().contains("pw-0123456789"), s.toString());
  }

  @Test
  void badSectionsAreRefusedNamingTheKey() {
    RehoboamException unknown =
        assertThrows(
            RehoboamException.class,
            () -> JournalSettings.from(Settings.of(Map.of("uri", "jdbc:x")), WHERE));
    assertEquals(ErrorCode.INVALID_CONFIG, unknown.code());
    assertTrue(unknown.getMessage().contains("server.journal.uri"), unknown.getMessage());

    RehoboamException notJdbc =
        assertThrows(
            RehoboamException.class,
            () -> JournalSettings.from(Settings.of(Map.of("url", "postgres://h/db")), WHERE));
    assertTrue(notJdbc.getMessage().contains("server.journal.url"), notJdbc.getMessage());

    RehoboamException noUrl =
        assertThrows(
            RehoboamException.class,
            () -> JournalSettings.from(Settings.of(Map.of("password", "pw-0123456789")), WHERE));
    assertTrue(noUrl.getMessage().contains("need a url"), noUrl.getMessage());
    assertFalse(noUrl.getMessage().contains("pw-0123456789"));
  }
}
