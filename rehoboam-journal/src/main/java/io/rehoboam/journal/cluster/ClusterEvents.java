package io.rehoboam.journal.cluster;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's events as PostgreSQL delivers them to every server: {@code LISTEN} on the channel
 * {@value #CHANNEL}, where {@link ClusterMember} sends ({@code pg_notify}, in the transaction of
 * the change, so only committed changes are told) each lease taken or given back and each server
 * leaving. Each payload is a JSON object ({@code change}, {@code bot_id}, {@code server_id}, {@code
 * token}). A lost connection is opened again; what was sent meanwhile is not replayed (the lease
 * table is the truth, the events only tell of changes).
 */
public final class ClusterEvents implements AutoCloseable {
  /** The notification channel. */
  public static final String CHANNEL = "rehoboam_cluster";

  private static final Logger log = LoggerFactory.getLogger(ClusterEvents.class);

  private final String url;
  private final Properties properties;
  private final Consumer<String> sink;
  private final Thread thread;
  private final CountDownLatch listening = new CountDownLatch(1);
  private volatile boolean closed;
  private volatile Connection connection;

  private ClusterEvents(String url, Properties properties, Consumer<String> sink) {
    this.url = url;
    this.properties = properties;
    this.sink = sink;
    this.thread = new Thread(this::run, "cluster-events");
    thread.setDaemon(true);
  }

  /**
   * Listens on the channel of the database at {@code url}, handing each payload to {@code sink} on
   * a thread of its own, until {@link #close()}.
   */
  public static ClusterEvents listen(String url, Properties properties, Consumer<String> sink) {
    ClusterEvents events =
        new ClusterEvents(
            Objects.requireNonNull(url, "url"),
            Objects.requireNonNull(properties, "properties"),
            Objects.requireNonNull(sink, "sink"));
    events.thread.start();
    return events;
  }

  /** Waits until the first {@code LISTEN} took effect; false on timeout. */
  public boolean awaitListening(long timeout, TimeUnit unit) throws InterruptedException {
    return listening.await(timeout, unit);
  }

  private void run() {
    long backoff = 100;
    while (!closed) {
      try (Connection c = DriverManager.getConnection(url, properties)) {
        connection = c;
        try (Statement st = c.createStatement()) {
          st.execute("LISTEN " + CHANNEL);
        }
        listening.countDown();
        backoff = 100;
        PGConnection pg = c.unwrap(PGConnection.class);
        while (!closed) {
          PGNotification[] received = pg.getNotifications(500);
          if (received == null) {
            continue;
          }
          for (PGNotification n : received) {
            try {
              sink.accept(n.getParameter());
            } catch (RuntimeException e) {
              log.warn("Cluster event not delivered: {}", e.toString());
            }
          }
        }
      } catch (SQLException e) {
        if (closed) {
          return;
        }
        log.warn("Cluster events: {} (listening again in {} ms)", e.getMessage(), backoff);
        java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(backoff));
        backoff = Math.min(backoff * 2, 5000);
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    Connection c = connection;
    if (c != null) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // closing anyway
      }
    }
    try {
      thread.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
