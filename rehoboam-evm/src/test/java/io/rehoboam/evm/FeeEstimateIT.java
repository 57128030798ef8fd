package io.rehoboam.evm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.evm.internal.FeeEstimator;
import io.rehoboam.evm.internal.RpcClient;
import io.rehoboam.testsupport.AnvilNode;
import io.rehoboam.testsupport.ChainClient;
import io.rehoboam.testsupport.HttpStandIn;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.utils.Numeric;

/** EIP-1559 fee estimates from eth_feeHistory on anvil with a base fee set by the test. */
class FeeEstimateIT {
  private static final BigInteger GWEI = BigInteger.TEN.pow(9);
  private static AnvilNode node;
  private static ChainClient chain;

  @BeforeAll
  static void start() {
    // Fees on (not the zero-fee default): the base fee moves by the EIP-1559 rule.
    node = AnvilNode.start(new AnvilNode.Options(31337, 3, 1_000_000, false, false));
    chain = ChainClient.connect(node, 0);
  }

  @AfterAll
  static void stop() {
    if (chain != null) {
      chain.close();
    }
    if (node != null) {
      node.close();
    }
  }

  /** Sends and mines (automine) one EIP-1559 transfer offering {@code tipGwei}. */
  private static void sendWithTip(long tipGwei) throws IOException {
    Credentials who = Credentials.create(node.privateKeys().get(1));
    BigInteger nonce =
        chain
            .web3j()
            .ethGetTransactionCount(who.getAddress(), DefaultBlockParameterName.PENDING)
            .send()
            .getTransactionCount();
    RawTransaction tx =
        RawTransaction.createEtherTransaction(
            31337,
            nonce,
            BigInteger.valueOf(21_000),
            node.addresses().get(2),
            BigInteger.ONE,
            GWEI.multiply(BigInteger.valueOf(tipGwei)),
            GWEI.multiply(BigInteger.valueOf(1_000)));
    String signed = Numeric.toHexString(TransactionEncoder.signMessage(tx, 31337, who));
    var sent = chain.web3j().ethSendRawTransaction(signed).send();
    assertTrue(!sent.hasError(), () -> "send failed: " + sent.getError().getMessage());
    chain.awaitReceipt(sent.getTransactionHash());
  }

  @SuppressWarnings("unchecked")
  private static BigInteger hex(Object value) {
    return Numeric.decodeQuantity((String) value);
  }

  @Test
  @SuppressWarnings("unchecked")
  void theEstimateIsTheNextBaseFeeAndTheMedianTipOfFeeHistory() throws Exception {
    chain.rpc(
        "anvil_setNextBlockBaseFeePerGas",
        "0x" + GWEI.multiply(BigInteger.valueOf(40)).toString(16));
    for (long tip : new long[] {1, 7, 3, 5}) {
      sendWithTip(tip);
    }
    try (RpcClient rpc = new RpcClient(node.rpcUrl(), Duration.ofSeconds(10), 100)) {
      FeeEstimate estimate = new FeeEstimator(4, 50).estimate(rpc);

      Map<String, Object> history =
          (Map<String, Object>) chain.rpc("eth_feeHistory", "0x4", "latest", List.of(50.0));
      List<Object> baseFees = (List<Object>) history.get("baseFeePerGas");
      List<BigInteger> tips = new ArrayList<>();
      for (Object perBlock : (List<Object>) history.get("reward")) {
        tips.add(hex(((List<Object>) perBlock).get(0)));
      }
      assertEquals(
          List.of(1L, 7L, 3L, 5L).stream().map(t -> GWEI.multiply(BigInteger.valueOf(t))).toList(),
          tips,
          "each block holds one transfer: its 50th percentile reward is its tip");
      assertEquals(hex(baseFees.get(baseFees.size() - 1)), estimate.baseFeeWei());
      // The tips 1, 7, 3, 5 sorted are 1, 3, 5, 7: the lower median is 3 gwei.
      assertEquals(GWEI.multiply(BigInteger.valueOf(3)), estimate.priorityFeeWei());
      assertEquals("eth_feeHistory", estimate.method());
      assertEquals(chain.blockNumber(), estimate.newestBlock());
      // The base fee follows the EIP-1559 rule from the 40 gwei the test set: four blocks of 21,000
      // gas (far below the target) lower it by a little under 12.5% each.
      BigInteger expected = GWEI.multiply(BigInteger.valueOf(40));
      for (int i = 0; i < 4; i++) {
        BigInteger target = BigInteger.valueOf(30_000_000 / 2);
        BigInteger delta =
            expected
                .multiply(target.subtract(BigInteger.valueOf(21_000)))
                .divide(target)
                .divide(BigInteger.valueOf(8));
        expected = expected.subtract(delta);
      }
      assertEquals(expected, estimate.baseFeeWei(), "next base fee by the EIP-1559 rule");
      assertEquals(estimate.baseFeeWei().add(estimate.priorityFeeWei()), estimate.gasPriceWei());
    }
  }

