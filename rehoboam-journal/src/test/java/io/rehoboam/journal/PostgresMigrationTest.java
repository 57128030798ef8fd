package io.rehoboam.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.core.journal.JournalledExecution;
import io.rehoboam.journal.internal.PostgresSchema;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.trade.ExecutionStatus;
import io.rehoboam.testsupport.PostgresServer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The PostgreSQL journal's versioned migrations, on a real PostgreSQL. */
@ExtendWith(PostgresExtension.class)
class PostgresMigrationTest {
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  private final Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
  private PostgresServer pg;
  private String database;

  @BeforeEach
  void database(PostgresServer pg) {
    this.pg = pg;
    this.database = pg.createDatabase("migration");
  }

  private JdbcJournal open() {
    return JdbcJournal.open(pg.jdbcUrl(database), pg.properties(), clock);
  }

  private List<String> query(String sql) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(pg.jdbcUrl(database), pg.properties());
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  @Test
  void anEmptyDatabaseIsMigratedToTheNewestVersion() throws Exception {
    open().close();
    assertEquals(
        List.of("1", "2", "3"),
        query(
            "SELECT version FROM "
                + PostgresSchema.HISTORY
                + " WHERE success ORDER BY installed_rank"));
    assertEquals(
        List.of(
            "cluster_lease",
            "cluster_server",
            "journal_bot",
            "journal_control",
            "journal_execution",
            "journal_execution_status"),
        query(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
                + " AND table_name NOT LIKE 'rehoboam_%' ORDER BY table_name"));
    open().close(); // a second open finds nothing to do
    assertEquals(
        List.of("3"), query("SELECT COUNT(*) FROM " + PostgresSchema.HISTORY + " WHERE success"));
  }

  @Test
  void aVersionOneJournalIsMigratedAndKeepsWhatItHeld() throws Exception {
    Flyway.configure()
        .dataSource(pg.jdbcUrl(database), PostgresServer.USER, null)
        .locations(PostgresSchema.LOCATION)
        .table(PostgresSchema.HISTORY)
        .target("1")
        .load()
        .migrate();
    pg.execute(
        database,
        "INSERT INTO journal_execution (execution_id, seq, opportunity_id, idempotency_key,"
            + " bot_id, executor_id, exec_mode, start_token, amount_in, expected_profit,"
            + " opportunity_json, started_at, status, updated_at, realized_profit,"
            + " realized_profit_usd, finished_at) VALUES ('ex-1', nextval('journal_seq'), 'op-1',"
            + " 'key-1', 'bot-a', 'paper', 'PAPER', '0xtoken', '1000', '7', '{}',"
            + " '2026-03-01T10:00:00Z', 'SIMULATED', '2026-03-01T10:00:01Z', '6', '1.5',"
            + " '2026-03-01T10:00:01Z')",
        "INSERT INTO journal_bot (bot_id, desired_state) VALUES ('bot-a', 'RUNNING')");
    assertEquals(List.of("1"), query("SELECT MAX(version) FROM " + PostgresSchema.HISTORY));

    try (JdbcJournal j = open()) {
      List<JournalledExecution> executions = j.load().executions();
      assertEquals(1, executions.size());
      assertEquals(ExecutionStatus.SIMULATED, executions.get(0).latest().status());
      assertEquals("RUNNING", j.load().desiredStates().get("bot-a").name());
      RehoboamException again =
          assertThrows(
              RehoboamException.class,
              () -> j.begin(JournalContractTest.attempt("ex-2", "op-1", null, "bot-a")));
      assertEquals(ErrorCode.ALREADY_EXECUTED, again.code());
      j.begin(JournalContractTest.attempt("ex-3", "op-3", null, "bot-a"));
    }
    assertEquals(
        List.of("3"),
        query("SELECT MAX(version) FROM " + PostgresSchema.HISTORY + " WHERE success"));
    assertEquals(List.of("0"), query("SELECT COUNT(*) FROM cluster_lease"));
  }

  @Test
  void aForeignDatabaseIsRefusedAndLeftUntouched() throws Exception {
    pg.execute(
        database,
        "CREATE TABLE customers (id INT PRIMARY KEY, name VARCHAR(20))",
        "INSERT INTO customers VALUES (1, 'Ada')");
    RehoboamException e = assertThrows(RehoboamException.class, this::open);
    assertEquals(ErrorCode.INVALID_CONFIG, e.code());
    assertTrue(e.getMessage().contains("not a Rehoboam journal"), e.getMessage());
    assertTrue(e.getMessage().contains(database), e.getMessage());
    assertEquals(List.of("1"), query("SELECT COUNT(*) FROM customers"));
    assertEquals(
        List.of("customers"),
        query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"));
  }

  @Test
  void aJournalOfANewerSchemaIsRefused() throws Exception {
    open().close();
    pg.execute(
        database,
        "INSERT INTO "
            + PostgresSchema.HISTORY
            + " (installed_rank, version, description, type, script, checksum, installed_by,"
            + " execution_time, success) VALUES (99, '99', 'from the future', 'SQL',"
            + " 'V99__future.sql', 0, 'postgres', 1, true)");
    RehoboamException e = assertThrows(RehoboamException.class, this::open);
    assertEquals(ErrorCode.INVALID_CONFIG, e.code());
    assertTrue(e.getMessage().contains("newer"), e.getMessage());
  }

  @Test
  void anUnreachableDatabaseIsAClearErrorWithoutThePassword() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    Properties p = new Properties();
    p.setProperty("user", "rehoboam");
    p.setProperty("password", "s3cret-pw");
    RehoboamException e =
        assertThrows(
            RehoboamException.class,
            () ->
                JdbcJournal.open(
                    "jdbc:postgresql://127.0.0.1:" + closed + "/journal?password=s3cret-pw",
                    p,
                    clock));
    assertEquals(ErrorCode.INVALID_CONFIG, e.code());
    assertTrue(e.getMessage().contains("cannot connect"), e.getMessage());
    assertTrue(e.getMessage().contains("127.0.0.1:" + closed), e.getMessage());
    assertFalse(e.getMessage().contains("s3cret-pw"), e.getMessage());
  }
}
