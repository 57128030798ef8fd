package io.rehoboam.evm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.evm.internal.FlashbotsSignature;
import io.rehoboam.spi.Settings;
import io.rehoboam.spi.trade.Execution;
import io.rehoboam.spi.trade.ExecutionMode;
import io.rehoboam.spi.trade.ExecutionRequest;
import io.rehoboam.spi.trade.ExecutionStatus;
import io.rehoboam.spi.trade.InFlightExecution;
import io.rehoboam.spi.trade.Opportunity;
import io.rehoboam.testsupport.AnvilNode;
import io.rehoboam.testsupport.ArbitrageWorld;
import io.rehoboam.testsupport.BundleRelay;
import io.rehoboam.testsupport.ChainClient;
import io.rehoboam.testsupport.CountingProxy;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.protocol.core.DefaultBlockParameterName;

/**
 * Bundle and private-RPC submission against anvil with the real Uniswap V2 contracts, WETH as the
 * start token, and the relay stand-in of test-support as the chain's only block builder.
 */
class BundleSubmissionIT {
  private static final String KEY_ENV = "TEST_TRADER_KEY";
  private static final String SEARCHER_ENV = "TEST_SEARCHER_KEY";
  private static final String COINBASE = "0x00000000000000000000000000000000000c0ffe";
  private static final Duration WAIT = Duration.ofSeconds(30);

  private AnvilNode node;
  private ChainClient deployer;
  private ChainClient trader;
  private ArbitrageWorld world;
  private String contract;
  private TestContext context;
  private BundleRelay relay;

  @BeforeEach
  void deploy() {
    node = AnvilNode.start();
    deployer = ChainClient.connect(node, 0);
    trader = ChainClient.connect(node, 1);
    world = ArbitrageWorld.deployWrappedNativeBase(deployer);
    contract = trader.deploy(ExecutorContract.creationCode());
    deployer.transfer(
        world.base(), trader.address(), ArbitrageWorld.ONE.multiply(BigInteger.valueOf(100)));
    trader.approve(world.base(), contract, BigInteger.TWO.pow(255));
    deployer.approve(world.base(), world.dexB().router(), BigInteger.TWO.pow(255));
    deployer.rpc("anvil_setCoinbase", COINBASE);
    context = new TestContext();
    context.setEnv(
        Map.of(KEY_ENV, node.privateKeys().get(1), SEARCHER_ENV, node.privateKeys().get(2)));
  }

