package io.rehoboam.journal;

import io.rehoboam.testsupport.PostgresServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/** Recovery on a real PostgreSQL: a new database for each test. */
@ExtendWith(PostgresExtension.class)
class PostgresRecoveryTest extends RecoveryTest {
  private PostgresServer pg;
  private String database;

  @BeforeEach
  void database(PostgresServer pg) {
    this.pg = pg;
    this.database = pg.createDatabase("recovery");
  }

  @Override
  JdbcJournal openJournal(Clock clock) {
    return JdbcJournal.open(pg.jdbcUrl(database), pg.properties(), clock);
  }

  /** Every row of every table of the database, as text. */
  @Override
  String everythingStored() throws Exception {
    StringBuilder out = new StringBuilder();
    try (Connection c = DriverManager.getConnection(pg.jdbcUrl(database), pg.properties())) {
      List<String> tables = new ArrayList<>();
      try (ResultSet rs = c.getMetaData().getTables(null, "public", "%", new String[] {"TABLE"})) {
        while (rs.next()) {
          tables.add(rs.getString("TABLE_NAME"));
        }
      }
      for (String table : tables) {
        try (Statement st = c.createStatement();
            ResultSet rs = st.executeQuery("SELECT * FROM " + table)) {
          int columns = rs.getMetaData().getColumnCount();
          while (rs.next()) {
            for (int i = 1; i <= columns; i++) {
              out.append(rs.getString(i)).append('\t');
            }
            out.append('\n');
          }
        }
      }
    }
    return out.toString();
  }
}
