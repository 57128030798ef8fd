package io.rehoboam.journal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.core.journal.ExecutionAttempt;
import io.rehoboam.core.journal.JournalState;
import io.rehoboam.core.journal.JournalledExecution;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.Settings;
import io.rehoboam.spi.event.BotState;
import io.rehoboam.spi.trade.Execution;
import io.rehoboam.spi.trade.ExecutionMode;
import io.rehoboam.spi.trade.ExecutionStatus;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JdbcJournalTest {
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  private final Clock clock = Clock.fixed(T0, ZoneOffset.UTC);

  @TempDir Path dir;

  private static ExecutionAttempt attempt(String id, String opportunityId, String key, String bot) {
    return new ExecutionAttempt(
        id,
        opportunityId,
        key,
        bot,
        "paper",
        ExecutionMode.PAPER,
        "0xtoken",
        BigInteger.valueOf(1000),
        BigInteger.valueOf(7),
        "{\"id\":\"" + opportunityId + "\"}",
        T0);
  }

  private static Execution finished(
      String id, String opportunityId, ExecutionStatus status, String usd) {
    return Execution.submitted(id, opportunityId, ExecutionMode.PAPER, BigInteger.valueOf(7), T0)
        .withRealized(
            status == ExecutionStatus.FAILED ? null : BigInteger.valueOf(6),
            usd == null ? null : new BigDecimal(usd))
        .withStatus(status, status == ExecutionStatus.FAILED ? "boom" : null, T0.plusSeconds(1));
  }

  @Test
  void aCorruptFileIsAClearErrorAndIsLeftUntouched() throws Exception {
    Path file = dir.resolve(JdbcJournal.FILE_NAME + ".mv.db");
    byte[] garbage = new byte[8192];
    new java.util.Random(7).nextBytes(garbage);
    Files.write(file, garbage);
    RehoboamException e =
        assertThrows(RehoboamException.class, () -> JdbcJournal.inDirectory(dir, clock));
    assertEquals(ErrorCode.INVALID_CONFIG, e.code());
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("corrupt"), e.getMessage());
    assertArrayEquals(garbage, Files.readAllBytes(file));
  }

  @Test
  void aJournalWhoseTailWasCutOffIsAClearError() throws Exception {
    try (JdbcJournal j = JdbcJournal.inDirectory(dir, clock)) {
      for (int i = 0; i < 20; i++) {
        j.begin(attempt("ex-" + i, "op-" + i, null, null));
      }
    }
    Path file = dir.resolve(JdbcJournal.FILE_NAME + ".mv.db");
    byte[] bytes = Files.readAllBytes(file);
    // Overwrite everything after the file header: the chunks holding the data are gone.
    for (int i = 8192; i < bytes.length; i++) {
      bytes[i] = (byte) 0x5a;
    }
    Files.write(file, bytes);
    RehoboamException e =
        assertThrows(
            RehoboamException.class,
            () -> {
              try (JdbcJournal j = JdbcJournal.inDirectory(dir, clock)) {
                System.out.println("LOADED " + j.load().executions().size());
              }
            });
    assertEquals(ErrorCode.INVALID_CONFIG, e.code());
    assertTrue(e.getMessage().contains("damaged"), e.getMessage());
    assertTrue(e.getMessage().contains(JdbcJournal.FILE_NAME), e.getMessage());
  }

  @Test
  void aDeletedJournalFileIsNotSilentlyStartedAfresh() throws Exception {
    try (JdbcJournal j = JdbcJournal.inDirectory(dir, clock)) {
      j.begin(attempt("ex-1", "op-1", null, null));
    }
    Files.delete(dir.resolve(JdbcJournal.FILE_NAME + ".mv.db"));
    RehoboamException e =
        assertThrows(RehoboamException.class, () -> JdbcJournal.inDirectory(dir, clock));
    assertEquals(ErrorCode.INVALID_CONFIG, e.code());
    assertTrue(e.getMessage().contains("committed writes"), e.getMessage());
  }

  @Test
  void aForeignDatabaseIsRefusedAndLeftUntouched() throws Exception {
    Path file = dir.resolve(JdbcJournal.FILE_NAME);
    try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + file);
        Statement st = c.createStatement()) {
      st.execute("CREATE TABLE customers (id INT PRIMARY KEY, name VARCHAR(20))");
      st.execute("INSERT INTO customers VALUES (1, 'Ada')");
    }
    RehoboamException e =
        assertThrows(RehoboamException.class, () -> JdbcJournal.inDirectory(dir, clock));
    assertEquals(ErrorCode.INVALID_CONFIG, e.code());
    assertTrue(e.getMessage().contains("not a Rehoboam journal"), e.getMessage());
    assertTrue(e.getMessage().contains("customers"), e.getMessage());
    try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + file);
        Statement st = c.createStatement();
        var rs = st.executeQuery("SELECT COUNT(*) FROM customers")) {
      rs.next();
      assertEquals(1, rs.getInt(1));
    }
  }

  @Test
  void aJournalOfANewerSchemaIsRefused() throws Exception {
    JdbcJournal.inDirectory(dir, clock).close();
    Path file = dir.resolve(JdbcJournal.FILE_NAME);
    try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + file);
        Statement st = c.createStatement()) {
      st.execute("UPDATE rehoboam_journal SET val = '99' WHERE name = 'schema_version'");
    }
    RehoboamException e =
        assertThrows(RehoboamException.class, () -> JdbcJournal.inDirectory(dir, clock));
    assertEquals(ErrorCode.INVALID_CONFIG, e.code());
    assertTrue(e.getMessage().contains("newer"), e.getMessage());
  }

  @Test
  void anyJdbcUrlWorksWithTheSameCode() {
    String url = "jdbc:h2:mem:journal-url-test;DB_CLOSE_DELAY=-1";
    try (JdbcJournal j = JdbcJournal.open(url, new java.util.Properties(), clock)) {
      j.begin(attempt("ex-1", "op-1", null, null));
      assertEquals(url, j.location());
    }
    try (JdbcJournal j = JdbcJournal.open(url, new java.util.Properties(), clock)) {
      assertEquals(1, j.load().executions().size());
      assertNull(j.load().executions().get(0).txHash());
    }
  }

  /**
   * Two lines of development each wrote a version-2 schema: one with the operator controls table,
   * one with each execution's legs. A journal file of either opens, keeps what it held and gains
   * what the other added.
   */
  @Test
  void aVersionTwoJournalOfEitherPredecessorMigrates() throws Exception {
    for (String predecessor : List.of("controls", "legs")) {
      Path home = Files.createDirectories(dir.resolve(predecessor));
      try (JdbcJournal j = JdbcJournal.inDirectory(home, clock)) {
        j.begin(attempt("ex-1", "op-1", "key-1", "bot-a"));
      }
      Path file = home.resolve(JdbcJournal.FILE_NAME);
      try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + file);
          Statement st = c.createStatement()) {
        if (predecessor.equals("controls")) {
          st.execute("ALTER TABLE journal_execution DROP COLUMN legs");
        } else {
          st.execute("DROP TABLE journal_control");
        }
        st.execute("UPDATE rehoboam_journal SET val = '2' WHERE name = 'schema_version'");
      }
      try (JdbcJournal j = JdbcJournal.inDirectory(home, clock)) {
        assertEquals(1, j.load().executions().size(), predecessor);
        Execution sent =
            Execution.submitted("ex-1", "op-1", ExecutionMode.LIVE, BigInteger.valueOf(7), T0)
                .withTxHashes(List.of("0xab"))
                .withLegs(
                    List.of(
                        new io.rehoboam.spi.trade.LegExecution(
                            0, 1, ExecutionStatus.SUBMITTED, "0xab", null)));
        j.update(sent);
        j.botSettings("bot-a", Settings.of(Map.of("min_profit", "2")));
      }
      try (JdbcJournal j = JdbcJournal.inDirectory(home, clock)) {
        JournalledExecution e = j.load().executions().get(0);
        assertEquals(1, e.latest().legs().size(), predecessor + ": the legs column works");
        assertEquals(
            "2",
            j.loadBotSettings().get("bot-a").string("min_profit").orElseThrow(),
            predecessor + ": the controls table works");
      }
      try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + file);
          Statement st = c.createStatement();
          var rs =
              st.executeQuery("SELECT val FROM rehoboam_journal WHERE name = 'schema_version'")) {
        rs.next();
        assertEquals("4", rs.getString(1));
      }
    }
  }

  /** Version 4 records when each desired state was set; a version-3 journal gains the column. */
  @Test
  void aVersionThreeJournalGainsTheTimeOfDesiredStates() throws Exception {
    try (JdbcJournal j = JdbcJournal.inDirectory(dir, clock)) {
      j.desiredState("bot-a", BotState.RUNNING);
    }
    Path file = dir.resolve(JdbcJournal.FILE_NAME);
    try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + file);
        Statement st = c.createStatement()) {
      st.execute("ALTER TABLE journal_bot DROP COLUMN desired_at");
      st.execute("UPDATE rehoboam_journal SET val = '3' WHERE name = 'schema_version'");
    }
    try (JdbcJournal j = JdbcJournal.inDirectory(dir, clock)) {
      JournalState s = j.load();
      assertEquals(Map.of("bot-a", BotState.RUNNING), s.desiredStates());
      assertTrue(s.desiredSince().isEmpty(), "a version-3 journal knows no times");
      j.desiredState("bot-a", BotState.STOPPED, T0.plusSeconds(60));
    }
    try (JdbcJournal j = JdbcJournal.inDirectory(dir, clock)) {
      JournalState s = j.load();
      assertEquals(Map.of("bot-a", BotState.STOPPED), s.desiredStates());
      assertEquals(Map.of("bot-a", T0.plusSeconds(60)), s.desiredSince());
    }
  }
}
