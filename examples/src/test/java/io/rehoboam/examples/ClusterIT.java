package io.rehoboam.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.testsupport.PostgresServer;
import io.rehoboam.testsupport.TcpProxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Server processes (the packaged jar) on one real PostgreSQL, configured with the README's "Running
 * several servers" example (sim market, paper execution, 5 s leases): a killed owner's bots move
 * within the lease time and no opportunity is executed twice; a paused owner that resumes writes
 * nothing for the bots it lost; a server cut from the database stops its bots before another server
 * takes them.
 */
class ClusterIT {
  private static final Duration LEASE = Duration.ofSeconds(5);
  private static PostgresServer pg;

  @TempDir Path dir;
  private String database;
  private Path config;
  private final List<ServerProcess> servers = new ArrayList<>();
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @BeforeAll
  static void postgres() {
    pg = PostgresServer.start();
  }

  @AfterAll
  static void stopPostgres() {
    pg.close();
  }

  @BeforeEach
  void setUp() throws Exception {
    database = pg.createDatabase("cluster_it");
    String readme = Files.readString(Path.of("").toAbsolutePath().getParent().resolve("README.md"));
    int section = readme.indexOf("### Running several servers");
    assertTrue(section >= 0, "the README has a Running several servers section");
    Matcher m = Pattern.compile("(?ms)^```yaml\\n(.*?)^```").matcher(readme);
    assertTrue(m.find(section), "with a yaml block");
    config = dir.resolve("cluster.yaml");
    Files.writeString(config, m.group(1));
  }

  @AfterEach
  void tearDown() throws Exception {
    for (ServerProcess s : servers) {
      if (s.process().isAlive()) {
        s.process().destroyForcibly(); // a paused one cannot stop gracefully
        s.process().waitFor(30, TimeUnit.SECONDS);
      }
    }
    for (AutoCloseable c : closeables) {
      c.close();
    }
  }

