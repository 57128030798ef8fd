package io.rehoboam.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.core.ArbitrageService;
import io.rehoboam.core.BotRegistration;
import io.rehoboam.core.ExecuteRequest;
import io.rehoboam.core.risk.RiskLimits;
import io.rehoboam.journal.cluster.ClusterBots;
import io.rehoboam.journal.cluster.ClusterMember;
import io.rehoboam.journal.cluster.ClusterOwnership;
import io.rehoboam.journal.cluster.Lease;
import io.rehoboam.journal.cluster.Placement;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.Settings;
import io.rehoboam.spi.event.BotState;
import io.rehoboam.spi.trade.ExecutionStatus;
import io.rehoboam.testsupport.PostgresServer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two services on one PostgreSQL journal, each a member of the cluster: a bot runs where its lease
 * is, moves when its owner stops renewing, and follows a start or stop asked of the other server.
 */
@ExtendWith(PostgresExtension.class)
class ClusterServicesTest {
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  private static final Duration LEASE = Duration.ofSeconds(4);

  private final ManualClock clock = new ManualClock(T0);
  private final List<AutoCloseable> open = new ArrayList<>();
  private PostgresServer pg;
  private String url;

  /** One server: its journal, cluster membership and service. */
  private final class Server {
    final JdbcJournal journal;
    final ClusterMember member;
    final ArbitrageService service;
    final TestWorld.Publisher publisher = new TestWorld.Publisher();
    final TestWorld.Scripted executor = new TestWorld.Scripted();

    Server(String id) {
      journal = JdbcJournal.open(url, pg.properties(), clock);
      member = ClusterMember.join(url, pg.properties(), id, Set.of(), LEASE, clock);
      journal.fencedBy(member);
      service =
          ArbitrageService.builder()
              .discoverProviders(false)
              .env(Map.of())
              .clock(clock)
              .provider(publisher)
              .executor(executor)
              .riskLimits(RiskLimits.NONE)
              .journal(journal)
              .ownership(new ClusterOwnership(member, bot -> Placement.ANY))
              .build();
      service.initialize();
      publisher.toPublish.add(TestWorld.opportunity("op-" + id, T0));
      // A bot registered at run time on one server is in the shared journal: the next server
      // starting registers it again from there.
      if (service.bots().stream().noneMatch(bot -> bot.botId().equals("p"))) {
        service.register(BotRegistration.of("p", "publisher", Settings.empty()));
      }
      member.listener(new ClusterBots(service, journal, member, bot -> false));
      member.bots(Map.of("p", Placement.ANY));
      open.add(0, service);
      open.add(0, member);
    }

    BotState state() {
      return service.bot("p").status();
    }
  }

  @BeforeEach
  void database(PostgresServer pg) {
    this.pg = pg;
    this.url = pg.jdbcUrl(pg.createDatabase("services"));
  }

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  private static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    }
  }

  @Test
  void aBotRunsWhereItsLeaseIsMovesWithItAndFollowsControlsAskedOfAnotherServer() {
    Server a = new Server("a");
    Server b = new Server("b");

    // Asked of b, which does not own the bot: recorded for the owner, not started on b.
    assertNotEquals(BotState.RUNNING, b.service.start("p").status());
    a.member.tick(); // a takes the lease and applies the desired state
    b.member.tick();
    await("the bot running on a", () -> a.state() == BotState.RUNNING);
    assertFalse(b.service.runsHere("p"), "b does not run it");
    assertEquals(
        ExecutionStatus.SIMULATED,
        a.service.execute("op-a", ExecuteRequest.defaults()).status(),
        "the owner executes");

    // a stops renewing (killed): by its own clock it stops the bot before the lease ends ...
    clock.advance(LEASE.minus(LEASE.dividedBy(5)));
    b.member.tick();
    assertEquals(List.of("p"), a.member.expire());
    await("the bot stopped on a", () -> a.state() != BotState.RUNNING);
    RehoboamException refused =
        assertThrows(
            RehoboamException.class, () -> a.service.execute("op-a-2", ExecuteRequest.defaults()));
    assertTrue(
        refused.code() == ErrorCode.CONFLICT || refused.code() == ErrorCode.NOT_FOUND,
        refused.toString());
    // ... and b runs it once the lease has ended.
    clock.advance(LEASE.dividedBy(5));
    b.member.tick();
    await("the bot running on b", () -> b.state() == BotState.RUNNING);
    // a, not running the bot, shows it as b reported it (as of a's own next heartbeat).
    b.member.tick(); // b reports RUNNING
    a.member.tick();
    assertEquals(BotState.RUNNING, a.service.bot("p").status(), "seen from a: runs on b");
    Lease lease = b.member.leases().get(0);
    assertEquals("b", lease.owner());
    assertEquals(2, lease.token());

    // A stop asked of a (no longer the owner) is applied by b at its next heartbeat.
    a.service.stop("p");
    b.member.tick();
    await("the bot stopped on b", () -> b.state() != BotState.RUNNING);
    b.member.tick();
    assertEquals("STOPPED", b.member.leases().get(0).status(), "the owner reports its state");
  }
}
