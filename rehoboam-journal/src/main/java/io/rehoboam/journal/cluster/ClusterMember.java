package io.rehoboam.journal.cluster;

import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One server of a cluster sharing a PostgreSQL journal: its membership row and the leases of the
 * bots it runs, as Quartz clustering or ShedLock keep them, in the database.
 *
 * <p>Each {@link #tick() heartbeat} renews this server's row and its leases (until now plus the
 * lease time, by the injected clock), then takes the bots the {@link Assignment} gives it that are
 * free or whose lease ran out, and gives back the ones it gives to another live server (rebalancing
 * when a server joins or leaves). Taking a lease adds one to its fencing token; the journal writes
 * an execution only under the token the lease has in the database ({@link LeaseTokens}).
 *
 * <p>A server that cannot renew (the database is unreachable) knows when its leases end: it gives
 * its bots up at {@code renewal start + lease - margin} by its own clock ({@link #expire()}),
 * before any other server can take them at {@code renewal start + lease}.
 *
 * <p>Threading: {@link #tick()} and the membership writes are serialized; {@link #tokenFor} and
 * {@link #expire()} may run at any time (the heartbeat may be stuck on an unreachable database).
 */
public final class ClusterMember implements LeaseTokens, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ClusterMember.class);

  /** Told when this server gains or loses a bot. Called on the heartbeat or watchdog thread. */
  public interface Listener {
    /** This server now owns the bot under {@code token}: start it if it should run. */
    void acquired(String botId, long token);

    /** This server no longer owns the bot: stop executing for it now. */
    void lost(String botId, String why);

    /** After each successful heartbeat, with the bots this server owns and their tokens. */
    default void beat(Map<String, Long> owned) {}
  }

  private record Held(long token, long validUntil) {}

  private final String url;
  private final Properties properties;
  private final String serverId;
  private final Set<String> tags;
  private final long leaseMillis;
  private final long marginMillis;
  private final Clock clock;
  private final Map<String, Held> held = new ConcurrentHashMap<>();
  private volatile Listener listener =
      new Listener() {
        @Override
        public void acquired(String botId, long token) {}

        @Override
        public void lost(String botId, String why) {}
      };
  private Connection connection;
  private ScheduledExecutorService scheduler;
  private volatile boolean closed;
  private volatile long lastBeat;
  private volatile String lastError;
  private volatile List<Member> lastMembers = List.of();
  private volatile List<Lease> lastLeases = List.of();

  private ClusterMember(
      String url,
      Properties properties,
      String serverId,
      Set<String> tags,
      Duration lease,
      Clock clock) {
    this.url = url;
    this.properties = properties;
    this.serverId = serverId;
    this.tags = Set.copyOf(tags);
    this.leaseMillis = lease.toMillis();
    this.marginMillis = Math.max(leaseMillis / 5, 1);
    this.clock = clock;
  }

  /**
   * A server joining the cluster of the journal at {@code url} (already opened, so migrated). It
   * holds nothing until its first {@link #tick()}.
   *
   * @param lease how long a lease lasts without renewal; heartbeats come every third of it
   * @throws RehoboamException INVALID_CONFIG for a bad server id, a lease under 300 ms, or a
   *     database it cannot reach
   */
  public static ClusterMember join(
      String url,
      Properties properties,
      String serverId,
      Set<String> tags,
      Duration lease,
      Clock clock) {
    Objects.requireNonNull(url, "url");
    if (serverId == null || !serverId.matches("[A-Za-z0-9_.-]{1,100}")) {
      throw new RehoboamException(
          ErrorCode.INVALID_CONFIG,
          "cluster.server_id: expected 1 to 100 letters, digits, '.', '_' or '-'");
    }
    if (lease == null || lease.toMillis() < 300) {
      throw new RehoboamException(
          ErrorCode.INVALID_CONFIG, "cluster.lease: expected at least 300ms");
    }
    for (String tag : tags) {
      if (!tag.matches("[A-Za-z0-9_.-]{1,100}")) {
        throw new RehoboamException(
            ErrorCode.INVALID_CONFIG, "cluster.tags: '" + tag + "' is not a valid tag");
      }
    }
    ClusterMember m = new ClusterMember(url, properties, serverId, tags, lease, clock);
    try {
      m.connect();
    } catch (SQLException e) {
      throw new RehoboamException(
          ErrorCode.INVALID_CONFIG, "cluster: cannot reach the database: " + e.getMessage(), e);
    }
    return m;
  }

  @Override
  public String serverId() {
    return serverId;
  }

  /** This server's tags. */
  public Set<String> tags() {
    return tags;
  }

  /** How long a lease lasts without renewal. */
  public Duration lease() {
    return Duration.ofMillis(leaseMillis);
  }

  /** Sets who is told of gained and lost bots. */
  public void listener(Listener listener) {
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  @Override
  public OptionalLong tokenFor(String botId) {
    Held h = held.get(botId);
    if (h == null || clock.millis() >= h.validUntil()) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(h.token());
  }

  /** The bots this server holds a valid lease on, with their tokens. */
  public Map<String, Long> owned() {
    long now = clock.millis();
    Map<String, Long> out = new TreeMap<>();
    held.forEach(
        (bot, h) -> {
          if (now < h.validUntil()) {
            out.put(bot, h.token());
          }
        });
    return out;
  }

  /** When the last heartbeat succeeded (epoch ms by the injected clock), 0 before the first. */
  public long lastBeat() {
    return lastBeat;
  }

  /** The live servers as the last heartbeat saw them (this one included once it beat). */
  public List<Member> lastMembers() {
    return lastMembers;
  }

  /** Every bot's lease as the last heartbeat read it (before its own changes). */
  public List<Lease> lastLeases() {
    return lastLeases;
  }

  /** Why the last heartbeat failed, or null when it succeeded. */
  public String lastError() {
    return lastError;
  }

  // ------------------------------------------------------------------ the bots of the cluster

  /**
   * Declares bots of the cluster and where each may run (a lease row each; a known bot keeps its
   * owner and token, its placement is updated). A bot placed {@code everywhere} has no lease.
   */
  public synchronized void bots(Map<String, Placement> bots) {
    run(
        "declare bots",
        c -> {
          try (PreparedStatement st =
              c.prepareStatement(
                  "INSERT INTO cluster_lease (bot_id, placement) VALUES (?, ?)"
                      + " ON CONFLICT (bot_id) DO UPDATE SET placement = EXCLUDED.placement")) {
            for (Map.Entry<String, Placement> e : bots.entrySet()) {
              if (e.getValue().everywhere()) {
                continue;
              }
              st.setString(1, e.getKey());
              st.setString(2, e.getValue().toString());
              st.addBatch();
            }
            st.executeBatch();
          }
        });
  }

  /** Removes a bot from the cluster (unregistered); its executions stay in the journal. */
  public synchronized void forget(String botId) {
    run(
        "forget bot " + botId,
        c -> {
          try (PreparedStatement st =
              c.prepareStatement("DELETE FROM cluster_lease WHERE bot_id = ?")) {
            st.setString(1, botId);
            st.executeUpdate();
          }
        });
    held.remove(botId);
  }

  /** Every bot's lease, by bot id. */
  public synchronized List<Lease> leases() {
    List<Lease> out = new ArrayList<>();
    run("read the leases", c -> out.addAll(readLeases(c)));
    return out;
  }

  /** The servers whose membership has not run out (by this server's clock). */
  public synchronized List<Member> members() {
    List<Member> out = new ArrayList<>();
    run("read the members", c -> out.addAll(readMembers(c, clock.millis())));
    return out;
  }

  // ------------------------------------------------------------------ heartbeat

  /**
   * One heartbeat: renew this server's row and leases, give back what another live server should
   * run, take what this one should run and is free or ran out.
   *
   * @throws RehoboamException INTERNAL when the database cannot be reached (the leases then run out
   *     locally, see {@link #expire()})
   */
  public synchronized void tick() {
    if (closed) {
      return;
    }
    long start = clock.millis();
    long expires = start + leaseMillis;
    long validUntil = expires - marginMillis;
    List<String> taken = new ArrayList<>();
    try {
      Connection c = connection();
      try (PreparedStatement st =
          c.prepareStatement(
              "INSERT INTO cluster_server (server_id, tags, started_at, expires_at)"
                  + " VALUES (?, ?, ?, ?) ON CONFLICT (server_id) DO UPDATE"
                  + " SET tags = EXCLUDED.tags, expires_at = EXCLUDED.expires_at")) {
        st.setString(1, serverId);
        st.setString(2, String.join(",", tags));
        st.setLong(3, start);
        st.setLong(4, expires);
        st.executeUpdate();
      }
      try (PreparedStatement st =
          c.prepareStatement(
              "UPDATE cluster_lease SET expires_at = ? WHERE bot_id = ? AND owner = ?"
                  + " AND token = ?")) {
        for (Map.Entry<String, Held> e : held.entrySet()) {
          st.setLong(1, expires);
          st.setString(2, e.getKey());
          st.setString(3, serverId);
          st.setLong(4, e.getValue().token());
          if (st.executeUpdate() == 1) {
            held.put(e.getKey(), new Held(e.getValue().token(), validUntil));
          } else {
            taken.add(e.getKey());
          }
        }
      }
      c.commit();
      lastBeat = start;
      lastError = null;
    } catch (SQLException | RuntimeException e) {
      fail(e);
      throw new RehoboamException(
          ErrorCode.INTERNAL, "cluster heartbeat of " + serverId + " failed: " + e.getMessage(), e);
    }
    for (String bot : taken) {
      if (held.remove(bot) != null) {
        listener.lost(bot, "its lease was taken by another server");
      }
    }
    balance(start, expires, validUntil);
    listener.beat(owned());
  }

  /**
   * Records the state each bot this server owns is in, for the servers that show it without running
   * it (only rows this server still owns are written).
   */
  public synchronized void reportStatus(Map<String, String> statuses) {
    long now = clock.millis();
    run(
        "report bot states",
        c -> {
          try (PreparedStatement st =
              c.prepareStatement(
                  "UPDATE cluster_lease SET status = ?, status_at = ? WHERE bot_id = ?"
                      + " AND owner = ?")) {
            for (Map.Entry<String, String> e : statuses.entrySet()) {
              st.setString(1, e.getValue());
              st.setLong(2, now);
              st.setString(3, e.getKey());
              st.setString(4, serverId);
              st.addBatch();
            }
            st.executeBatch();
          }
        });
  }

  private void balance(long start, long expires, long validUntil) {
    List<String> release = new ArrayList<>();
    List<String> take = new ArrayList<>();
    try {
      Connection c = connection();
      List<Member> members = readMembers(c, start);
      List<Lease> leases = readLeases(c);
      c.commit();
      lastMembers = List.copyOf(members);
      lastLeases = List.copyOf(leases);
      Map<String, String> want = Assignment.of(members, leases);
      for (Lease l : leases) {
        String target = want.get(l.botId());
        boolean mine = held.containsKey(l.botId());
        if (mine && !serverId.equals(target)) {
          release.add(l.botId());
        } else if (!mine
            && serverId.equals(target)
            && (l.owner() == null || l.expiresAt() <= start)) {
          take.add(l.botId());
        }
      }
      for (String bot : release) {
        Held h = held.remove(bot);
        if (h == null) {
          continue;
        }
        // Stop executing first, then let the lease go.
        listener.lost(bot, "rebalanced to another server");
        try (PreparedStatement st =
            c.prepareStatement(
                "UPDATE cluster_lease SET owner = NULL, expires_at = 0 WHERE bot_id = ?"
                    + " AND owner = ? AND token = ?")) {
          st.setString(1, bot);
          st.setString(2, serverId);
          st.setLong(3, h.token());
          st.executeUpdate();
        }
        notify(c, "released", bot, h.token());
        c.commit();
      }
      for (String bot : take) {
        long token;
        try (PreparedStatement st =
            c.prepareStatement(
                "UPDATE cluster_lease SET owner = ?, token = token + 1, expires_at = ?"
                    + " WHERE bot_id = ? AND (owner IS NULL OR expires_at <= ?) RETURNING token")) {
          st.setString(1, serverId);
          st.setLong(2, expires);
          st.setString(3, bot);
          st.setLong(4, start);
          try (ResultSet rs = st.executeQuery()) {
            if (!rs.next()) {
              c.commit();
              continue; // another server was faster
            }
            token = rs.getLong(1);
          }
        }
        notify(c, "acquired", bot, token);
        c.commit();
        held.put(bot, new Held(token, validUntil));
        log.info("Server {} owns bot {} (fencing token {})", serverId, bot, token);
        listener.acquired(bot, token);
      }
    } catch (SQLException | RuntimeException e) {
      fail(e);
      throw new RehoboamException(
          ErrorCode.INTERNAL, "cluster balance of " + serverId + " failed: " + e.getMessage(), e);
    }
  }

  /**
   * Gives up every lease whose local validity ended (its last renewal started a lease time, less
   * the margin, ago): the heartbeat could not renew it, and another server may soon take it.
   * Returns the bots given up.
   */
  public List<String> expire() {
    long now = clock.millis();
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, Held> e : held.entrySet()) {
      if (now >= e.getValue().validUntil() && held.remove(e.getKey(), e.getValue())) {
        out.add(e.getKey());
        log.warn(
            "Server {} gives up bot {}: its lease was not renewed in time ({})",
            serverId,
            e.getKey(),
            lastError == null ? "no heartbeat" : lastError);
        listener.lost(e.getKey(), "its lease was not renewed in time (database unreachable?)");
      }
    }
    return out;
  }

  /**
   * Runs the heartbeat every third of the lease and the local expiry check every twentieth, on a
   * thread of its own, until {@link #close()}.
   */
  public synchronized void start() {
    if (scheduler != null) {
      return;
    }
    scheduler =
        Executors.newScheduledThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "cluster-" + serverId);
              t.setDaemon(true);
              return t;
            });
    long beat = Math.max(leaseMillis / 3, 50);
    long watch = Math.max(leaseMillis / 20, 20);
    scheduler.scheduleWithFixedDelay(this::safeTick, 0, beat, TimeUnit.MILLISECONDS);
    scheduler.scheduleWithFixedDelay(this::safeExpire, watch, watch, TimeUnit.MILLISECONDS);
  }

  private void safeTick() {
    try {
      tick();
    } catch (RuntimeException e) {
      log.warn("{}", e.getMessage());
    }
  }

  private void safeExpire() {
    try {
      expire();
    } catch (RuntimeException e) {
      log.warn("Cluster expiry check of {} failed: {}", serverId, e.toString());
    }
  }

  /**
   * Leaves the cluster: stops the heartbeat, gives every lease back (so another server takes the
   * bots at once instead of after the lease time) and removes this server's row.
   */
  @Override
  public void close() {
    ScheduledExecutorService s;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      s = scheduler;
    }
    if (s != null) {
      s.shutdownNow();
    }
    synchronized (this) {
      try {
        Connection c = connection();
        try (PreparedStatement st =
            c.prepareStatement(
                "UPDATE cluster_lease SET owner = NULL, expires_at = 0 WHERE owner = ?")) {
          st.setString(1, serverId);
          st.executeUpdate();
        }
        try (PreparedStatement st =
            c.prepareStatement("DELETE FROM cluster_server WHERE server_id = ?")) {
          st.setString(1, serverId);
          st.executeUpdate();
        }
        notify(c, "left", null, 0);
        c.commit();
      } catch (SQLException | RuntimeException e) {
        log.warn("Server {} left the cluster without giving its leases back: {}", serverId, e);
      } finally {
        held.clear();
        closeConnection();
      }
    }
  }

  // ------------------------------------------------------------------ helpers

  @FunctionalInterface
  private interface Work {
    void run(Connection c) throws SQLException;
  }

  private void run(String what, Work work) {
    try {
      Connection c = connection();
      work.run(c);
      c.commit();
    } catch (SQLException | RuntimeException e) {
      fail(e);
      throw new RehoboamException(
          ErrorCode.INTERNAL, "cluster: cannot " + what + ": " + e.getMessage(), e);
    }
  }

  private void fail(Exception e) {
    lastError = e.getMessage();
    closeConnection();
  }

  private void connect() throws SQLException {
    Connection c = DriverManager.getConnection(url, properties);
    c.setAutoCommit(false);
    c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
    connection = c;
  }

  private Connection connection() throws SQLException {
    if (closed && connection == null) {
      throw new SQLException("left the cluster");
    }
    if (connection == null) {
      connect();
    }
    return connection;
  }

  private void closeConnection() {
    Connection c = connection;
    connection = null;
    if (c != null) {
      try {
        c.rollback();
      } catch (SQLException ignored) {
        // closing anyway
      }
      try {
        c.close();
      } catch (SQLException ignored) {
        // nothing more to do
      }
    }
  }

  /** Tells every server of a change, when the transaction commits ({@link ClusterEvents}). */
  private void notify(Connection c, String change, String botId, long token) throws SQLException {
    com.fasterxml.jackson.databind.node.ObjectNode n =
        com.fasterxml.jackson.databind.json.JsonMapper.builder().build().createObjectNode();
    n.put("change", change);
    n.put("server_id", serverId);
    if (botId != null) {
      n.put("bot_id", botId);
      n.put("token", token);
    }
    n.put("at", java.time.Instant.ofEpochMilli(clock.millis()).toString());
    try (PreparedStatement st = c.prepareStatement("SELECT pg_notify(?, ?)")) {
      st.setString(1, ClusterEvents.CHANNEL);
      st.setString(2, n.toString());
      st.execute();
    }
  }

  private static List<Lease> readLeases(Connection c) throws SQLException {
    List<Lease> out = new ArrayList<>();
    try (PreparedStatement st =
            c.prepareStatement(
                "SELECT bot_id, placement, owner, token, expires_at, desired_state, status"
                    + " FROM cluster_lease ORDER BY bot_id");
        ResultSet rs = st.executeQuery()) {
      while (rs.next()) {
        out.add(
            new Lease(
                rs.getString(1),
                Placement.parse(rs.getString(2)),
                rs.getString(3),
                rs.getLong(4),
                rs.getLong(5),
                rs.getString(6),
                rs.getString(7)));
      }
    }
    return out;
  }

  private static List<Member> readMembers(Connection c, long now) throws SQLException {
    List<Member> out = new ArrayList<>();
    try (PreparedStatement st =
        c.prepareStatement(
            "SELECT server_id, tags, expires_at FROM cluster_server WHERE expires_at > ?"
                + " ORDER BY server_id")) {
      st.setLong(1, now);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          String tags = rs.getString(2);
          out.add(
              new Member(
                  rs.getString(1),
                  tags == null || tags.isEmpty()
                      ? Set.of()
                      : new LinkedHashSet<>(Arrays.asList(tags.split(","))),
                  rs.getLong(3)));
        }
      }
    }
    return out;
  }
}
