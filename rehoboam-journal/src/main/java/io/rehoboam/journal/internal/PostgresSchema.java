package io.rehoboam.journal.internal;

import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;

/**
 * The journal's schema on PostgreSQL, as versioned Flyway migrations ({@code
 * db/journal/postgresql}: V1 the journal, V2 the cluster tables, V3 the time of each desired
 * state), recorded in the table {@code rehoboam_schema_history}. A schema holding other tables and
 * no such history is someone else's and is refused untouched; so is one migrated by a newer
 * Rehoboam.
 */
public final class PostgresSchema {
  /** Where the migrations are. */
  public static final String LOCATION = "classpath:db/journal/postgresql";

  /** Flyway's history table of the journal. */
  public static final String HISTORY = "rehoboam_schema_history";

  private PostgresSchema() {}

  /** Whether {@code url} is a PostgreSQL JDBC URL. */
  public static boolean isPostgres(String url) {
    return url.startsWith("jdbc:postgresql:");
  }

  /**
   * Brings the schema to the newest version this code knows, each migration in its transaction.
   *
   * @throws RehoboamException INVALID_CONFIG for a foreign database, a newer schema, or a failed
   *     migration
   */
  public static void migrate(String url, Properties properties, String location) {
    Map<String, String> jdbc = new HashMap<>();
    for (String name : properties.stringPropertyNames()) {
      if (!name.equals("user") && !name.equals("password")) {
        jdbc.put(name, properties.getProperty(name));
      }
    }
    Flyway flyway =
        Flyway.configure(PostgresSchema.class.getClassLoader())
            .dataSource(url, properties.getProperty("user"), properties.getProperty("password"))
            .jdbcProperties(jdbc)
            .locations(LOCATION)
            .table(HISTORY)
            .cleanDisabled(true)
            .baselineOnMigrate(false)
            .load();
    try {
      for (MigrationInfo m : flyway.info().all()) {
        if (m.getState() == MigrationState.FUTURE_SUCCESS
            || m.getState() == MigrationState.FUTURE_FAILED) {
          throw new RehoboamException(
              ErrorCode.INVALID_CONFIG,
              "journal "
                  + location
                  + ": schema version "
                  + m.getVersion()
                  + " was written by a newer Rehoboam (this one knows up to "
                  + newest(flyway)
                  + "); left untouched");
        }
      }
      flyway.migrate();
    } catch (FlywayException e) {
      String message = e.getMessage() == null ? "" : e.getMessage();
      if (message.contains("non-empty schema") || message.contains("without schema history")) {
        throw new RehoboamException(
            ErrorCode.INVALID_CONFIG,
            "journal "
                + location
                + ": not a Rehoboam journal (its schema holds tables and no "
                + HISTORY
                + "); left untouched: point the journal elsewhere",
            e);
      }
      throw new RehoboamException(
          ErrorCode.INVALID_CONFIG,
          "journal " + location + ": cannot migrate its schema: " + firstLine(message),
          e);
    }
  }

  private static String newest(Flyway flyway) {
    String newest = "0";
    for (MigrationInfo m : flyway.info().all()) {
      if (m.getState().isResolved() && m.getVersion() != null) {
        newest = m.getVersion().getVersion();
      }
    }
    return newest;
  }

  private static String firstLine(String message) {
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