  @AfterEach
  void stop() {
    if (relay != null) {
      relay.close();
    }
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

  private Map<String, Object> bundleSettings() {
    relay = BundleRelay.start(node.rpcUrl());
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("rpc_url", node.rpcUrl());
    s.put("chain_id", 31337);
    s.put("live", true);
    s.put("private_key_env", KEY_ENV);
    s.put("searcher_key_env", SEARCHER_ENV);
    s.put("contract", contract);
    s.put("relays", List.of(relay.url()));
    s.put("bundle_blocks", 2);
    s.put("builder_share_bps", 5000);
    s.put("native_token", world.base());
    s.put("receipt_poll_interval", "10ms");
    s.put("priority_fee_per_gas", 0);
    return s;
  }

  private EvmTradeExecutor executor(Map<String, Object> settings) {
    return new EvmTradeExecutorProvider().create("chain", Settings.of(settings), context);
  }

  private static CompletableFuture<Execution> start(EvmTradeExecutor executor, Opportunity o) {
    return executor
        .execute(new ExecutionRequest("ex-" + UUID.randomUUID(), o, null, false, null))
        .toCompletableFuture();
  }

  private BigInteger weth() {
    return trader.balanceOf(world.base(), trader.address());
  }

  private BigInteger ether(String address) throws IOException {
    return trader
        .web3j()
        .ethGetBalance(address, DefaultBlockParameterName.LATEST)
        .send()
        .getBalance();
  }

  private BigInteger nonce() throws IOException {
    return trader
        .web3j()
        .ethGetTransactionCount(trader.address(), DefaultBlockParameterName.LATEST)
        .send()
        .getTransactionCount();
  }

  private boolean mined(String hash) throws IOException {
    return trader.web3j().ethGetTransactionReceipt(hash).send().getTransactionReceipt().isPresent();
  }

  private String searcher() {
    return Credentials.create(node.privateKeys().get(2)).getAddress().toLowerCase();
  }

  @Test
  void aBundleLandsAndRealizesThePredictedProfitToTheWeiWithTheBuilderPaid() throws Exception {
    try (EvmTradeExecutor executor = executor(bundleSettings())) {
      Opportunity o = ChainWorld.best(trader, world, "cross_venue");
      BigInteger payment =
          o.netProfit().multiply(BigInteger.valueOf(5000)).divide(BigInteger.valueOf(10_000));
      assertTrue(payment.signum() > 0);
      BigInteger wethBefore = weth();
      BigInteger coinbaseBefore = ether(COINBASE);
      BigInteger nonceBefore = nonce();
      long head = trader.blockNumber();

      CompletableFuture<Execution> pending = start(executor, o);
      assertTrue(relay.await("eth_sendBundle", 2, WAIT), "the bundle reached the relay");
      relay.buildBlock();
      Execution e = pending.get(30, TimeUnit.SECONDS);

      assertEquals(ExecutionStatus.CONFIRMED, e.status(), e.reason());
      BigInteger net = o.netProfit().subtract(payment);
      assertEquals(net, e.expectedProfit(), "predicted net of the builder payment");
      assertEquals(net, weth().subtract(wethBefore), "realized on chain (balances)");
      assertEquals(net, e.realizedProfit(), "reported realized");
      assertEquals(payment, ether(COINBASE).subtract(coinbaseBefore), "the builder's payment");
      assertEquals(nonceBefore.add(BigInteger.ONE), nonce());
      assertEquals(List.of(head + 1), relay.includedBlocks());

      // What went to the relay: a simulation first, then the bundle for each of the next blocks,
      // every request signed by the searcher identity, never by the trading key.
      List<BundleRelay.Request> all = relay.requests();
      assertEquals("eth_callBundle", all.get(0).method());
      List<BundleRelay.Request> sent = relay.requests("eth_sendBundle");
      assertEquals(
          List.of("0x" + Long.toHexString(head + 1), "0x" + Long.toHexString(head + 2)),
          sent.stream().map(r -> r.param().path("blockNumber").asText()).toList());
      for (BundleRelay.Request r : all) {
        assertEquals(searcher(), r.signer(), "signed by the searcher identity");
        assertFalse(r.header().toLowerCase().startsWith(trader.address()));
      }
      String tx = sent.get(0).param().path("txs").path(0).asText();
      assertEquals(e.txHashes().get(0), Hash.sha3(tx));
      assertTrue(sent.stream().allMatch(r -> r.param().path("txs").path(0).asText().equals(tx)));
    }
  }

  @Test
  void aBundleNotIncludedIsDroppedByPolicyAndNeverRecordedAsConfirmed() throws Exception {
    Map<String, Object> settings = bundleSettings();
    settings.put("on_not_included", "drop");
    try (EvmTradeExecutor executor = executor(settings)) {
      Opportunity o = ChainWorld.best(trader, world, "cross_venue");
      BigInteger wethBefore = weth();
      BigInteger coinbaseBefore = ether(COINBASE);
      BigInteger nonceBefore = nonce();
      relay.including = false;

      CompletableFuture<Execution> pending = start(executor, o);
      assertTrue(relay.await("eth_sendBundle", 2, WAIT));
      relay.buildBlock();
      relay.buildBlock();
      Execution e = pending.get(30, TimeUnit.SECONDS);

      assertEquals(ExecutionStatus.FAILED, e.status());
      assertTrue(
          e.reason().contains("not included") && e.reason().contains("on_not_included: drop"),
          e.reason());
      assertNull(e.realizedProfit());
      String hash = e.txHashes().get(0);
      // Its blocks have passed: even a builder that would take it now has nothing to include.
      relay.including = true;
      relay.buildBlock();
      assertFalse(mined(hash));
      assertEquals(nonceBefore, nonce());
      assertEquals(wethBefore, weth());
      assertEquals(coinbaseBefore, ether(COINBASE));
      assertEquals(2, relay.requests("eth_sendBundle").size(), "dropped: never sent again");
    }
  }

  @Test
  void aBundleNotIncludedIsRetriedForTheNextBlocksWithTheSameSignedTransaction() throws Exception {
    Map<String, Object> settings = bundleSettings();
    settings.put("bundle_retries", 1);
    try (EvmTradeExecutor executor = executor(settings)) {
      Opportunity o = ChainWorld.best(trader, world, "cross_venue");
      BigInteger nonceBefore = nonce();
      relay.including = false;

      CompletableFuture<Execution> pending = start(executor, o);
      assertTrue(relay.await("eth_sendBundle", 2, WAIT));
      relay.buildBlock();
      relay.buildBlock();
      assertTrue(relay.await("eth_sendBundle", 4, WAIT), "offered again for the next blocks");
      assertFalse(pending.isDone());
      relay.including = true;
      relay.buildBlock();
      Execution e = pending.get(30, TimeUnit.SECONDS);

      assertEquals(ExecutionStatus.CONFIRMED, e.status(), e.reason());
      assertEquals(e.expectedProfit(), e.realizedProfit());
      assertEquals(nonceBefore.add(BigInteger.ONE), nonce(), "executed once");
      List<BundleRelay.Request> sent = relay.requests("eth_sendBundle");
      assertEquals(4, sent.size());
      String tx = sent.get(0).param().path("txs").path(0).asText();
      assertTrue(
          sent.stream().allMatch(r -> r.param().path("txs").path(0).asText().equals(tx)),
          "the retry re-sends the same signed transaction, never a fresh one");
      assertEquals(2, relay.requests("eth_callBundle").size(), "re-simulated before the retry");
    }
  }

  @Test
  void aCompetingTransactionLandsFirstTheBundleRevertsInSimulationAndNothingIsPaid()
      throws Exception {
    Map<String, Object> settings = bundleSettings();
    settings.put("bundle_retries", 1);
    try (EvmTradeExecutor executor = executor(settings)) {
      Opportunity o = ChainWorld.best(trader, world, "cross_venue");
      BigInteger wethBefore = weth();
      BigInteger coinbaseBefore = ether(COINBASE);
      BigInteger nonceBefore = nonce();

      CompletableFuture<Execution> pending = start(executor, o);
      assertTrue(relay.await("eth_sendBundle", 2, WAIT));
      // Someone else sells 50 WETH into the dear pool and is mined first, outside the relay.
      String competitor =
          deployer.sendRaw(
              world.dexB().router(),
              FunctionEncoder.encode(
                  new Function(
                      "swapExactTokensForTokens",
                      List.of(
                          new Uint256(ArbitrageWorld.ONE.multiply(BigInteger.valueOf(50))),
                          new Uint256(BigInteger.ZERO),
                          new DynamicArray<>(
                              Address.class,
                              List.of(new Address(world.base()), new Address(world.usd()))),
                          new Address(deployer.address()),
                          new Uint256(BigInteger.ONE.shiftLeft(64))),
                      List.of())),
              BigInteger.ZERO);
      deployer.rpc("evm_mine");
      assertTrue(deployer.awaitReceipt(competitor).isStatusOK());
      relay.buildBlock(); // the bundle's last block: its simulation reverts, the builder skips it
      Execution e = pending.get(30, TimeUnit.SECONDS);

      assertEquals(ExecutionStatus.FAILED, e.status());
      assertTrue(e.reason().contains("reverts in simulation"), e.reason());
      assertFalse(mined(e.txHashes().get(0)));
      assertTrue(relay.includedBlocks().isEmpty());
      assertEquals(nonceBefore, nonce(), "not even gas was spent");
      assertEquals(wethBefore, weth());
      assertEquals(coinbaseBefore, ether(COINBASE), "nothing paid to the builder");
      BundleRelay.Request resimulation = relay.requests("eth_callBundle").get(1);
      assertNotNull(resimulation);
    }
  }

  /** Starts an execution, stops the executor with its bundle at the relay; the in-flight record. */
  private InFlightExecution leftInFlight(Map<String, Object> settings, Opportunity o)
      throws Exception {
    BigInteger nonce = nonce();
    EvmTradeExecutor first = executor(settings);
    CompletableFuture<Execution> pending = start(first, o);
    assertTrue(relay.await("eth_sendBundle", 3, WAIT));
    first.close(); // the service stops while the bundle waits at the relay
    Execution abandoned = pending.get(30, TimeUnit.SECONDS);
    assertEquals(ExecutionStatus.FAILED, abandoned.status(), "never confirmed without a receipt");
    String tx = relay.requests("eth_sendBundle").get(0).param().path("txs").path(0).asText();
    return new InFlightExecution(
        o.startToken(),
        o.amountIn(),
        Execution.submitted(
            abandoned.id(),
            o.id(),
            ExecutionMode.LIVE,
            abandoned.expectedProfit(),
            abandoned.startedAt()),
        nonce,
        Hash.sha3(tx));
  }

  @Test
  void aBundleLeftPendingByARestartIsSettledByTheChainItLandsIn() throws Exception {
    Map<String, Object> settings = bundleSettings();
    settings.put("bundle_blocks", 3);
    Opportunity o = ChainWorld.best(trader, world, "cross_venue");
    BigInteger before = weth();
    InFlightExecution inFlight = leftInFlight(settings, o);
    try (EvmTradeExecutor second = executor(settings)) {
      CompletableFuture<Execution> settled = second.reconcile(inFlight).toCompletableFuture();
      assertFalse(settled.isDone(), "the node never knows a bundle: not dropped while it can land");
      relay.buildBlock();
      Execution e = settled.get(30, TimeUnit.SECONDS);
      assertEquals(ExecutionStatus.CONFIRMED, e.status(), e.reason());
      assertEquals(inFlight.latest().expectedProfit(), e.realizedProfit());
    }
  }

  @Test
  void aBundleLeftPendingByARestartIsFailedOnlyOnceItsBlocksHavePassed() throws Exception {
    Map<String, Object> settings = bundleSettings();
    settings.put("bundle_blocks", 3);
    Opportunity o = ChainWorld.best(trader, world, "cross_venue");
    BigInteger before = weth();
    InFlightExecution inFlight = leftInFlight(settings, o);
    relay.including = false;
    try (EvmTradeExecutor second = executor(settings)) {
      CompletableFuture<Execution> settled = second.reconcile(inFlight).toCompletableFuture();
      for (int i = 0; i < 2; i++) {
        relay.buildBlock();
      }
      assertFalse(settled.isDone(), "still inside the blocks a relay holds it for");
      relay.buildBlock();
      relay.buildBlock();
      Execution e = settled.get(30, TimeUnit.SECONDS);
      assertEquals(ExecutionStatus.FAILED, e.status());
      assertTrue(e.reason().contains("was not included"), e.reason());
      assertFalse(mined(inFlight.txHash()));
      assertEquals(before, weth());
    }
  }

  @Test
  void aBuilderPaymentFromAStartTokenThatIsNotTheNativeOneIsRefusedBeforeAnythingIsSent()
      throws Exception {
    Map<String, Object> settings = bundleSettings();
    settings.put("native_token", world.usd()); // the start token (WETH) is then not the native one
    try (EvmTradeExecutor executor = executor(settings)) {
      Opportunity o = ChainWorld.best(trader, world, "cross_venue");
      Execution e = start(executor, o).get(30, TimeUnit.SECONDS);
      assertEquals(ExecutionStatus.REJECTED, e.status());
      assertTrue(e.reason().startsWith("builder_share_bps:"), e.reason());
      assertTrue(relay.requests().isEmpty(), "nothing went to the relay");
    }
  }

  @Test
  void theRelayRefusesARequestWhoseSignatureDoesNotProveTheNamedAddress() throws Exception {
    relay = BundleRelay.start(node.rpcUrl());
    Credentials searcher = Credentials.create(node.privateKeys().get(2));
    String body =
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_sendBundle\",\"params\":[{\"txs\":[\"0x02\"],"
            + "\"blockNumber\":\"0x99\"}]}";
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    String good = FlashbotsSignature.header(searcher, bytes);
    assertEquals(200, post(body, good));
    // The same signature over another body, the signature claimed for another address, none.
    String other =
        FlashbotsSignature.header(searcher, (body + " ").getBytes(StandardCharsets.UTF_8));
    assertEquals(403, post(body, other));
    String signature = good.substring(good.indexOf(':'));
    assertEquals(403, post(body, trader.address() + signature));
    assertEquals(403, post(body, null));
    assertEquals(
        List.of(searcher.getAddress().toLowerCase()),
        relay.requests().stream()
            .filter(r -> r.signer() != null)
            .map(BundleRelay.Request::signer)
            .toList());
    assertEquals(4, relay.requests().size());
  }

  private int post(String body, String header) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(relay.url()))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (header != null) {
      b.header("X-Flashbots-Signature", header);
    }
    return HttpClient.newHttpClient()
        .send(b.build(), HttpResponse.BodyHandlers.ofString())
        .statusCode();
  }

  @Test
  void privateRpcSendsTheTransactionToTheProtectUrlNotTheNode() throws Exception {
    try (CountingProxy protect = CountingProxy.start(node.rpcUrl())) {
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("rpc_url", node.rpcUrl());
      s.put("chain_id", 31337);
      s.put("live", true);
      s.put("submission", "private_rpc");
      s.put("private_rpc_url", protect.url());
      s.put("private_key_env", KEY_ENV);
      s.put("contract", contract);
      s.put("receipt_poll_interval", "10ms");
      s.put("priority_fee_per_gas", 0);
      try (EvmTradeExecutor executor = executor(s)) {
        Opportunity o = ChainWorld.best(trader, world, "cross_venue");
        BigInteger before = weth();
        Execution e = start(executor, o).get(30, TimeUnit.SECONDS);
        assertEquals(ExecutionStatus.CONFIRMED, e.status(), e.reason());
        assertEquals(o.netProfit(), weth().subtract(before));
        assertEquals(List.of("eth_sendRawTransaction"), protect.methods());
      }
    }
  }
}
