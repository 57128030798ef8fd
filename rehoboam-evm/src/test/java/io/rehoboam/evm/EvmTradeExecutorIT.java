package io.rehoboam.evm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.spi.Settings;
import io.rehoboam.spi.trade.Execution;
import io.rehoboam.spi.trade.ExecutionMode;
import io.rehoboam.spi.trade.ExecutionRequest;
import io.rehoboam.spi.trade.ExecutionStatus;
import io.rehoboam.spi.trade.Opportunity;
import io.rehoboam.testsupport.AnvilNode;
import io.rehoboam.testsupport.ArbitrageWorld;
import io.rehoboam.testsupport.ChainClient;
import io.rehoboam.testsupport.UniswapV2;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.web3j.protocol.core.DefaultBlockParameterName;

/**
 * The evm executor against a fresh anvil per test: the planted world, the executor contract
 * deployed by the trader (account 1), who holds 100 base tokens and has approved it.
 */
class EvmTradeExecutorIT {
  private static final String KEY_ENV = "TEST_TRADER_KEY";
  private AnvilNode node;
  private ChainClient deployer;
  private ChainClient trader;
  private ArbitrageWorld world;
  private String contract;
  private TestContext context;

  @BeforeEach
  void deploy() {
    node = AnvilNode.start();
    deployer = ChainClient.connect(node, 0);
    trader = ChainClient.connect(node, 1);
    world = ArbitrageWorld.deploy(deployer);
    contract = trader.deploy(ExecutorContract.creationCode());
    deployer.transfer(
        world.base(), trader.address(), ArbitrageWorld.ONE.multiply(BigInteger.valueOf(100)));
    trader.approve(world.base(), contract, BigInteger.TWO.pow(255));
    context = new TestContext();
  }

