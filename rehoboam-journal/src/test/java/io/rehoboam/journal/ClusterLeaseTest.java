package io.rehoboam.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.core.journal.ExecutionAttempt;
import io.rehoboam.journal.cluster.ClusterMember;
import io.rehoboam.journal.cluster.Lease;
import io.rehoboam.journal.cluster.Placement;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.testsupport.PostgresServer;
import io.rehoboam.testsupport.TcpProxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Leases, fencing and placement of a cluster on a real PostgreSQL, time moved by hand. */
@ExtendWith(PostgresExtension.class)
class ClusterLeaseTest {
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  private static final Duration LEASE = Duration.ofSeconds(4);
  private static final Duration MARGIN = LEASE.dividedBy(5);

  private PostgresServer pg;
  private String url;
  private final List<AutoCloseable> open = new ArrayList<>();

  /** What a member's listener was told, in order. */
  private static final class Seen implements ClusterMember.Listener {
    final List<String> events = new CopyOnWriteArrayList<>();

    @Override
    public void acquired(String botId, long token) {
      events.add("+" + botId + "@" + token);
    }

    @Override
    public void lost(String botId, String why) {
      events.add("-" + botId);
    }
  }

  @BeforeEach
  void database(PostgresServer pg) {
    this.pg = pg;
    this.url = pg.jdbcUrl(pg.createDatabase("cluster"));
    journal(new ManualClock(T0)); // migrates the schema
  }

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  private JdbcJournal journal(ManualClock clock) {
    JdbcJournal j = JdbcJournal.open(url, pg.properties(), clock);
    open.add(j);
    return j;
  }

  private ClusterMember member(String id, Set<String> tags, ManualClock clock, Seen seen) {
    return member(id, tags, clock, seen, url, pg.properties());
  }

  private ClusterMember member(
      String id, Set<String> tags, ManualClock clock, Seen seen, String at, Properties p) {
    ClusterMember m = ClusterMember.join(at, p, id, tags, LEASE, clock);
    m.listener(seen);
    open.add(0, m);
    return m;
  }

  private static Map<String, Placement> anywhere(String... bots) {
    Map<String, Placement> out = new TreeMap<>();
    for (String b : bots) {
      out.put(b, Placement.ANY);
    }
    return out;
  }

  private static ExecutionAttempt attempt(String id, String opportunityId, String bot) {
    return JournalContractTest.attempt(id, opportunityId, null, bot);
  }

  @Test
  void botsSpreadOverTheServersAndMoveWithinTheLeaseTimeWhenOneStopsRenewing() {
    ManualClock clock = new ManualClock(T0);
    Seen seenA = new Seen();
    Seen seenB = new Seen();
    ClusterMember a = member("a", Set.of(), clock, seenA);
    ClusterMember b = member("b", Set.of(), clock, seenB);
    a.bots(anywhere("bot-1", "bot-2", "bot-3", "bot-4"));

    a.tick(); // alone: takes every bot
    assertEquals(Map.of("bot-1", 1L, "bot-2", 1L, "bot-3", 1L, "bot-4", 1L), a.owned());
    b.tick(); // joins: its share is still held by a
    assertEquals(Map.of(), b.owned());
    a.tick(); // a gives b's share back ...
    b.tick(); // ... and b takes it: rebalanced on join
    assertEquals(Map.of("bot-1", 1L, "bot-3", 1L), a.owned());
    assertEquals(Map.of("bot-2", 2L, "bot-4", 2L), b.owned());
    assertEquals(
        List.of("+bot-1@1", "+bot-2@1", "+bot-3@1", "+bot-4@1", "-bot-2", "-bot-4"), seenA.events);

    // a stops renewing (killed). Before its lease ends it has stopped by itself (it knows the
    // expiry), and b cannot take its bots yet.
    clock.advance(LEASE.minus(MARGIN));
    b.tick();
    assertEquals(List.of("bot-1", "bot-3"), a.expire());
    assertEquals(Map.of(), a.owned());
    assertEquals(Map.of("bot-2", 2L, "bot-4", 2L), b.owned(), "a's leases still run");
    // At the lease's end b takes them, each under a new fencing token.
    clock.advance(MARGIN);
    b.tick();
    assertEquals(Map.of("bot-1", 2L, "bot-2", 2L, "bot-3", 2L, "bot-4", 2L), b.owned());
  }

