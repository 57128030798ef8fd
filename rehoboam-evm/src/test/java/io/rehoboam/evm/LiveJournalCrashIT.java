package io.rehoboam.evm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.core.ArbitrageService;
import io.rehoboam.core.ExecuteRequest;
import io.rehoboam.core.config.ConfigLoader;
import io.rehoboam.core.journal.JournalledExecution;
import io.rehoboam.core.risk.RiskLimits;
import io.rehoboam.journal.JdbcJournal;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.trade.Execution;
import io.rehoboam.spi.trade.ExecutionStatus;
import io.rehoboam.spi.trade.Opportunity;
import io.rehoboam.testsupport.AnvilNode;
import io.rehoboam.testsupport.ArbitrageWorld;
import io.rehoboam.testsupport.ChainClient;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.protocol.core.DefaultBlockParameterName;

/**
 * A child JVM running the service with a live executor is killed with SIGKILL after it sent a
 * transaction that anvil (automine off) has not mined; a new service on the same data directory
 * follows the pending transaction and records its receipt once it is mined by hand.
 */
class LiveJournalCrashIT {
  private static final String KEY_ENV = "TEST_TRADER_KEY";

  @TempDir Path dir;

  private AnvilNode node;
  private ChainClient deployer;
  private ChainClient trader;
  private Process child;
  private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor();

  @AfterEach
  void tearDown() {
    if (child != null) {
      child.destroyForcibly();
    }
    poller.shutdownNow();
    if (trader != null) {
      trader.close();
    }
    if (deployer != null) {
      deployer.close();
    }
    if (node != null) {
      node.close();
    }
  }