  @AfterEach
  void stop() {
    if (context != null) {
      context.close();
    }
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

  private Map<String, Object> liveSettings() {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("rpc_url", node.rpcUrl());
    s.put("chain_id", 31337);
    s.put("live", true);
    s.put("submission", "public");
    s.put("private_key_env", KEY_ENV);
    s.put("contract", contract);
    s.put("receipt_poll_interval", "10ms");
    s.put("receipt_timeout", "20s");
    s.put("priority_fee_per_gas", 0);
    return s;
  }

  private EvmTradeExecutor executor(Map<String, Object> settings) {
    context.setEnv(Map.of(KEY_ENV, node.privateKeys().get(1)));
    return new EvmTradeExecutorProvider().create("chain", Settings.of(settings), context);
  }

  private static Execution run(EvmTradeExecutor executor, Opportunity o, BigInteger amountIn)
      throws Exception {
    return executor
        .execute(new ExecutionRequest("ex-" + UUID.randomUUID(), o, amountIn, false, null))
        .toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
  }

  private BigInteger baseBalance() {
    return trader.balanceOf(world.base(), trader.address());
  }

  private BigInteger nonce() throws IOException {
    return trader
        .web3j()
        .ethGetTransactionCount(trader.address(), DefaultBlockParameterName.LATEST)
        .send()
        .getTransactionCount();
  }

  private BigInteger ether() throws IOException {
    return trader
        .web3j()
        .ethGetBalance(trader.address(), DefaultBlockParameterName.LATEST)
        .send()
        .getBalance();
  }

  @Test
  void liveExecutionsRealizeExactlyThePredictedProfitOfCrossVenueAndCyclicOpportunities()
      throws Exception {
    try (EvmTradeExecutor executor = executor(liveSettings())) {
      assertEquals(ExecutionMode.LIVE, executor.mode());
      assertEquals(trader.address(), executor.account().orElseThrow());
      for (String strategy : List.of("cross_venue", "cyclic")) {
        Opportunity o = ChainWorld.best(trader, world, strategy);
        BigInteger before = baseBalance();
        Execution e = run(executor, o, null);
        BigInteger after = baseBalance();
        assertEquals(ExecutionStatus.CONFIRMED, e.status(), strategy + ": " + e.reason());
        assertEquals(o.profit(), after.subtract(before), strategy + ": realized on chain");
        assertEquals(o.netProfit(), e.realizedProfit(), strategy + ": reported");
        assertEquals(o.netProfit(), e.expectedProfit());
        assertEquals(1, e.txHashes().size());
        assertTrue(e.gasUsed().compareTo(BigInteger.valueOf(21_000)) > 0);
        assertNotNull(e.finishedAt());
      }
    }
  }

  @Test
  void aCompetingSwapMakesThePreCheckRefuseWithoutSending() throws Exception {
    try (EvmTradeExecutor executor = executor(liveSettings())) {
      Opportunity o = ChainWorld.best(trader, world, "cross_venue");
      closeTheGap();
      BigInteger nonce = nonce();
      BigInteger before = baseBalance();
      Execution e = run(executor, o, null);
      assertEquals(ExecutionStatus.REJECTED, e.status());
      assertTrue(e.reason().startsWith("stale:"), e.reason());
      assertTrue(e.txHashes().isEmpty());
      assertEquals(nonce, nonce(), "nothing was sent");
      assertEquals(before, baseBalance());
    }
  }

  /** A competitor buys base on the cheap venue until the cross-venue gap is gone. */
  private void closeTheGap() {
    UniswapV2.swapExactTokensForTokens(
        deployer,
        world.dexA(),
        ArbitrageWorld.ONE.multiply(BigInteger.valueOf(49_500)),
        List.of(world.usd(), world.base()));
    assertTrue(
        ChainWorld.scan(trader, world).stream()
            .noneMatch(
                o ->
                    o.strategy().equals("cross_venue")
                        && o.legs().stream().anyMatch(l -> l.poolId().endsWith(world.baseUsdB()))),
        "the competing swap should have closed the gap");
  }

  @Test
  void withoutThePreCheckTheContractRevertsAndNothingIsLostButGas() throws Exception {
    Map<String, Object> s = liveSettings();
    s.put("precheck", false);
    s.put("simulate", false);
    s.put("priority_fee_per_gas", 1_000_000_000);
    try (EvmTradeExecutor executor = executor(s)) {
      Opportunity o = ChainWorld.best(trader, world, "cross_venue");
      closeTheGap();
      BigInteger before = baseBalance();
      BigInteger usdBefore = trader.balanceOf(world.usd(), trader.address());
      BigInteger etherBefore = ether();
      Execution e = run(executor, o, null);
      assertEquals(ExecutionStatus.REVERTED, e.status());
      assertTrue(e.reason().contains("RehoboamExecutor: profit below minimum"), e.reason());
      assertEquals(1, e.txHashes().size());
      assertEquals(BigInteger.ZERO, e.realizedProfit());
      assertEquals(before, baseBalance(), "no base token lost");
      assertEquals(usdBefore, trader.balanceOf(world.usd(), trader.address()), "no leg stuck");
      var receipt = trader.awaitReceipt(e.txHashes().get(0));
      assertFalse(receipt.isStatusOK());
      BigInteger gasPaid =
          receipt
              .getGasUsed()
              .multiply(org.web3j.utils.Numeric.decodeQuantity(receipt.getEffectiveGasPrice()));
      assertTrue(gasPaid.signum() > 0);
      assertEquals(etherBefore.subtract(gasPaid), ether(), "only gas was spent");
    }
  }

  @Test
  void twentyConcurrentExecutionsFromOneKeyAllLand() throws Exception {
    try (EvmTradeExecutor executor = executor(liveSettings())) {
      Opportunity o = ChainWorld.best(trader, world, "cross_venue");
      BigInteger small = o.amountIn().divide(BigInteger.valueOf(40));
      BigInteger nonce = nonce();
      List<CompletableFuture<Execution>> running = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        running.add(
            executor
                .execute(new ExecutionRequest("ex-" + i, o, small, false, null))
                .toCompletableFuture());
      }
      Set<String> hashes = new HashSet<>();
      for (CompletableFuture<Execution> f : running) {
        Execution e = f.get(60, TimeUnit.SECONDS);
        assertEquals(ExecutionStatus.CONFIRMED, e.status(), e.reason());
        hashes.add(e.txHashes().get(0));
      }
      assertEquals(20, hashes.size());
      assertEquals(nonce.add(BigInteger.valueOf(20)), nonce());
    }
  }