  @Test
  void aPausedOwnerThatResumesCannotWriteAnExecution() {
    ManualClock clockA = new ManualClock(T0);
    ManualClock clockB = new ManualClock(T0);
    ClusterMember a = member("a", Set.of(), clockA, new Seen());
    a.bots(Map.of("bot-x", Placement.ANY));
    a.tick();
    assertEquals(Map.of("bot-x", 1L), a.owned());
    JdbcJournal journalA = journal(clockA);
    journalA.fencedBy(a);
    journalA.begin(attempt("ex-1", "op-1", "bot-x"));

    // a is paused (SIGSTOP): its clock does not move, it renews nothing. b joins after the lease.
    clockB.advance(LEASE.plusMillis(1));
    ClusterMember b = member("b", Set.of(), clockB, new Seen());
    b.tick();
    assertEquals(Map.of("bot-x", 2L), b.owned());

    // a resumes (SIGCONT) believing it still holds token 1: the database refuses its write.
    assertEquals(1L, a.tokenFor("bot-x").orElseThrow(), "a's own view is stale");
    RehoboamException stale =
        assertThrows(
            RehoboamException.class, () -> journalA.begin(attempt("ex-2", "op-2", "bot-x")));
    assertEquals(ErrorCode.CONFLICT, stale.code());
    assertTrue(stale.getMessage().contains("stale fencing token"), stale.getMessage());
    assertTrue(stale.getMessage().contains("held by b"), stale.getMessage());
    RehoboamException signing =
        assertThrows(
            RehoboamException.class,
            () -> journalA.transactionSigned("ex-1", java.math.BigInteger.ONE, "0x01"));
    assertEquals(ErrorCode.CONFLICT, signing.code());

    JdbcJournal journalB = journal(clockB);
    journalB.fencedBy(b);
    journalB.begin(attempt("ex-3", "op-2", "bot-x"));
    assertEquals(
        List.of("ex-1", "ex-3"),
        journalB.load().executions().stream().map(e -> e.attempt().executionId()).toList(),
        "a's refused write left nothing");
    // a's next heartbeat learns it lost the bot.
    clockA.advance(Duration.ofMillis(1));
    a.tick();
    assertEquals(Map.of(), a.owned());
  }

  @Test
  void anExecutionInFlightOnAnotherLiveServerIsLeftToItByRecovery() {
    ManualClock clock = new ManualClock(T0);
    ClusterMember a = member("a", Set.of(), clock, new Seen());
    a.bots(Map.of("bot-x", Placement.ANY));
    a.tick();
    JdbcJournal journalA = journal(clock);
    journalA.fencedBy(a);
    journalA.begin(attempt("ex-1", "op-1", "bot-x"));
    ClusterMember b = member("b", Set.of(), clock, new Seen());
    JdbcJournal journalB = journal(clock);
    journalB.fencedBy(b);
    assertEquals(List.of(), journalB.load().executions(), "a is alive: its execution is its own");
    clock.advance(LEASE.plusMillis(1)); // a is gone
    assertEquals(
        List.of("ex-1"),
        journalB.load().executions().stream().map(e -> e.attempt().executionId()).toList(),
        "a is gone: recovery settles what it left in flight");
  }

  @Test
  void aServerWithoutALeaseOnTheBotIsRefused() {
    ManualClock clock = new ManualClock(T0);
    ClusterMember a = member("a", Set.of(), clock, new Seen());
    a.bots(Map.of("bot-x", Placement.parse("server: b")));
    a.tick();
    JdbcJournal journal = journal(clock);
    journal.fencedBy(a);
    RehoboamException e =
        assertThrows(
            RehoboamException.class, () -> journal.begin(attempt("ex-1", "op-1", "bot-x")));
    assertEquals(ErrorCode.CONFLICT, e.code());
    assertTrue(e.getMessage().contains("no valid lease"), e.getMessage());
    assertEquals(0, journal.load().executions().size());
  }

