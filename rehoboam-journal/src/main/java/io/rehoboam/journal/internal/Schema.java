package io.rehoboam.journal.internal;

import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * The journal's schema and its migrations. The marker table {@code rehoboam_journal} says what the
 * database is ({@code format = rehoboam-journal}) and which schema version it has; a database
 * without it must be empty, or it is someone else's and is refused untouched.
 */
public final class Schema {
  public static final String FORMAT = "rehoboam-journal";

  /** Migration {@code i} brings the schema from version {@code i} to {@code i + 1}. */
  private static final List<List<String>> MIGRATIONS =
      List.of(
          List.of(
              "CREATE TABLE journal_execution ("
                  + " execution_id VARCHAR(100) NOT NULL PRIMARY KEY,"
                  + " seq BIGINT NOT NULL,"
                  + " opportunity_id VARCHAR(255) NOT NULL UNIQUE,"
                  + " idempotency_key VARCHAR(255) UNIQUE,"
                  + " bot_id VARCHAR(255),"
                  + " executor_id VARCHAR(255) NOT NULL,"
                  + " exec_mode VARCHAR(16) NOT NULL,"
                  + " start_token VARCHAR(255) NOT NULL,"
                  + " amount_in VARCHAR(100) NOT NULL,"
                  + " expected_profit VARCHAR(100) NOT NULL,"
                  + " opportunity_json VARCHAR(100000) NOT NULL,"
                  + " started_at VARCHAR(40) NOT NULL,"
                  + " status VARCHAR(16) NOT NULL,"
                  + " reason VARCHAR(4000),"
                  + " tx_hashes VARCHAR(4000),"
                  + " nonce VARCHAR(100),"
                  + " tx_hash VARCHAR(100),"
                  + " gas_used VARCHAR(100),"
                  + " realized_profit VARCHAR(100),"
                  + " realized_profit_usd VARCHAR(100),"
                  + " finished_at VARCHAR(40),"
                  + " updated_at VARCHAR(40) NOT NULL)",
              "CREATE TABLE journal_execution_status ("
                  + " execution_id VARCHAR(100) NOT NULL,"
                  + " seq BIGINT NOT NULL,"
                  + " status VARCHAR(16) NOT NULL,"
                  + " detail VARCHAR(4000),"
                  + " at VARCHAR(40) NOT NULL,"
                  + " PRIMARY KEY (execution_id, seq))",
              "CREATE TABLE journal_bot ("
                  + " bot_id VARCHAR(255) NOT NULL PRIMARY KEY,"
                  + " desired_state VARCHAR(16),"
                  + " registration_json VARCHAR(100000),"
                  + " registered_seq BIGINT)"),
          // 1 -> 2: operator controls (risk control, changed bot settings).
          List.of(
              "CREATE TABLE IF NOT EXISTS journal_control ("
                  + " name VARCHAR(64) NOT NULL PRIMARY KEY,"
                  + " val VARCHAR(100000) NOT NULL)"),
          // 2 -> 3: each execution's legs as last reported, so recovery knows what was sent. A
          // version-2 journal may hold either the controls or the legs (two lines of development
          // each called their step version 2), so both steps are taken only where missing.
          List.of(
              "ALTER TABLE journal_execution ADD COLUMN IF NOT EXISTS legs VARCHAR(100000)",
              "CREATE TABLE IF NOT EXISTS journal_control ("
                  + " name VARCHAR(64) NOT NULL PRIMARY KEY,"
                  + " val VARCHAR(100000) NOT NULL)"),
          // 3 -> 4: when each bot's desired state was set, so a restart knows whether a manual
          // start or stop still holds against the bot's schedule.
          List.of("ALTER TABLE journal_bot ADD COLUMN IF NOT EXISTS desired_at VARCHAR(40)"));

  /** The schema version this code writes. */
  public static final int VERSION = MIGRATIONS.size();

  private Schema() {}