  @Test
  void aNodeWithoutFeeHistoryIsAskedItsGasPrice() throws Exception {
    try (HttpStandIn node = new HttpStandIn();
        RpcClient rpc = new RpcClient(node.uri().toString(), Duration.ofSeconds(5), 100)) {
      node.then(
          HttpStandIn.Answer.ok(
              "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32601,\"message\":\"the method"
                  + " eth_feeHistory does not exist\"}}"));
      node.then(HttpStandIn.Answer.ok("{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":\"0x2540be400\"}"));
      node.then(HttpStandIn.Answer.ok("{\"jsonrpc\":\"2.0\",\"id\":3,\"result\":\"0x10\"}"));
      FeeEstimate estimate = new FeeEstimator(4, 50).estimate(rpc);
      assertEquals(
          new FeeEstimate(16, BigInteger.valueOf(10_000_000_000L), BigInteger.ZERO, "eth_gasPrice"),
          estimate);
    }
  }

  @Test
  void anEmptyHistoryAndNoGasPriceIsAClearError() throws Exception {
    try (HttpStandIn node = new HttpStandIn();
        RpcClient rpc = new RpcClient(node.uri().toString(), Duration.ofSeconds(5), 100)) {
      node.then(
          HttpStandIn.Answer.ok(
              "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"oldestBlock\":\"0x0\",\"baseFeePerGas\":[],"
                  + "\"gasUsedRatio\":[],\"reward\":[]}}"));
      node.then(
          HttpStandIn.Answer.ok(
              "{\"jsonrpc\":\"2.0\",\"id\":2,\"error\":{\"code\":-32000,\"message\":\"busy\"}}"));
      IOException e = assertThrows(IOException.class, () -> new FeeEstimator(4, 50).estimate(rpc));
      assertEquals(
          "eth_feeHistory: no baseFeePerGas (a chain without EIP-1559?); eth_gasPrice: busy",
          e.getMessage());
    }
  }

  @Test
  void rewardsThatDoNotMatchTheBlocksAreRefused() throws Exception {
    try (HttpStandIn node = new HttpStandIn();
        RpcClient rpc = new RpcClient(node.uri().toString(), Duration.ofSeconds(5), 100)) {
      node.then(
          HttpStandIn.Answer.ok(
              "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"oldestBlock\":\"0x5\",\"baseFeePerGas\":"
                  + "[\"0x1\",\"0x2\",\"0x3\"],\"gasUsedRatio\":[0.1,0.2],\"reward\":[[\"0x1\"]]}}"));
      node.then(
          HttpStandIn.Answer.ok(
              "{\"jsonrpc\":\"2.0\",\"id\":2,\"error\":{\"code\":-32000,\"message\":\"busy\"}}"));
      IOException e = assertThrows(IOException.class, () -> new FeeEstimator(2, 50).estimate(rpc));
      assertEquals("eth_feeHistory: 1 rewards for 2 blocks; eth_gasPrice: busy", e.getMessage());
    }
  }
}
