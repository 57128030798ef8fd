package io.rehoboam.journal;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.io.TempDir;

/** Recovery on the default journal, an H2 file in a data directory. */
class H2RecoveryTest extends RecoveryTest {
  @TempDir Path dir;

  @Override
  JdbcJournal openJournal(Clock clock) {
    return JdbcJournal.inDirectory(dir, clock);
  }

  @Override
  String everythingStored() throws Exception {
    byte[] file = Files.readAllBytes(dir.resolve(JdbcJournal.FILE_NAME + ".mv.db"));
    return new String(file, StandardCharsets.ISO_8859_1);
  }
}
