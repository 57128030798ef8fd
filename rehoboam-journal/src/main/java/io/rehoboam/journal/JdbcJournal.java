package io.rehoboam.journal;

import io.rehoboam.core.BotRegistration;
import io.rehoboam.core.journal.ExecutionAttempt;
import io.rehoboam.core.journal.Journal;
import io.rehoboam.core.journal.JournalState;
import io.rehoboam.core.journal.JournalledExecution;
import io.rehoboam.journal.cluster.LeaseTokens;
import io.rehoboam.journal.internal.Legs;
import io.rehoboam.journal.internal.PostgresSchema;
import io.rehoboam.journal.internal.Registrations;
import io.rehoboam.journal.internal.Schema;
import io.rehoboam.journal.internal.Watermark;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
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
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Journal} on JDBC. By default an embedded H2 database in one file of a data directory
 * ({@link #inDirectory}); any JDBC URL works with the same code ({@link #open}), the SQL being a
 * portable subset (VARCHAR, BIGINT, primary and unique keys; amounts and times stored as exact
 * decimal and ISO-8601 strings).
 *
 * <p>At open the schema is created or migrated, in one transaction. A database that holds tables
 * but no Rehoboam marker, a marker of another format or of a newer schema version, or a file the
 * driver cannot read (corrupt, not a database) fails the open with {@code INVALID_CONFIG} naming
 * the location; nothing is ever written to such a database.
 *
 * <p>Durability: every write is one transaction committed before the method returns. On H2 the
 * connection has {@code WRITE_DELAY=0} (no delayed commit: a commit is written to the file, not
 * held in memory for up to 500 ms as by default) and every commit is followed by {@code CHECKPOINT
 * SYNC}, which forces the file to the disk (fsync): a committed write survives both a killed
 * process and a power cut. Other databases are trusted to make a commit durable (PostgreSQL's
 * default {@code synchronous_commit=on}).
 *
 * <p>Threading: one connection, writes serialized on this object.
 */
public final class JdbcJournal implements Journal {
  private static final Logger log = LoggerFactory.getLogger(JdbcJournal.class);

  /** The file name (without H2's {@code .mv.db}) of the journal in a data directory. */
  public static final String FILE_NAME = "rehoboam-journal";

  private static final int REASON_MAX = 4000;

  /** H2's error code for a database file locked by another process. */
  private static final int H2_DATABASE_ALREADY_OPEN = 90020;

  private final String location;
  private final String url;
  private final Properties properties;
  private Connection connection;
  private boolean broken;
  private final boolean h2;
  private final boolean postgres;
  private final Clock clock;
  private final Watermark watermark;
  private long seq;
  private long commits;
  private boolean closed;
  private volatile LeaseTokens fence;

  private JdbcJournal(
      String location,
      String url,
      Properties properties,
      Connection connection,
      Clock clock,
      Watermark watermark)
      throws SQLException {
    this.location = location;
    this.url = url;
    this.properties = properties;
    this.watermark = watermark;
    this.connection = connection;
    this.clock = clock;
    this.h2 = connection.getMetaData().getDatabaseProductName().toUpperCase().contains("H2");
    this.postgres = PostgresSchema.isPostgres(url);
  }

  /**
   * Opens (creating when absent) the journal of a data directory: the H2 file {@code
   * <directory>/rehoboam-journal.mv.db}. The directory is created when missing.
   *
   * @throws RehoboamException INVALID_CONFIG when the directory cannot be created, or the file is
   *     corrupt, not a database, or not a Rehoboam journal
   */
  public static JdbcJournal inDirectory(Path directory, Clock clock) {
    Objects.requireNonNull(directory, "directory");
    Path absolute = directory.toAbsolutePath().normalize();
    try {
      Files.createDirectories(absolute);
    } catch (java.io.IOException e) {
      throw new RehoboamException(
          ErrorCode.INVALID_CONFIG,
          "data_dir: cannot create " + absolute + ": " + e.getMessage(),
          e);
    }
    Path file = absolute.resolve(FILE_NAME);
    // No delayed commit; FILE_LOCK=FILE: a second service on the same directory is refused.
    String url = "jdbc:h2:file:" + file + ";WRITE_DELAY=0";
    return open(
        url,
        new Properties(),
        absolute.resolve(FILE_NAME + ".mv.db").toString(),
        clock,
        absolute.resolve(FILE_NAME + ".commits"));
  }

  /**
   * Opens the journal at any JDBC URL (the driver must be on the class path). On PostgreSQL ({@code
   * jdbc:postgresql://...}) the schema is migrated by Flyway (versioned migrations in {@code
   * db/journal/postgresql}); the connection gets a connect and a socket timeout unless the
   * properties set them, so a database that stops answering fails a write instead of hanging it.
   *
   * @param properties the connection properties (user, password); never shown in messages
   */
  public static JdbcJournal open(String jdbcUrl, Properties properties, Clock clock) {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    String shown = jdbcUrl.replaceAll("(?i)(password=)[^;&]*", "$1***");
    Properties effective = new Properties();
    effective.putAll(properties);
    if (PostgresSchema.isPostgres(jdbcUrl)) {
      effective.putIfAbsent("connectTimeout", "5");
      effective.putIfAbsent("socketTimeout", "10");
      effective.putIfAbsent("tcpKeepAlive", "true");
      effective.putIfAbsent("ApplicationName", "rehoboam-journal");
    }
    return open(jdbcUrl, effective, shown, clock, (Path) null);
  }

  private static JdbcJournal open(
      String url, Properties properties, String location, Clock clock, Path watermarkFile) {
    Watermark watermark = watermarkFile == null ? null : Watermark.open(watermarkFile);
    try {
      return open(url, properties, location, clock, watermark);
    } catch (RuntimeException e) {
      if (watermark != null) {
        watermark.close();
      }
      throw e;
    }
  }

  private static JdbcJournal open(
      String url, Properties properties, String location, Clock clock, Watermark watermark) {
    long expected = watermark == null ? 0 : watermark.read();
    boolean postgres = PostgresSchema.isPostgres(url);
    Connection connection;
    try {
      connection = DriverManager.getConnection(url, properties);
    } catch (SQLException e) {
      if (postgres) {
        throw new RehoboamException(
            ErrorCode.INVALID_CONFIG,
            "journal " + location + ": cannot connect: " + firstLine(e.getMessage()),
            e);
      }
      if (e.getErrorCode() == H2_DATABASE_ALREADY_OPEN) {
        throw new RehoboamException(
            ErrorCode.INVALID_CONFIG,
            "journal "
                + location
                + " is in use by another process (another service on the same data directory?)",
            e);
      }
      throw new RehoboamException(
          ErrorCode.INVALID_CONFIG,
          "journal "
              + location
              + ": cannot open it: "
              + firstLine(e.getMessage())
              + " (a corrupt file or not a database: move it aside or restore a backup; it was"
              + " left untouched)",
          e);
    }
    try {
      connection.setAutoCommit(false);
      connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
      JdbcJournal journal =
          new JdbcJournal(location, url, properties, connection, clock, watermark);
      if (postgres) {
        PostgresSchema.migrate(url, properties, location);
        journal.seq = 0;
        log.info("Journal {} open", location);
        return journal;
      }
      long found = Schema.commits(connection);
      if (expected > 0 && found < expected) {
        throw new RehoboamException(
            ErrorCode.INVALID_CONFIG,
            "journal "
                + location
                + ": it holds "
                + Math.max(found, 0)
                + " committed writes but "
                + expected
                + " were made ("
                + watermark.file()
                + "): the file is damaged, was replaced or lost; left untouched: restore a"
                + " backup, or move both files aside to start an empty journal");
      }
      Schema.migrate(connection, location);
      journal.sync();
      journal.seq = journal.maxSeq();
      journal.commits = Math.max(Schema.commits(connection), 0);
      if (watermark != null) {
        watermark.write(journal.commits);
      }
      log.info("Journal {} open", location);
      return journal;
    } catch (SQLException | java.io.IOException | RuntimeException e) {
      try {
        connection.rollback();
        connection.close();
      } catch (SQLException ignored) {
        // Already failing with the reason that matters.
      }
      if (e instanceof RehoboamException re) {
        throw re;
      }
      throw new RehoboamException(
          ErrorCode.INVALID_CONFIG,
          "journal " + location + ": cannot read it: " + firstLine(e.getMessage()),
          e);
    }
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "no detail";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }

  @Override
  public String location() {
    return location;
  }

  /**
   * Fences this journal's execution writes by the leases of a cluster: from now on an execution of
   * a bot is begun (and a transaction of it signed) only under the fencing token of this server's
   * lease on the bot, checked against the lease row in the same transaction (the row is locked for
   * share, so no other server can take the lease until the write commits). A server whose lease ran
   * out or moved is refused with {@code CONFLICT}, whatever it believes. PostgreSQL only.
   */
  public void fencedBy(LeaseTokens tokens) {
    if (!postgres) {
      throw new RehoboamException(
          ErrorCode.INVALID_CONFIG,
          "journal " + location + ": a cluster needs a PostgreSQL journal (server.journal.url)");
    }
    this.fence = Objects.requireNonNull(tokens, "tokens");
  }

  /**
   * Inside a write's transaction: the token under which this server may write for {@code botId}, as
   * the lease row shows it; null when the journal is not fenced or the write names no bot.
   */
  private Long fencingToken(String botId) throws SQLException {
    LeaseTokens tokens = fence;
    if (tokens == null || botId == null) {
      return null;
    }
    java.util.OptionalLong mine = tokens.tokenFor(botId);
    if (mine.isEmpty()) {
      throw new RehoboamException(
          ErrorCode.CONFLICT,
          "bot "
              + botId
              + " is not run by server "
              + tokens.serverId()
              + ": it holds no valid lease on it (the lease ran out or moved to another server)");
    }
    try (PreparedStatement st =
        connection.prepareStatement(
            "SELECT owner, token, expires_at FROM cluster_lease WHERE bot_id = ? FOR SHARE")) {
      st.setString(1, botId);
      try (ResultSet rs = st.executeQuery()) {
        if (!rs.next()) {
          throw new RehoboamException(
              ErrorCode.CONFLICT, "bot " + botId + " has no lease in the cluster");
        }
        String owner = rs.getString(1);
        long token = rs.getLong(2);
        long expiresAt = rs.getLong(3);
        if (!tokens.serverId().equals(owner) || token != mine.getAsLong()) {
          throw new RehoboamException(
              ErrorCode.CONFLICT,
              "stale fencing token: server "
                  + tokens.serverId()
                  + " writes for bot "
                  + botId
                  + " under token "
                  + mine.getAsLong()
                  + ", but the lease is at token "
                  + token
                  + (owner == null ? " and free" : " held by " + owner)
                  + "; refused");
        }
        if (expiresAt <= clock.millis()) {
          throw new RehoboamException(
              ErrorCode.CONFLICT,
              "the lease of server " + tokens.serverId() + " on bot " + botId + " ran out");
        }
        return token;
      }
    }
  }

  // ---------------------------------------------------------------- reads

  @Override
  public synchronized JournalState load() {
    ensureOpen();
    try {
      List<JournalledExecution> executions = new ArrayList<>();
      LeaseTokens tokens = fence;
      // In a cluster, an execution in flight on another live server is that server's to settle:
      // it is left out (its opportunity id and key stay unique keys of the table all the same).
      try (PreparedStatement st =
          connection.prepareStatement(
              "SELECT execution_id, opportunity_id, idempotency_key, bot_id, executor_id,"
                  + " exec_mode, start_token, amount_in, expected_profit, opportunity_json,"
                  + " started_at, status, reason, tx_hashes, nonce, tx_hash, gas_used,"
                  + " realized_profit, realized_profit_usd, finished_at, legs"
                  + " FROM journal_execution"
                  + (tokens == null
                      ? ""
                      : " WHERE NOT (status = 'SUBMITTED' AND server_id IS NOT NULL"
                          + " AND server_id <> ? AND server_id IN (SELECT server_id FROM"
                          + " cluster_server WHERE expires_at > ?))")
                  + " ORDER BY seq")) {
        if (tokens != null) {
          st.setString(1, tokens.serverId());
          st.setLong(2, clock.millis());
        }
        try (ResultSet rs = st.executeQuery()) {
          while (rs.next()) {
            executions.add(readExecution(rs));
          }
        }
      }
      Map<String, BotState> desired = new LinkedHashMap<>();
      Map<String, Instant> desiredSince = new LinkedHashMap<>();
      List<BotRegistration> registrations = new ArrayList<>();
      try (Statement st = connection.createStatement();
          ResultSet rs =
              st.executeQuery(
                  "SELECT bot_id, desired_state, registration_json, desired_at FROM journal_bot"
                      + " ORDER BY registered_seq, bot_id")) {
        while (rs.next()) {
          String desiredState = rs.getString(2);
          if (desiredState != null) {
            desired.put(rs.getString(1), BotState.valueOf(desiredState));
            String at = rs.getString(4);
            if (at != null) {
              desiredSince.put(rs.getString(1), Instant.parse(at));
            }
          }
          String json = rs.getString(3);
          if (json != null) {
            registrations.add(Registrations.fromJson(json));
          }
        }
      }
      connection.commit();
      return new JournalState(executions, desired, registrations, desiredSince);
    } catch (SQLException | RuntimeException e) {
      rollbackQuietly();
      throw new RehoboamException(
          ErrorCode.INVALID_CONFIG,
          "journal " + location + ": cannot read it back: " + firstLine(e.getMessage()),
          e);
    }
  }

  private static JournalledExecution readExecution(ResultSet rs) throws SQLException {
    String executionId = rs.getString(1);
    String opportunityId = rs.getString(2);
    ExecutionMode mode = ExecutionMode.valueOf(rs.getString(6));
    BigInteger expected = new BigInteger(rs.getString(9));
    Instant started = Instant.parse(rs.getString(11));
    ExecutionAttempt attempt =
        new ExecutionAttempt(
            executionId,
            opportunityId,
            rs.getString(3),
            rs.getString(4),
            rs.getString(5),
            mode,
            rs.getString(7),
            new BigInteger(rs.getString(8)),
            expected,
            rs.getString(10),
            started);
    String hashes = rs.getString(14);
    String finished = rs.getString(20);
    Execution latest =
        Execution.submitted(executionId, opportunityId, mode, expected, started)
            .withTxHashes(
                hashes == null || hashes.isEmpty() ? List.of() : Arrays.asList(hashes.split(",")))
            .withGasUsed(integer(rs.getString(17)))
            .withRealized(integer(rs.getString(18)), decimal(rs.getString(19)))
            .withLegs(Legs.fromJson(rs.getString(21)))
            .withStatus(
                ExecutionStatus.valueOf(rs.getString(12)),
                rs.getString(13),
                finished == null ? null : Instant.parse(finished));
    return new JournalledExecution(attempt, latest, integer(rs.getString(15)), rs.getString(16));
  }

  private static BigInteger integer(String s) {
    return s == null ? null : new BigInteger(s);
  }

  private static BigDecimal decimal(String s) {
    return s == null ? null : new BigDecimal(s);
  }

  // ---------------------------------------------------------------- writes

  @Override
  public synchronized void begin(ExecutionAttempt a) {
    Objects.requireNonNull(a, "attempt");
    write(
        "record execution " + a.executionId(),
        () -> {
          try (PreparedStatement check =
              connection.prepareStatement(
                  "SELECT execution_id, opportunity_id, idempotency_key FROM journal_execution"
                      + " WHERE opportunity_id = ? OR idempotency_key = ?")) {
            check.setString(1, a.opportunityId());
            check.setString(2, a.idempotencyKey());
            try (ResultSet rs = check.executeQuery()) {
              if (rs.next()) {
                boolean sameOpportunity = a.opportunityId().equals(rs.getString(2));
                throw new RehoboamException(
                    ErrorCode.ALREADY_EXECUTED,
                    (sameOpportunity
                            ? "opportunity " + a.opportunityId()
                            : "idempotency_key " + a.idempotencyKey())
                        + " was already executed (execution "
                        + rs.getString(1)
                        + ")");
              }
            }
          }
          Long token = fencingToken(a.botId());
          try (PreparedStatement insert =
              connection.prepareStatement(
                  "INSERT INTO journal_execution (execution_id, seq, opportunity_id,"
                      + " idempotency_key, bot_id, executor_id, exec_mode, start_token, amount_in,"
                      + " expected_profit, opportunity_json, started_at, status, updated_at"
                      + (postgres ? ", fencing_token, server_id" : "")
                      + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?"
                      + (postgres ? ", ?, ?" : "")
                      + ")")) {
            long next = nextSeq();
            insert.setString(1, a.executionId());
            insert.setLong(2, next);
            insert.setString(3, a.opportunityId());
            insert.setString(4, a.idempotencyKey());
            insert.setString(5, a.botId());
            insert.setString(6, a.executorId());
            insert.setString(7, a.mode().name());
            insert.setString(8, a.startToken());
            insert.setString(9, a.amountIn().toString());
            insert.setString(10, a.expectedProfit().toString());
            insert.setString(11, a.opportunityJson());
            insert.setString(12, a.startedAt().toString());
            // Written ahead: "started" is not a status of the contract; it stays in flight until
            // the
            // executor answers, which is what recovery looks for.
            insert.setString(13, ExecutionStatus.SUBMITTED.name());
            insert.setString(14, clock.instant().toString());
            if (postgres) {
              if (token == null) {
                insert.setNull(15, java.sql.Types.BIGINT);
                insert.setNull(16, java.sql.Types.VARCHAR);
              } else {
                insert.setLong(15, token);
                insert.setString(16, fence.serverId());
              }
            }
            insert.executeUpdate();
            seq = next;
          }
          history(a.executionId(), "STARTED", null);
        });
  }

  @Override
  public synchronized void transactionSigned(String executionId, BigInteger nonce, String txHash) {
    Objects.requireNonNull(executionId, "executionId");
    Objects.requireNonNull(txHash, "txHash");
    write(
        "record transaction " + txHash + " of execution " + executionId,
        () -> {
          if (fence != null) {
            // Nothing is broadcast for a bot this server no longer owns.
            try (PreparedStatement st =
                connection.prepareStatement(
                    "SELECT bot_id FROM journal_execution WHERE execution_id = ?")) {
              st.setString(1, executionId);
              try (ResultSet rs = st.executeQuery()) {
                if (rs.next()) {
                  fencingToken(rs.getString(1));
                }
              }
            }
          }
          try (PreparedStatement st =
              connection.prepareStatement(
                  "UPDATE journal_execution SET nonce = ?, tx_hash = ?, tx_hashes = ?,"
                      + " updated_at = ? WHERE execution_id = ?")) {
            st.setString(1, nonce == null ? null : nonce.toString());
            st.setString(2, txHash);
            st.setString(3, txHash);
            st.setString(4, clock.instant().toString());
            st.setString(5, executionId);
            requireOne(st.executeUpdate(), executionId);
          }
          history(executionId, "SIGNED", txHash);
        });
  }

  @Override
  public synchronized void update(Execution e) {
    Objects.requireNonNull(e, "execution");
    write(
        "record " + e.status() + " of execution " + e.id(),
        () -> {
          try (PreparedStatement st =
              connection.prepareStatement(
                  "UPDATE journal_execution SET status = ?, reason = ?, tx_hashes = ?,"
                      + " gas_used = ?, realized_profit = ?, realized_profit_usd = ?,"
                      + " finished_at = ?, updated_at = ?, legs = ? WHERE execution_id = ?")) {
            st.setString(1, e.status().name());
            st.setString(2, clip(e.reason()));
            st.setString(3, e.txHashes().isEmpty() ? null : String.join(",", e.txHashes()));
            st.setString(4, e.gasUsed() == null ? null : e.gasUsed().toString());
            st.setString(5, e.realizedProfit() == null ? null : e.realizedProfit().toString());
            st.setString(
                6, e.realizedProfitUsd() == null ? null : e.realizedProfitUsd().toPlainString());
            st.setString(7, e.finishedAt() == null ? null : e.finishedAt().toString());
            st.setString(8, clock.instant().toString());
            st.setString(9, e.legs().isEmpty() ? null : Legs.toJson(e.legs()));
            st.setString(10, e.id());
            requireOne(st.executeUpdate(), e.id());
          }
          history(e.id(), e.status().name(), e.reason());
        });
  }

  @Override
  public void desiredState(String botId, BotState desired) {
    desiredState(botId, desired, clock.instant());
  }

  @Override
  public synchronized void desiredState(String botId, BotState desired, Instant at) {
    Objects.requireNonNull(botId, "botId");
    if (desired != BotState.RUNNING && desired != BotState.STOPPED) {
      throw RehoboamException.invalid("desired_state", "must be RUNNING or STOPPED");
    }
    write(
        "record the desired state of bot " + botId,
        () -> {
          try (PreparedStatement st =
              connection.prepareStatement(
                  "UPDATE journal_bot SET desired_state = ?, desired_at = ? WHERE bot_id = ?")) {
            st.setString(1, desired.name());
            st.setString(2, at == null ? null : at.toString());
            st.setString(3, botId);
            if (st.executeUpdate() == 1) {
              return;
            }
          }
          try (PreparedStatement st =
              connection.prepareStatement(
                  "INSERT INTO journal_bot (bot_id, desired_state, desired_at) VALUES (?, ?, ?)")) {
            st.setString(1, botId);
            st.setString(2, desired.name());
            st.setString(3, at == null ? null : at.toString());
            st.executeUpdate();
          }
        });
  }

  @Override
  public synchronized void registered(BotRegistration registration) {
    Objects.requireNonNull(registration, "registration");
    String json = Registrations.toJson(registration);
    write(
        "record the registration of bot " + registration.id(),
        () -> {
          long next = nextSeq();
          try (PreparedStatement st =
              connection.prepareStatement(
                  "UPDATE journal_bot SET registration_json = ?, registered_seq = ?"
                      + " WHERE bot_id = ?")) {
            st.setString(1, json);
            st.setLong(2, next);
            st.setString(3, registration.id());
            if (st.executeUpdate() == 0) {
              try (PreparedStatement insert =
                  connection.prepareStatement(
                      "INSERT INTO journal_bot (bot_id, registration_json, registered_seq)"
                          + " VALUES (?, ?, ?)")) {
                insert.setString(1, registration.id());
                insert.setString(2, json);
                insert.setLong(3, next);
                insert.executeUpdate();
              }
            }
          }
          seq = next;
        });
  }

  @Override
  public synchronized void riskControl(io.rehoboam.core.risk.RiskControl control) {
    Objects.requireNonNull(control, "control");
    String json = io.rehoboam.journal.internal.RiskControls.toJson(control);
    write(
        "record the risk controls",
        () -> {
          try (PreparedStatement st =
              connection.prepareStatement(
                  "UPDATE journal_control SET val = ? WHERE name = 'control'")) {
            st.setString(1, json);
            if (st.executeUpdate() == 1) {
              return;
            }
          }
          try (PreparedStatement st =
              connection.prepareStatement(
                  "INSERT INTO journal_control (name, val) VALUES ('control', ?)")) {
            st.setString(1, json);
            st.executeUpdate();
          }
        });
  }

  @Override
  public synchronized io.rehoboam.core.risk.RiskControl loadRiskControl() {
    ensureOpen();
    try (PreparedStatement st =
        connection.prepareStatement("SELECT val FROM journal_control WHERE name = 'control'")) {
      String json;
      try (ResultSet rs = st.executeQuery()) {
        json = rs.next() ? rs.getString(1) : null;
      }
      connection.commit();
      return json == null ? null : io.rehoboam.journal.internal.RiskControls.fromJson(json);
    } catch (SQLException e) {
      throw new RehoboamException(
          ErrorCode.INTERNAL,
          "journal " + location + ": cannot read the risk controls: " + firstLine(e.getMessage()),
          e);
    }
  }

  @Override
  public synchronized void botSettings(String botId, io.rehoboam.spi.Settings settings) {
    Objects.requireNonNull(botId, "botId");
    String json;
    try {
      json = SETTINGS_JSON.writeValueAsString(settings.asMap());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw RehoboamException.invalid("settings", "cannot be written as JSON");
    }
    String name = "bot_settings:" + botId;
    write(
        "record the settings of bot " + botId,
        () -> {
          try (PreparedStatement st =
              connection.prepareStatement("UPDATE journal_control SET val = ? WHERE name = ?")) {
            st.setString(1, json);
            st.setString(2, name);
            if (st.executeUpdate() == 1) {
              return;
            }
          }
          try (PreparedStatement st =
              connection.prepareStatement(
                  "INSERT INTO journal_control (name, val) VALUES (?, ?)")) {
            st.setString(1, name);
            st.setString(2, json);
            st.executeUpdate();
          }
        });
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper SETTINGS_JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  @Override
  public synchronized java.util.Map<String, io.rehoboam.spi.Settings> loadBotSettings() {
    ensureOpen();
    java.util.Map<String, io.rehoboam.spi.Settings> out = new java.util.TreeMap<>();
    try (PreparedStatement st =
        connection.prepareStatement(
            "SELECT name, val FROM journal_control WHERE name LIKE 'bot_settings:%'")) {
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          java.util.Map<String, Object> map =
              SETTINGS_JSON.readValue(
                  rs.getString(2),
                  new com.fasterxml.jackson.core.type.TypeReference<
                      java.util.Map<String, Object>>() {});
          out.put(
              rs.getString(1).substring("bot_settings:".length()),
              io.rehoboam.spi.Settings.of(map));
        }
      }
      connection.commit();
      return out;
    } catch (SQLException | java.io.IOException e) {
      throw new RehoboamException(
          ErrorCode.INTERNAL,
          "journal " + location + ": cannot read the bot settings: " + firstLine(e.getMessage()),
          e);
    }
  }

  /**
   * Each bot's desired state as last recorded, by any server sharing this journal (a start or stop
   * asked of a server that does not run the bot is applied by the one that does).
   */
  public synchronized Map<String, BotState> desiredStates() {
    ensureOpen();
    Map<String, BotState> out = new java.util.TreeMap<>();
    try (Statement st = connection.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT bot_id, desired_state FROM journal_bot WHERE desired_state IS NOT NULL")) {
      while (rs.next()) {
        out.put(rs.getString(1), BotState.valueOf(rs.getString(2)));
      }
      connection.commit();
      return out;
    } catch (SQLException | RuntimeException e) {
      rollbackQuietly();
      broken = true;
      throw new RehoboamException(
          ErrorCode.INTERNAL,
          "journal " + location + ": cannot read the desired states: " + firstLine(e.getMessage()),
          e);
    }
  }

  @Override
  public synchronized void unregistered(String botId) {
    Objects.requireNonNull(botId, "botId");
    write(
        "forget bot " + botId,
        () -> {
          try (PreparedStatement st =
              connection.prepareStatement("DELETE FROM journal_bot WHERE bot_id = ?")) {
            st.setString(1, botId);
            st.executeUpdate();
          }
          try (PreparedStatement st =
              connection.prepareStatement("DELETE FROM journal_control WHERE name = ?")) {
            st.setString(1, "bot_settings:" + botId);
            st.executeUpdate();
          }
        });
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (watermark != null) {
      watermark.close();
    }
    if (connection == null) {
      return;
    }
    try {
      connection.close();
    } catch (SQLException e) {
      log.warn("Journal {}: closing failed: {}", location, e.toString());
    }
  }

  // ---------------------------------------------------------------- helpers

  @FunctionalInterface
  private interface Work {
    void run() throws SQLException;
  }

  /**
   * Proves the storage takes writes: one durable commit that changes nothing else (the commit
   * counter). Throws as any write when it cannot.
   */
  @Override
  public synchronized void check() {
    write("write (check)", () -> {});
  }

  /**
   * After a failed write that left the connection unusable (H2 closes a database whose file cannot
   * be written, a disk full for instance), a new connection to the same database; what was
   * committed is read back from it.
   */
  private void reconnect() throws SQLException {
    closeConnectionQuietly();
    Connection fresh = DriverManager.getConnection(url, properties);
    try {
      fresh.setAutoCommit(false);
      fresh.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
      connection = fresh;
      if (!postgres) {
        seq = maxSeq();
        commits = Math.max(Schema.commits(fresh), 0);
      }
      fresh.commit();
      broken = false;
      log.info("Journal {}: reconnected after a failed write", location);
    } catch (SQLException | RuntimeException e) {
      connection = null;
      try {
        fresh.close();
      } catch (SQLException ignored) {
        // failing with the reason that matters
      }
      throw e;
    }
  }

  private void closeConnectionQuietly() {
    Connection c = connection;
    connection = null;
    if (c != null) {
      try {
        c.close();
      } catch (SQLException e) {
        log.debug("Journal {}: closing a broken connection: {}", location, e.toString());
      }
    }
  }

  /** Whether the connection still works after a failure (a closed database does not). */
  private boolean usable() {
    try {
      return connection != null && !connection.isClosed() && connection.isValid(2);
    } catch (SQLException e) {
      return false;
    }
  }

  /** One transaction, committed durably, or rolled back and reported. */
  private void write(String what, Work work) {
    ensureOpen();
    try {
      if (broken || connection == null) {
        reconnect();
      }
      work.run();
      if (!postgres) {
        Schema.setCommits(connection, commits + 1);
      }
      connection.commit();
      commits++;
      sync();
      if (watermark != null) {
        watermark.write(commits);
      }
    } catch (SQLException | java.io.IOException | RuntimeException e) {
      if (connection != null) {
        rollbackQuietly();
      }
      // A constraint violation is an answer; any other failure may have left the connection
      // unusable (H2 closes a database whose file cannot be written, yet may call it valid).
      boolean answer =
          e instanceof RehoboamException
              || (e instanceof SQLException sql
                  && sql.getSQLState() != null
                  && sql.getSQLState().startsWith("23"));
      if (!answer || !usable()) {
        broken = true;
      }
      if (e instanceof RehoboamException re) {
        throw re;
      }
      if (e instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
        throw new RehoboamException(
            ErrorCode.ALREADY_EXECUTED,
            "journal " + location + ": cannot " + what + ": already recorded",
            e);
      }
      throw new RehoboamException(
          ErrorCode.INTERNAL,
          "journal " + location + ": cannot " + what + ": " + firstLine(e.getMessage()),
          e);
    }
  }

  private void sync() throws SQLException {
    if (h2) {
      try (Statement st = connection.createStatement()) {
        st.execute("CHECKPOINT SYNC");
      }
    }
  }

  private void history(String executionId, String status, String detail) throws SQLException {
    try (PreparedStatement st =
        connection.prepareStatement(
            "INSERT INTO journal_execution_status (execution_id, seq, status, detail, at)"
                + " VALUES (?, ?, ?, ?, ?)")) {
      long next = nextSeq();
      st.setString(1, executionId);
      st.setLong(2, next);
      st.setString(3, status);
      st.setString(4, clip(detail));
      st.setString(5, clock.instant().toString());
      st.executeUpdate();
      seq = next;
    }
  }

  /**
   * The order of the next write: one more than the last on H2 (one writer); on PostgreSQL the
   * shared sequence, so the writes of several servers keep one order.
   */
  private long nextSeq() throws SQLException {
    if (!postgres) {
      return seq + 1;
    }
    try (Statement st = connection.createStatement();
        ResultSet rs = st.executeQuery("SELECT nextval('journal_seq')")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private long maxSeq() throws SQLException {
    long max = 0;
    for (String table : List.of("journal_execution", "journal_execution_status", "journal_bot")) {
      String column = table.equals("journal_bot") ? "registered_seq" : "seq";
      try (Statement st = connection.createStatement();
          ResultSet rs = st.executeQuery("SELECT MAX(" + column + ") FROM " + table)) {
        if (rs.next()) {
          max = Math.max(max, rs.getLong(1));
        }
      }
    }
    connection.commit();
    return max;
  }

  private void requireOne(int updated, String executionId) {
    if (updated != 1) {
      throw new RehoboamException(
          ErrorCode.NOT_FOUND, "journal " + location + ": no execution " + executionId);
    }
  }

  private static String clip(String s) {
    return s == null || s.length() <= REASON_MAX ? s : s.substring(0, REASON_MAX);
  }

  private void rollbackQuietly() {
    try {
      connection.rollback();
    } catch (SQLException e) {
      log.warn("Journal {}: rollback failed: {}", location, e.toString());
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new RehoboamException(ErrorCode.SHUTTING_DOWN, "journal " + location + " is closed");
    }
  }
}