  @Test
  void aRejectedSendDoesNotLeaveTheNonceAheadOfTheChain() throws Exception {
    Map<String, Object> s = liveSettings();
    s.put("simulate", false);
    s.put("gas_limit", 1_000_000);
    try (EvmTradeExecutor executor = executor(s)) {
      Opportunity o = ChainWorld.best(trader, world, "cross_venue");
      BigInteger small = o.amountIn().divide(BigInteger.valueOf(10));
      assertEquals(ExecutionStatus.CONFIRMED, run(executor, o, small).status());
      BigInteger nonce = nonce();
      deployer.rpc("anvil_setBlockGasLimit", "0x" + Long.toHexString(500_000));
      deployer.rpc("evm_mine");
      Execution refused = run(executor, o, small);
      assertEquals(ExecutionStatus.FAILED, refused.status());
      assertTrue(refused.reason().startsWith("send rejected by the node:"), refused.reason());
      assertTrue(executor.nextNonce().isEmpty(), "a rejected send forgets the local nonce");
      assertEquals(nonce, nonce());
      deployer.rpc("anvil_setBlockGasLimit", "0x" + Long.toHexString(30_000_000));
      deployer.rpc("evm_mine");
      Execution next = run(executor, o, small);
      assertEquals(ExecutionStatus.CONFIRMED, next.status(), next.reason());
      assertEquals(nonce.add(BigInteger.ONE), nonce());
    }
  }

  @Test
  void theContractRefusesAPassedDeadlineAndAnUnprofitablePath() throws Exception {
    Opportunity o = ChainWorld.best(trader, world, "cross_venue");
    List<ExecutorContract.Hop> hops = new ArrayList<>();
    for (var leg : o.legs()) {
      String pool = leg.poolId().substring(leg.poolId().indexOf(':') + 1);
      hops.add(
          new ExecutorContract.Hop(pool, UniswapV2.token0(trader, pool).equals(leg.tokenIn()), 30));
    }
    long block = trader.blockNumber();
    String late =
        ExecutorContract.encodeExecute(
            o.startToken(), o.amountIn(), BigInteger.ONE, block - 1, hops);
    String lateReason =
        trader.revertReason(
            contract, late, org.web3j.protocol.core.DefaultBlockParameterName.LATEST);
    assertTrue(lateReason.contains("RehoboamExecutor: deadline passed"), lateReason);
    String greedy =
        ExecutorContract.encodeExecute(
            o.startToken(), o.amountIn(), o.profit().add(BigInteger.ONE), 0, hops);
    assertTrue(
        trader
            .revertReason(
                contract, greedy, org.web3j.protocol.core.DefaultBlockParameterName.LATEST)
            .contains("RehoboamExecutor: profit below minimum"));
    String exact =
        ExecutorContract.encodeExecute(o.startToken(), o.amountIn(), o.profit(), block + 1, hops);
    assertEquals(o.profit(), new BigInteger(trader.callRaw(contract, exact).substring(2), 16));
  }