  /**
   * Checks what the database is and brings its schema to {@link #VERSION}, in one transaction.
   *
   * @throws RehoboamException INVALID_CONFIG for a foreign database or a newer schema
   */
  public static void migrate(Connection c, String location) throws SQLException {
    TreeSet<String> tables = tables(c);
    int version;
    if (!tables.contains("rehoboam_journal")) {
      if (!tables.isEmpty()) {
        throw new RehoboamException(
            ErrorCode.INVALID_CONFIG,
            "journal "
                + location
                + ": not a Rehoboam journal (it holds tables "
                + tables
                + " and no rehoboam_journal marker); left untouched: point the journal elsewhere");
      }
      try (Statement st = c.createStatement()) {
        st.execute(
            "CREATE TABLE rehoboam_journal (name VARCHAR(64) NOT NULL PRIMARY KEY,"
                + " val VARCHAR(255) NOT NULL)");
        st.execute("INSERT INTO rehoboam_journal (name, val) VALUES ('format', '" + FORMAT + "')");
        st.execute("INSERT INTO rehoboam_journal (name, val) VALUES ('schema_version', '0')");
        st.execute("INSERT INTO rehoboam_journal (name, val) VALUES ('commits', '0')");
      }
      version = 0;
    } else {
      String format = marker(c, "format");
      if (!FORMAT.equals(format)) {
        throw new RehoboamException(
            ErrorCode.INVALID_CONFIG,
            "journal "
                + location
                + ": its rehoboam_journal marker says format '"
                + format
                + "', not '"
                + FORMAT
                + "'; left untouched");
      }
      String v = marker(c, "schema_version");
      try {
        version = Integer.parseInt(v == null ? "" : v);
      } catch (NumberFormatException e) {
        throw new RehoboamException(
            ErrorCode.INVALID_CONFIG,
            "journal " + location + ": unreadable schema_version '" + v + "'; left untouched");
      }
      if (version > VERSION || version < 0) {
        throw new RehoboamException(
            ErrorCode.INVALID_CONFIG,
            "journal "
                + location
                + ": schema version "
                + version
                + " was written by a newer Rehoboam (this one knows up to "
                + VERSION
                + "); left untouched");
      }
    }
    for (int i = version; i < VERSION; i++) {
      try (Statement st = c.createStatement()) {
        for (String sql : MIGRATIONS.get(i)) {
          st.execute(sql);
        }
      }
      try (PreparedStatement st =
          c.prepareStatement("UPDATE rehoboam_journal SET val = ? WHERE name = 'schema_version'")) {
        st.setString(1, Integer.toString(i + 1));
        st.executeUpdate();
      }
    }
    c.commit();
  }

  /**
   * How many writes the database says were committed, or -1 when it has no journal marker (empty,
   * foreign). Reads only.
   */
  public static long commits(Connection c) throws SQLException {
    if (!tables(c).contains("rehoboam_journal")) {
      return -1;
    }
    String v = marker(c, "commits");
    c.commit();
    try {
      return v == null ? -1 : Long.parseLong(v);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** Sets the commit count, inside the caller's transaction. */
  public static void setCommits(Connection c, long commits) throws SQLException {
    try (PreparedStatement st =
        c.prepareStatement("UPDATE rehoboam_journal SET val = ? WHERE name = 'commits'")) {
      st.setString(1, Long.toString(commits));
      if (st.executeUpdate() != 1) {
        throw new SQLException("the rehoboam_journal marker has no commits row");
      }
    }
  }

  private static String marker(Connection c, String name) throws SQLException {
    try (PreparedStatement st =
        c.prepareStatement("SELECT val FROM rehoboam_journal WHERE name = ?")) {
      st.setString(1, name);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  /** The tables of the connection's own schema, lower-case. */
  private static TreeSet<String> tables(Connection c) throws SQLException {
    TreeSet<String> out = new TreeSet<>();
    DatabaseMetaData meta = c.getMetaData();
    String schema = c.getSchema();
    try (ResultSet rs = meta.getTables(c.getCatalog(), schema, "%", new String[] {"TABLE"})) {
      while (rs.next()) {
        out.add(rs.getString("TABLE_NAME").toLowerCase(Locale.ROOT));
      }
    }
    return out;
  }
}
