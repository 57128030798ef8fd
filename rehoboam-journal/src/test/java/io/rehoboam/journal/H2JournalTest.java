package io.rehoboam.journal;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The journal's semantics on its default storage, an H2 file in a data directory. */
class H2JournalTest extends JournalContractTest {
  @TempDir Path dir;

  @Override
  JdbcJournal openJournal() {
    return JdbcJournal.inDirectory(dir, clock);
  }
}
