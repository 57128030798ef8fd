package io.rehoboam.journal;

import io.rehoboam.testsupport.PostgresServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/** The journal's semantics on a real PostgreSQL: a new database for each test. */
@ExtendWith(PostgresExtension.class)
class PostgresJournalTest extends JournalContractTest {
  private PostgresServer pg;
  private String database;

  @BeforeEach
  void database(PostgresServer pg) {
    this.pg = pg;
    this.database = pg.createDatabase("journal");
  }

  @Override
  JdbcJournal openJournal() {
    return JdbcJournal.open(pg.jdbcUrl(database), pg.properties(), clock);
  }
}