  @Test
  void anOpportunityIsExecutedAtMostOnceAcrossServers() throws Exception {
    ManualClock clock = new ManualClock(T0);
    List<JdbcJournal> servers = List.of(journal(clock), journal(clock), journal(clock));
    ExecutorService pool = Executors.newFixedThreadPool(servers.size());
    try {
      for (int round = 0; round < 20; round++) {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Boolean>> tries = new ArrayList<>();
        for (int i = 0; i < servers.size(); i++) {
          JdbcJournal j = servers.get(i);
          String id = "ex-" + round + "-" + i;
          String opportunity = "op-" + round;
          tries.add(
              pool.submit(
                  () -> {
                    assertTrue(go.await(10, TimeUnit.SECONDS));
                    try {
                      j.begin(attempt(id, opportunity, null));
                      return true;
                    } catch (RehoboamException e) {
                      assertEquals(ErrorCode.ALREADY_EXECUTED, e.code(), e.getMessage());
                      return false;
                    }
                  }));
        }
        go.countDown();
        int won = 0;
        for (Future<Boolean> f : tries) {
          won += f.get(30, TimeUnit.SECONDS) ? 1 : 0;
        }
        assertEquals(1, won, "round " + round + ": exactly one server executes the opportunity");
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(20, servers.get(0).load().executions().size());
  }

  @Test
  void placementNamesAServerOrATag() {
    ManualClock clock = new ManualClock(T0);
    ClusterMember a = member("a", Set.of("fast"), clock, new Seen());
    ClusterMember b = member("b", Set.of(), clock, new Seen());
    Map<String, Placement> bots = new TreeMap<>();
    bots.put("on-b", Placement.parse("server: b"));
    bots.put("on-fast", Placement.parse("tag: fast"));
    bots.put("on-gpu", Placement.parse("tag: gpu"));
    bots.put("anywhere", Placement.parse("any"));
    a.bots(bots);
    a.tick();
    b.tick();
    a.tick();
    b.tick();
    assertEquals(
        Set.of("on-fast"),
        a.owned().keySet().stream()
            .filter(k -> !k.equals("anywhere"))
            .collect(java.util.stream.Collectors.toSet()));
    assertTrue(b.owned().containsKey("on-b"));
    assertEquals(1, a.owned().size() + b.owned().size() - 2, "'anywhere' runs on exactly one");
    Lease gpu =
        a.leases().stream().filter(l -> l.botId().equals("on-gpu")).findFirst().orElseThrow();
    assertEquals(null, gpu.owner(), "no server carries the tag: the bot runs nowhere");
    assertEquals("tag: gpu", gpu.placement().toString());
    RehoboamException bad = assertThrows(RehoboamException.class, () -> Placement.parse("rack: 4"));
    assertTrue(bad.getMessage().contains("placement"), bad.getMessage());
  }

  @Test
  void everyServerHearsOfLeaseChangesThroughListenNotify() throws Exception {
    ManualClock clock = new ManualClock(T0);
    List<String> heardByB = new CopyOnWriteArrayList<>();
    CountDownLatch three = new CountDownLatch(3);
    io.rehoboam.journal.cluster.ClusterEvents events =
        io.rehoboam.journal.cluster.ClusterEvents.listen(
            url,
            pg.properties(),
            payload -> {
              heardByB.add(payload);
              three.countDown();
            });
    open.add(events);
    assertTrue(events.awaitListening(30, TimeUnit.SECONDS));
    ClusterMember a = member("a", Set.of(), clock, new Seen());
    a.bots(anywhere("bot-1", "bot-2"));
    a.tick(); // two leases taken
    a.close(); // given back: one event for the server leaving
    assertTrue(three.await(30, TimeUnit.SECONDS), "heard: " + heardByB);
    assertTrue(heardByB.get(0).contains("\"change\":\"acquired\""), heardByB.get(0));
    assertTrue(heardByB.get(0).contains("\"bot_id\":\"bot-1\""), heardByB.get(0));
    assertTrue(heardByB.get(0).contains("\"token\":1"), heardByB.get(0));
    assertTrue(heardByB.get(2).contains("\"change\":\"left\""), heardByB.get(2));
  }

  @Test
  void aServerThatLeavesGivesItsBotsBackAtOnce() {
    ManualClock clock = new ManualClock(T0);
    ClusterMember a = member("a", Set.of(), clock, new Seen());
    ClusterMember b = member("b", Set.of(), clock, new Seen());
    a.bots(anywhere("bot-1", "bot-2"));
    a.tick();
    b.tick();
    a.tick();
    b.tick();
    assertEquals(1, a.owned().size());
    a.close();
    b.tick(); // no lease time to wait for
    assertEquals(Set.of("bot-1", "bot-2"), b.owned().keySet());
    assertEquals(List.of("b"), b.members().stream().map(m -> m.serverId()).toList());
  }

  @Test
  void aServerCutFromTheDatabaseStopsBeforeItsLeaseEnds() throws Exception {
    ManualClock clock = new ManualClock(T0);
    Properties p = pg.properties();
    p.setProperty("socketTimeout", "3");
    p.setProperty("connectTimeout", "3");
    try (TcpProxy proxy = TcpProxy.start("127.0.0.1", pg.port())) {
      String viaProxy = url.replace(":" + pg.port() + "/", ":" + proxy.port() + "/");
      Seen seenA = new Seen();
      ClusterMember a = member("a", Set.of(), clock, seenA, viaProxy, p);
      a.bots(anywhere("bot-1"));
      a.tick();
      assertEquals(Set.of("bot-1"), a.owned().keySet());
      long renewed = clock.millis();

      proxy.cut();
      // The heartbeat hangs on the silent connection; the expiry check does not wait for it.
      CompletableFuture<Void> stuck = CompletableFuture.runAsync(a::tick);
      clock.advance(LEASE.minus(MARGIN));
      assertEquals(List.of("bot-1"), a.expire());
      assertTrue(clock.millis() < renewed + LEASE.toMillis(), "stopped before the lease ended");
      assertTrue(a.tokenFor("bot-1").isEmpty(), "its journal writes are refused from now on");
      assertEquals(List.of("+bot-1@1", "-bot-1"), seenA.events);
      ExecutionException failed =
          assertThrows(ExecutionException.class, () -> stuck.get(60, TimeUnit.SECONDS));
      assertTrue(failed.getCause() instanceof RehoboamException, failed.toString());

      // Another server takes the bot once the lease has ended, not before.
      ClusterMember b = member("b", Set.of(), clock, new Seen());
      b.tick();
      assertEquals(Map.of(), b.owned());
      clock.advance(MARGIN);
      b.tick();
      assertEquals(Map.of("bot-1", 2L), b.owned());
      proxy.heal();
    }
  }
}