  @Test
  void theReceiptWaitIsBoundedAndNamesTheTransaction() throws Exception {
    Map<String, Object> s = liveSettings();
    s.put("simulate", false);
    s.put("receipt_timeout", "300ms");
    try (EvmTradeExecutor executor = executor(s)) {
      Opportunity o = ChainWorld.best(trader, world, "cross_venue");
      BigInteger small = o.amountIn().divide(BigInteger.valueOf(10));
      deployer.rpc("evm_setAutomine", false);
      Execution late;
      try {
        late = run(executor, o, small);
      } finally {
        deployer.rpc("evm_setAutomine", true);
      }
      assertEquals(ExecutionStatus.FAILED, late.status());
      assertTrue(late.reason().contains("no receipt within receipt_timeout"), late.reason());
      assertTrue(late.reason().contains(late.txHashes().get(0)), late.reason());
      deployer.rpc("evm_mine");
      assertTrue(trader.awaitReceipt(late.txHashes().get(0)).isStatusOK());
      Execution next = run(executor, o, small);
      assertEquals(ExecutionStatus.CONFIRMED, next.status(), next.reason());
    }
  }

  @Test
  void aTransactionThatRunsOutOfGasIsReportedSo() throws Exception {
    Map<String, Object> s = liveSettings();
    s.put("simulate", false);
    s.put("gas_limit", 60_000);
    try (EvmTradeExecutor executor = executor(s)) {
      Opportunity o = ChainWorld.best(trader, world, "cross_venue");
      BigInteger before = baseBalance();
      Execution e = run(executor, o, null);
      assertEquals(ExecutionStatus.REVERTED, e.status());
      assertTrue(e.reason().startsWith("reverted: out of gas (gas limit 60000, used "), e.reason());
      assertTrue(e.gasUsed().compareTo(BigInteger.valueOf(60_000)) <= 0);
      assertEquals(before, baseBalance());
    }
  }

  @Test
  void paperModeSimulatesOnFreshReservesAndSendsNothing() throws Exception {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("rpc_url", node.rpcUrl());
    try (EvmTradeExecutor executor = executor(s)) {
      assertEquals(ExecutionMode.PAPER, executor.mode());
      assertTrue(executor.account().isEmpty());
      Opportunity o = ChainWorld.best(trader, world, "cyclic");
      BigInteger before = baseBalance();
      Execution e = run(executor, o, null);
      assertEquals(ExecutionStatus.SIMULATED, e.status());
      assertEquals(o.netProfit(), e.realizedProfit());
      assertEquals(before, baseBalance());
    }
  }

  @Test
  void aDryRunInLiveModeSimulatesWithEthCallOnly() throws Exception {
    try (EvmTradeExecutor executor = executor(liveSettings())) {
      Opportunity o = ChainWorld.best(trader, world, "cross_venue");
      BigInteger nonce = nonce();
      Execution e =
          executor
              .execute(new ExecutionRequest("ex-dry", o, null, true, null))
              .toCompletableFuture()
              .get(30, TimeUnit.SECONDS);
      assertEquals(ExecutionStatus.SIMULATED, e.status(), e.reason());
      assertEquals(o.netProfit(), e.realizedProfit(), "eth_call returns the contract's profit");
      assertEquals(nonce, nonce());
    }
  }

  @Test
  void aSimulationRevertIsRefusedWithItsReason() throws Exception {
    trader.approve(world.base(), contract, BigInteger.ZERO);
    try (EvmTradeExecutor executor = executor(liveSettings())) {
      Opportunity o = ChainWorld.best(trader, world, "cross_venue");
      BigInteger nonce = nonce();
      Execution e = run(executor, o, null);
      assertEquals(ExecutionStatus.REJECTED, e.status());
      assertTrue(e.reason().contains("RehoboamExecutor: transferFrom failed"), e.reason());
      assertEquals(nonce, nonce());
    }
  }

  @Test
  void anUnreachableNodeFailsTheExecutionWithTheReason() throws Exception {
    try (EvmTradeExecutor executor = executor(liveSettings())) {
      Opportunity o = ChainWorld.best(trader, world, "cross_venue");
      node.stop();
      Execution e = run(executor, o, null);
      assertEquals(ExecutionStatus.FAILED, e.status());
      assertTrue(e.reason().startsWith("node unreachable:"), e.reason());
    }
  }
}
