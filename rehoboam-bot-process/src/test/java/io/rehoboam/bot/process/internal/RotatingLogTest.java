package io.rehoboam.bot.process.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RotatingLogTest {
  private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");
  @TempDir Path dir;

  private List<Path> files() throws IOException {
    try (var listing = Files.list(dir)) {
      return listing.sorted().toList();
    }
  }

  @Test
  void rotatesAtTheCapAndKeepsOnlyTheConfiguredFiles() throws IOException {
    try (RotatingLog log = new RotatingLog(dir, "bot", 4096, 2)) {
      for (int i = 0; i < 500; i++) {
        log.write(AT, i % 2 == 0 ? "out" : "err", "line " + i + " " + "x".repeat(40));
      }
      log.flush();
    }
    assertEquals(
        List.of(dir.resolve("bot.log"), dir.resolve("bot.log.1"), dir.resolve("bot.log.2")),
        files());
    for (Path f : files()) {
      assertTrue(Files.size(f) <= 4096, f + ": " + Files.size(f));
    }
    List<String> current = Files.readAllLines(dir.resolve("bot.log"));
    assertTrue(current.get(current.size() - 1).startsWith(AT + " err line 499 "), current.get(0));
    List<String> older = Files.readAllLines(dir.resolve("bot.log.1"));
    int lastOlder = Integer.parseInt(older.get(older.size() - 1).split(" ")[3]);
    int firstCurrent = Integer.parseInt(current.get(0).split(" ")[3]);
    assertEquals(lastOlder + 1, firstCurrent, "no line lost at the rotation");
  }

  @Test
  void withoutRotatedFilesTheLogStartsOver() throws IOException {
    try (RotatingLog log = new RotatingLog(dir, "bot", 4096, 0)) {
      for (int i = 0; i < 200; i++) {
        log.write(AT, "out", "line " + i + " " + "x".repeat(40));
      }
    }
    assertEquals(List.of(dir.resolve("bot.log")), files());
    assertTrue(Files.size(dir.resolve("bot.log")) <= 4096);
  }

  @Test
  void aLineLongerThanTheFileIsCutAndAnotherRunAppends() throws IOException {
    try (RotatingLog log = new RotatingLog(dir, "bot", 4096, 1)) {
      log.write(AT, "out", "y".repeat(10_000));
    }
    assertEquals(4096, Files.size(dir.resolve("bot.log")));
    try (RotatingLog log = new RotatingLog(dir.resolve("sub"), "bot", 4096, 1)) {
      log.write(AT, "out", "first run");
    }
    try (RotatingLog log = new RotatingLog(dir.resolve("sub"), "bot", 4096, 1)) {
      log.write(AT, "out", "second run");
    }
    assertEquals(
        List.of(AT + " out first run", AT + " out second run"),
        Files.readAllLines(dir.resolve("sub/bot.log")));
    assertFalse(Files.exists(dir.resolve("sub/bot.log.1")));
  }
}