  /** Waits (bounded) until the chain shows the condition, checking every 20 ms. */
  private void awaitChain(BooleanSupplier condition, String what) throws Exception {
    CompletableFuture<Void> reached = new CompletableFuture<>();
    ScheduledFuture<?> check =
        poller.scheduleWithFixedDelay(
            () -> {
              try {
                if (condition.getAsBoolean()) {
                  reached.complete(null);
                }
              } catch (RuntimeException e) {
                reached.completeExceptionally(e);
              }
            },
            0,
            20,
            TimeUnit.MILLISECONDS);
    try {
      reached.get(90, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("timed out waiting for " + what, e);
    } finally {
      check.cancel(false);
    }
  }

  private BigInteger nonce(DefaultBlockParameterName at) {
    try {
      return trader
          .web3j()
          .ethGetTransactionCount(trader.address(), at)
          .send()
          .getTransactionCount();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private ArbitrageWorld world;
  private Opportunity o;
  private Path config;
  private Path data;
  private BigInteger nonceBefore;
  private BigInteger balanceBefore;

  /**
   * Plants the world, turns automine off, runs the child until its transaction is sent, kills it.
   */
  private void killWithAPendingTransaction() throws Exception {
    node = AnvilNode.start();
    deployer = ChainClient.connect(node, 0);
    trader = ChainClient.connect(node, 1);
    world = ArbitrageWorld.deploy(deployer);
    String contract = trader.deploy(ExecutorContract.creationCode());
    deployer.transfer(
        world.base(), trader.address(), ArbitrageWorld.ONE.multiply(BigInteger.valueOf(100)));
    trader.approve(world.base(), contract, BigInteger.TWO.pow(255));
    o = ChainWorld.best(trader, world, "cross_venue");
    Path opportunityFile = dir.resolve("opportunity.json");
    OpportunityFile.write(o, opportunityFile);
    config = dir.resolve("rehoboam.yaml");
    Files.writeString(
        config,
        String.join(
            "\n",
            "executors:",
            "  chain:",
            "    type: evm",
            "    rpc_url: " + node.rpcUrl(),
            "    chain_id: 31337",
            "    live: true",
            "    submission: public",
            "    private_key_env: " + KEY_ENV,
            "    contract: '" + contract + "'",
            "    receipt_poll_interval: 10ms",
            "    receipt_timeout: 10m",
            "    priority_fee_per_gas: 0",
            ""));
    balanceBefore = trader.balanceOf(world.base(), trader.address());
    nonceBefore = nonce(DefaultBlockParameterName.LATEST);
    trader.rpc("evm_setAutomine", false);

    data = dir.resolve("data");
    Path stderr = dir.resolve("child.err");
    ProcessBuilder pb =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                LiveCrashChild.class.getName(),
                data.toString(),
                opportunityFile.toString(),
                config.toString())
            .redirectError(stderr.toFile())
            .redirectOutput(dir.resolve("child.out").toFile());
    pb.environment().put(KEY_ENV, node.privateKeys().get(1));
    child = pb.start();
    child.getOutputStream().close();
    awaitChain(
        () ->
            nonce(DefaultBlockParameterName.PENDING).compareTo(nonceBefore) > 0 || !child.isAlive(),
        "the child's transaction in the mempool");
    assertTrue(child.isAlive(), "the child died: " + Files.readString(stderr));
    child.destroyForcibly(); // SIGKILL while the transaction waits to be mined
    assertEquals(137, child.waitFor());
    assertEquals(nonceBefore, nonce(DefaultBlockParameterName.LATEST), "not mined yet");
  }

  /** A new service on the child's data directory, initialized (so recovering). */
  private ArbitrageService recoveringService(RecoveryEvents events) throws IOException {
    ArbitrageService service =
        ArbitrageService.builder()
            .config(ConfigLoader.parse(Files.readString(config), "rehoboam.yaml", Map.of()))
            .env(Map.of(KEY_ENV, node.privateKeys().get(1)))
            .executorProvider(new EvmTradeExecutorProvider())
            .provider(LiveCrashChild.publisher(o))
            .riskLimits(RiskLimits.NONE)
            .journal(JdbcJournal.inDirectory(data, Clock.systemUTC()))
            .build();
    service.subscribe(events);
    service.initialize();
    return service;
  }

  @Test
  void aTransactionSentBeforeTheKillIsFollowedAndRecordedOnceMined() throws Exception {
    killWithAPendingTransaction();
    RecoveryEvents events = new RecoveryEvents();
    Clock clock = Clock.systemUTC();
    String hash;
    try (ArbitrageService service = recoveringService(events)) {
      String lookingUp = events.await(m -> m.contains("looking it up"));
      assertTrue(lookingUp.contains("with transaction 0x"), lookingUp);
      CompletableFuture<Execution> same =
          service
              .executeAsync(o.id(), new ExecuteRequest(null, false, "live-1", null))
              .toCompletableFuture();
      assertFalse(same.isDone(), "pending on chain: still being watched");

      trader.rpc("evm_mine");
      Execution mined = same.get(60, TimeUnit.SECONDS);
      assertEquals(ExecutionStatus.CONFIRMED, mined.status(), String.valueOf(mined.reason()));
      assertEquals(1, mined.txHashes().size());
      hash = mined.txHashes().get(0);
      assertTrue(lookingUp.contains(hash), lookingUp);
      assertEquals(o.netProfit(), mined.realizedProfit(), "realized, read around the block");
      assertTrue(mined.gasUsed().compareTo(BigInteger.valueOf(21_000)) > 0);

      service.stop("pub");
      service.start("pub");
      RehoboamException again =
          assertThrows(
              RehoboamException.class, () -> service.execute(o.id(), ExecuteRequest.defaults()));
      assertEquals(ErrorCode.ALREADY_EXECUTED, again.code());
    }
    assertEquals(
        o.profit(),
        trader.balanceOf(world.base(), trader.address()).subtract(balanceBefore),
        "exactly one trade happened on chain");
    assertEquals(nonceBefore.add(BigInteger.ONE), nonce(DefaultBlockParameterName.LATEST));

    try (JdbcJournal journal = JdbcJournal.inDirectory(data, clock)) {
      List<JournalledExecution> all = journal.load().executions();
      assertEquals(1, all.size());
      JournalledExecution e = all.get(0);
      assertEquals(ExecutionStatus.CONFIRMED, e.latest().status());
      assertEquals(hash, e.txHash());
      assertEquals(nonceBefore, e.nonce());
      assertNotNull(e.latest().gasUsed());
      assertEquals("live-1", e.attempt().idempotencyKey());
    }
  }

  @Test
  void aTransactionDroppedWhileTheServiceWasDownIsMarkedFailed() throws Exception {
    killWithAPendingTransaction();
    String hash;
    try (JdbcJournal journal = JdbcJournal.inDirectory(data, Clock.systemUTC())) {
      hash = journal.load().executions().get(0).txHash();
    }
    assertNotNull(hash, "the signed transaction was journalled before it was sent");
    trader.rpc("anvil_dropTransaction", hash);
    try (ArbitrageService service = recoveringService(new RecoveryEvents())) {
      Execution dropped =
          service
              .executeAsync(o.id(), new ExecuteRequest(null, false, "live-1", null))
              .toCompletableFuture()
              .get(60, TimeUnit.SECONDS);
      assertEquals(ExecutionStatus.FAILED, dropped.status());
      assertTrue(dropped.reason().contains("dropped"), dropped.reason());
      assertEquals(List.of(hash), dropped.txHashes());
    }
    trader.rpc("evm_mine");
    assertEquals(nonceBefore, nonce(DefaultBlockParameterName.LATEST), "nothing was mined");
    assertEquals(balanceBefore, trader.balanceOf(world.base(), trader.address()));
    try (JdbcJournal journal = JdbcJournal.inDirectory(data, Clock.systemUTC())) {
      assertEquals(ExecutionStatus.FAILED, journal.load().executions().get(0).latest().status());
    }
  }
}
