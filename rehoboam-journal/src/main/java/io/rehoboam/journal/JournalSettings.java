package io.rehoboam.journal;

import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.Settings;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Properties;

/**
 * Where a server keeps its journal: the {@code server.journal} section of a configuration.
 *
 * <pre>
 * server:
 *   journal:
 *     url: jdbc:postgresql://db.internal:5432/rehoboam   # absent: the H2 file in the data directory
 *     user: ${REHOBOAM_DB_USER}                          # from the environment
 *     password: ${REHOBOAM_DB_PASSWORD}                  # from the environment; never shown
 * </pre>
 *
 * @param url the JDBC URL, or null for the default H2 file of the data directory
 * @param user the database user, or null
 * @param password the database password, or null; never part of a message
 */
public record JournalSettings(String url, String user, String password) {
  /** The keys of the {@code server.journal} section. */
  public static final List<String> KEYS = List.of("url", "user", "password");

  /** No section: the H2 file of the data directory. */
  public static final JournalSettings DEFAULT = new JournalSettings(null, null, null);

  /**
   * Reads a {@code server.journal} section.
   *
   * @param where the file and section, for messages ({@code rehoboam.yaml: server.journal})
   * @throws RehoboamException INVALID_CONFIG naming the key, for an unknown key or a bad value
   */
  public static JournalSettings from(Settings section, String where) {
    for (String name : section.names()) {
      if (!KEYS.contains(name)) {
        throw new RehoboamException(
            ErrorCode.INVALID_CONFIG,
            where + "." + name + ": unknown key (known: " + String.join(", ", KEYS) + ")");
      }
    }
    String url = text(section, "url", where);
    if (url != null && !url.startsWith("jdbc:")) {
      throw new RehoboamException(
          ErrorCode.INVALID_CONFIG,
          where + ".url: expected a JDBC URL (jdbc:postgresql://host:port/database)");
    }
    String user = text(section, "user", where);
    String password = text(section, "password", where);
    if (url == null && (user != null || password != null)) {
      throw new RehoboamException(
          ErrorCode.INVALID_CONFIG,
          where + ": user and password need a url (without one the journal is the H2 file)");
    }
    return new JournalSettings(url, user, password);
  }

  private static String text(Settings section, String name, String where) {
    try {
      String v = section.string(name).orElse(null);
      return v == null || v.isBlank() ? null : v.trim();
    } catch (RehoboamException e) {
      throw new RehoboamException(
          ErrorCode.INVALID_CONFIG, where + "." + name + ": expected text", e);
    }
  }

  /** Whether the journal is a database at a URL rather than the H2 file of the data directory. */
  public boolean external() {
    return url != null;
  }

  /** Opens the journal: the database at {@link #url}, else the H2 file in {@code dataDir}. */
  public JdbcJournal open(Path dataDir, Clock clock) {
    if (url == null) {
      return JdbcJournal.inDirectory(dataDir, clock);
    }
    return JdbcJournal.open(url, properties(), clock);
  }

  /** The connection properties (user, password). */
  public Properties properties() {
    Properties p = new Properties();
    if (user != null) {
      p.setProperty("user", user);
    }
    if (password != null) {
      p.setProperty("password", password);
    }
    return p;
  }

  @Override
  public String toString() {
    return "JournalSettings[url="
        + (url == null ? null : url.replaceAll("(?i)(password=)[^;&]*", "$1***"))
        + ", user="
        + user
        + ", password="
        + (password == null ? null : "***")
        + "]";
  }
}