  private ServerProcess start(String id, int port) throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("REHOBOAM_DB_URL", "jdbc:postgresql://127.0.0.1:" + port + "/" + database);
    env.put("REHOBOAM_DB_USER", PostgresServer.USER);
    env.put("REHOBOAM_DB_PASSWORD", "");
    env.put("REHOBOAM_SERVER_ID", id);
    ServerProcess s =
        ServerProcess.start(
            List.of("-Xmx256m", "-XX:TieredStopAtLevel=1"),
            List.of(
                "--config", config.toString(), "--data-dir", dir.resolve("data-" + id).toString()),
            env);
    servers.add(s);
    return s;
  }

  private List<List<String>> query(String sql, Object... args) throws Exception {
    List<List<String>> rows = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(pg.jdbcUrl(database), pg.properties());
        PreparedStatement st = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        st.setObject(i + 1, args[i]);
      }
      try (ResultSet rs = st.executeQuery()) {
        int n = rs.getMetaData().getColumnCount();
        while (rs.next()) {
          List<String> row = new ArrayList<>();
          for (int i = 1; i <= n; i++) {
            row.add(rs.getString(i));
          }
          rows.add(row);
        }
      }
    }
    return rows;
  }

  private String one(String sql, Object... args) throws Exception {
    List<List<String>> rows = query(sql, args);
    return rows.isEmpty() ? null : rows.get(0).get(0);
  }

  private interface Check {
    boolean ok() throws Exception;
  }

  private static void await(String what, Duration timeout, Check check) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!check.ok()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out (" + timeout + ") waiting for " + what);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
    }
  }

  private String owner(String bot) throws Exception {
    return one("SELECT owner FROM cluster_lease WHERE bot_id = ?", bot);
  }

  private long token(String bot) throws Exception {
    return Long.parseLong(one("SELECT token FROM cluster_lease WHERE bot_id = ?", bot));
  }

  private long executions() throws Exception {
    return Long.parseLong(one("SELECT COUNT(*) FROM journal_execution"));
  }

  private void awaitRunningEverywhere() throws Exception {
    await(
        "every executor owned and running",
        Duration.ofMinutes(3),
        () ->
            query(
                        "SELECT bot_id FROM cluster_lease WHERE owner IS NOT NULL"
                            + " AND status = 'RUNNING'")
                    .size()
                == 3);
  }

  @Test
  void aKilledOwnersBotsMoveWithinTheLeaseTimeAndNoOpportunityIsExecutedTwice() throws Exception {
    Map<String, ServerProcess> byId = new HashMap<>();
    for (String id : List.of("a", "b", "c")) {
      byId.put(id, start(id, pg.port()));
    }
    awaitRunningEverywhere();
    Map<String, Messages> seen = new HashMap<>();
    for (Map.Entry<String, ServerProcess> e : byId.entrySet()) {
      seen.put(e.getKey(), Messages.connect(e.getValue(), "executions,system"));
    }
    await("executions journalled", Duration.ofMinutes(2), () -> executions() >= 5);

    String victim = owner("executor_1");
    long before = token("executor_1");
    long executionsBefore = executions();
    long killed = System.nanoTime();
    byId.get(victim).killHard();
    await(
        "executor_1 running on another server",
        LEASE.multipliedBy(3),
        () -> {
          List<List<String>> r =
              query("SELECT owner, status, token FROM cluster_lease WHERE bot_id = 'executor_1'");
          return !victim.equals(r.get(0).get(0))
              && r.get(0).get(0) != null
              && "RUNNING".equals(r.get(0).get(1));
        });
    Duration failover = Duration.ofNanos(System.nanoTime() - killed);
    System.out.println(
        "FAILOVER kill -9 to executor_1 running elsewhere: " + failover.toMillis() + " ms");
    // The lease ends at most LEASE after the victim's last renewal (before the kill); the taker
    // looks every third of it, and then reports the bot's state at its next heartbeat.
    assertTrue(
        failover.compareTo(LEASE.plus(LEASE.dividedBy(3).multipliedBy(2)).plusSeconds(2)) < 0,
        "failover took " + failover);
    assertTrue(token("executor_1") > before, "a new fencing token");
    // Every surviving server shows the membership and its share in /health, and is ready: the
    // bots that run elsewhere are not its problem. Between them they own the three executors.
    List<ServerProcess> survivors = new ArrayList<>();
    byId.forEach(
        (id, s) -> {
          if (!id.equals(victim)) {
            survivors.add(s);
          }
        });
    await(
        "the survivors ready, seeing two members and owning the three executors",
        LEASE.multipliedBy(3),
        () -> {
          int owned = 0;
          for (ServerProcess s : survivors) {
            var health = s.get("/health");
            var cluster = s.json(health).path("cluster");
            if (health.statusCode() != 200 || cluster.path("members").size() != 2) {
              return false;
            }
            owned += cluster.path("owned").size();
          }
          return owned == 3;
        });
    for (Map.Entry<String, ServerProcess> e : byId.entrySet()) {
      if (!e.getKey().equals(victim)) {
        assertEquals(
            e.getKey(),
            e.getValue()
                .json(e.getValue().get("/health"))
                .path("cluster")
                .path("server_id")
                .asText());
      }
    }
    await(
        "executions go on after the failover",
        Duration.ofMinutes(2),
        () -> executions() >= executionsBefore + 5);

    assertEquals(
        List.of(),
        query(
            "SELECT opportunity_id FROM journal_execution GROUP BY opportunity_id"
                + " HAVING COUNT(*) > 1"),
        "every opportunity id executed at most once");

    // No execution lost: every execution a server told its WebSocket clients about (past the risk
    // policy) is in the journal, the finished ones with the status told (the killed server's too,
    // up to its death).
    int told = 0;
    for (Map.Entry<String, Messages> e : seen.entrySet()) {
      for (var m : e.getValue().all()) {
        if (!m.path("type").asText().equals("execution")) {
          continue;
        }
        var execution = m.path("execution");
        String id = execution.path("execution_id").asText(execution.path("id").asText());
        String status = execution.path("status").asText().toUpperCase(java.util.Locale.ROOT);
        if (status.equals("REJECTED")) {
          continue; // refused before anything is written ahead (risk policy): never journalled
        }
        told++;
        await(
            "execution " + id + " (" + status + ", told by " + e.getKey() + ") in the journal",
            Duration.ofSeconds(15),
            () -> {
              String journalled =
                  one("SELECT status FROM journal_execution WHERE execution_id = ?", id);
              return journalled != null
                  && (status.equals("SUBMITTED") || status.equals(journalled));
            });
      }
    }
    assertTrue(told >= 5, "execution events seen: " + told);
    // The lease moves reached the survivors' WebSocket clients through LISTEN/NOTIFY.
    for (String id : byId.keySet()) {
      if (id.equals(victim)) {
        continue;
      }
      assertTrue(
          seen.get(id).all().stream()
              .anyMatch(
                  m ->
                      m.path("type").asText().equals("system")
                          && m.path("kind").asText().equals("cluster")
                          && m.path("message").asText().contains("\"acquired\"")
                          && m.path("message").asText().contains("executor_1")),
          "server " + id + " heard executor_1 taken");
    }
    // Every execution begun under a lease names its owner and token; none by the killed server
    // after the lease moved.
    assertEquals(
        List.of(),
        query(
            "SELECT execution_id FROM journal_execution WHERE bot_id = 'executor_1'"
                + " AND server_id = ? AND fencing_token > ?",
            victim,
            before));
    // Nothing the surviving servers finished is missing its result: only the killed server's
    // executions may be left in flight.
    assertEquals(
        List.of(),
        query(
            "SELECT execution_id, server_id FROM journal_execution WHERE status = 'SUBMITTED'"
                + " AND server_id <> ? AND started_at < ?",
            victim,
            java.time.Instant.now().minusSeconds(10).toString()));
  }

  @Test
  void aPausedOwnerThatResumesWritesNothingForTheBotsItLost() throws Exception {
    ServerProcess a = start("a", pg.port());
    ServerProcess b = start("b", pg.port());
    await(
        "executors owned and running",
        Duration.ofMinutes(3),
        () ->
            query("SELECT bot_id FROM cluster_lease WHERE status = 'RUNNING'").size() == 3
                && query("SELECT DISTINCT owner FROM cluster_lease").size() == 2);
    String pausedId = owner("executor_1");
    ServerProcess paused = pausedId.equals("a") ? a : b;
    long before = token("executor_1");
    signal(paused, "STOP");
    await(
        "executor_1 taken from the paused server",
        LEASE.multipliedBy(3),
        () -> !pausedId.equals(owner("executor_1")) && owner("executor_1") != null);
    long takenAt = Long.parseLong(one("SELECT last_value FROM journal_seq"));
    signal(paused, "CONT");
    // The resumed server sees at once that its lease ran out by its own clock (or, at its next
    // heartbeat, that the lease moved), and stops the bot.
    paused.awaitLog(
        Pattern.compile("Bot executor_1 leaves server " + pausedId), LEASE.multipliedBy(4));
    long taken = token("executor_1");
    assertTrue(taken > before);
    assertEquals(
        List.of(),
        query(
            "SELECT execution_id FROM journal_execution WHERE bot_id = 'executor_1'"
                + " AND server_id = ? AND seq > ?",
            pausedId,
            takenAt),
        "the stale owner wrote no execution of the bot after losing it");
  }

  @Test
  void aServerCutFromTheDatabaseStopsItsBotsBeforeAnotherServerTakesThem() throws Exception {
    TcpProxy proxy = TcpProxy.start("127.0.0.1", pg.port());
    closeables.add(proxy);
    ServerProcess cut = start("a", proxy.port());
    await(
        "a owns the executors",
        Duration.ofMinutes(3),
        () ->
            query("SELECT bot_id FROM cluster_lease WHERE owner = 'a' AND status = 'RUNNING'")
                    .size()
                == 3);
    start("b", pg.port());
    await(
        "b owns a share",
        Duration.ofMinutes(2),
        () -> query("SELECT bot_id FROM cluster_lease WHERE owner = 'b'").size() >= 1);
    List<String> held =
        query("SELECT bot_id FROM cluster_lease WHERE owner = 'a'").stream()
            .map(r -> r.get(0))
            .toList();
    assertTrue(!held.isEmpty(), "a still owns a bot");
    String bot = held.get(0);
    long before = token(bot);

    proxy.cut();
    cut.awaitLog(Pattern.compile("gives up bot " + bot), LEASE.multipliedBy(2));
    String ownerWhenStopped = owner(bot);
    assertEquals(
        "a", ownerWhenStopped, "a stopped before its lease ended: no one has taken it yet");
    await("b takes the bot", LEASE.multipliedBy(3), () -> "b".equals(owner(bot)));
    assertTrue(token(bot) > before);
    assertNotEquals("a", owner(bot), "the cut server is no longer the owner");
  }

  /** A WebSocket client keeping every message of a server. */
  private static final class Messages implements java.net.http.WebSocket.Listener {
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
        new com.fasterxml.jackson.databind.ObjectMapper();
    private final List<com.fasterxml.jackson.databind.JsonNode> messages =
        new java.util.concurrent.CopyOnWriteArrayList<>();
    private final StringBuilder partial = new StringBuilder();

    static Messages connect(ServerProcess server, String topics) {
      Messages m = new Messages();
      java.net.URI ws =
          java.net.URI.create(
              server.base().toString().replace("http://", "ws://")
                  + "/ws/arbitrage?topics="
                  + topics);
      java.net.http.HttpClient.newHttpClient()
          .newWebSocketBuilder()
          .buildAsync(ws, m)
          .orTimeout(30, TimeUnit.SECONDS)
          .join();
      return m;
    }

    List<com.fasterxml.jackson.databind.JsonNode> all() {
      return messages;
    }

    @Override
    public java.util.concurrent.CompletionStage<?> onText(
        java.net.http.WebSocket socket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        try {
          messages.add(JSON.readTree(partial.toString()));
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
        partial.setLength(0);
      }
      socket.request(1);
      return null;
    }
  }

  private static void signal(ServerProcess s, String signal) throws Exception {
    Process kill =
        new ProcessBuilder("kill", "-" + signal, Long.toString(s.process().pid()))
            .redirectErrorStream(true)
            .start();
    assertTrue(kill.waitFor(10, TimeUnit.SECONDS));
    assertEquals(0, kill.exitValue(), "kill -" + signal);
  }
}
