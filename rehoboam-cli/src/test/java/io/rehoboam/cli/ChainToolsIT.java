package io.rehoboam.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rehoboam.testsupport.AnvilNode;
import io.rehoboam.testsupport.ChainClient;
import io.rehoboam.testsupport.HttpStandIn;
import io.rehoboam.testsupport.UniswapV2;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.WalletUtils;
import org.web3j.protocol.core.DefaultBlockParameterName;

/** {@code rehoboam deploy-executor} and {@code rehoboam preflight} against anvil. */
class ChainToolsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static AnvilNode node;
  private static ChainClient chain;

  @TempDir Path dir;

  @BeforeAll
  static void start() {
    node = AnvilNode.start(AnvilNode.Options.defaults().withAccounts(5));
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

  private record Run(int code, String out, String err) {}

  private static Run rehoboam(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Rehoboam.run(args, new PrintWriter(out), new PrintWriter(err), env);
    return new Run(code, out.toString(), err.toString());
  }

  private static Map<String, String> keyOf(int account) {
    return Map.of("REHOBOAM_PRIVATE_KEY", node.privateKeys().get(account));
  }

  private static String code(String address) throws Exception {
    return chain.web3j().ethGetCode(address, DefaultBlockParameterName.LATEST).send().getCode();
  }

  @Test
  void deployExecutorPrintsTheAddressOfTheDeployedContract() throws Exception {
    Run run =
        rehoboam(keyOf(1), "deploy-executor", "--rpc-url", node.rpcUrl(), "--chain-id", "31337");
    assertEquals(0, run.code(), run.err());
    String address = run.out().trim();
    assertTrue(address.matches("0x[0-9a-f]{40}"), run.out());
    assertTrue(code(address).length() > 1_000, "the executor's code is on chain");
    assertTrue(run.err().contains("by " + node.addresses().get(1)), run.err());

    Run json = rehoboam(keyOf(1), "--json", "deploy-executor", "--rpc-url", node.rpcUrl());
    assertEquals(0, json.code(), json.err());
    JsonNode d = JSON.readTree(json.out());
    assertEquals(31337, d.get("chain_id").asLong());
    assertEquals(node.addresses().get(1), d.get("deployer").asText());
    assertTrue(code(d.get("address").asText()).length() > 1_000);
    assertEquals(
        d.get("address").asText(),
        chain
            .web3j()
            .ethGetTransactionReceipt(d.get("tx_hash").asText())
            .send()
            .getTransactionReceipt()
            .orElseThrow()
            .getContractAddress());
  }

  @Test
  void deployExecutorFromAnEncryptedKeystore() throws Exception {
    Credentials account = Credentials.create(node.privateKeys().get(2));
    String file =
        WalletUtils.generateWalletFile("s3cret", account.getEcKeyPair(), dir.toFile(), false);
    Map<String, String> env = Map.of("REHOBOAM_KEYSTORE_PASSWORD", "s3cret");
    Run run =
        rehoboam(
            env,
            "deploy-executor",
            "--rpc-url",
            node.rpcUrl(),
            "--keystore",
            dir.resolve(file).toString());
    assertEquals(0, run.code(), run.err());
    assertTrue(run.err().contains("by " + node.addresses().get(2)), run.err());

    Run wrong =
        rehoboam(
            Map.of("REHOBOAM_KEYSTORE_PASSWORD", "guess"),
            "deploy-executor",
            "--rpc-url",
            node.rpcUrl(),
            "--keystore",
            dir.resolve(file).toString());
    assertEquals(Rehoboam.EXIT_USAGE, wrong.code());
    assertEquals(
        "rehoboam: --keystore: cannot be decrypted with the password in"
            + " REHOBOAM_KEYSTORE_PASSWORD",
        wrong.err().trim());
    assertTrue(!wrong.err().contains("guess"));
  }

  @Test
  void deployExecutorErrorsAreClear() throws Exception {
    Run noKey = rehoboam(Map.of(), "deploy-executor", "--rpc-url", node.rpcUrl());
    assertEquals(Rehoboam.EXIT_USAGE, noKey.code());
    assertEquals(
        "rehoboam: no account: set REHOBOAM_PRIVATE_KEY to the private key, or give --keystore",
        noKey.err().trim());

    Run badKey =
        rehoboam(
            Map.of("REHOBOAM_PRIVATE_KEY", "0x1234"),
            "deploy-executor",
            "--rpc-url",
            node.rpcUrl());
    assertEquals(Rehoboam.EXIT_USAGE, badKey.code());
    assertTrue(badKey.err().contains("expected a private key of 32 bytes of hex"), badKey.err());
    assertTrue(!badKey.err().contains("1234"));

    Run wrongChain =
        rehoboam(keyOf(1), "deploy-executor", "--rpc-url", node.rpcUrl(), "--chain-id", "1");
    assertEquals(Rehoboam.EXIT_USAGE, wrongChain.code());
    assertEquals(
        "rehoboam: --chain-id: expected 1 but the node at " + node.rpcUrl() + " is on 31337",
        wrongChain.err().trim());

    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Run down =
        rehoboam(
            keyOf(1), "deploy-executor", "--rpc-url", "http://127.0.0.1:" + port + "/v2/secret");
    assertEquals(Rehoboam.EXIT_FAILED, down.code());
    assertTrue(
        down.err().startsWith("rehoboam: node http://127.0.0.1:" + port + " unreachable"),
        down.err());
    assertTrue(!down.err().contains("secret"), "the URL's path is not shown");

    Run noUrl = rehoboam(keyOf(1), "deploy-executor");
    assertEquals(Rehoboam.EXIT_USAGE, noUrl.code());
    assertEquals(
        "rehoboam: --rpc-url: give the node's URL (or set REHOBOAM_RPC_URL)", noUrl.err().trim());
  }

  @Test
  void preflightPassesWhenTheAccountIsReadyAndNamesEveryFailure() throws Exception {
    Run deployed = rehoboam(keyOf(0), "deploy-executor", "--rpc-url", node.rpcUrl());
    assertEquals(0, deployed.code(), deployed.err());
    String executor = deployed.out().trim();
    String token = UniswapV2.deployToken(chain, BigInteger.TEN.pow(30));
    chain.approve(token, executor, BigInteger.TWO.pow(255));
    try (HttpStandIn relay = new HttpStandIn()) {
      Map<String, String> env = new HashMap<>(keyOf(0));
      env.put("REHOBOAM_RPC_URL", node.rpcUrl());
      Run ok =
          rehoboam(
              env,
              "preflight",
              "--chain-id",
              "31337",
              "--executor",
              executor,
              "--token",
              token,
              "--relay",
              relay.uri().toString());
      assertEquals(0, ok.code(), ok.out() + ok.err());
      assertTrue(ok.out().contains("preflight passed on chain 31337"), ok.out());
      for (String check :
          List.of(
              "chain_id",
              "fee_estimate",
              "native_balance",
              "executor_code",
              "token_balance " + token,
              "allowance " + token,
              "relay http://127.0.0.1:")) {
        assertTrue(ok.out().contains(check), check + " in " + ok.out());
      }
      assertEquals(1, relay.requests.size(), "the relay was asked once");

      // Another account: no allowance, no tokens; an address without code; a relay that is gone.
      int port;
      try (ServerSocket s = new ServerSocket(0)) {
        port = s.getLocalPort();
      }
      Run failed =
          rehoboam(
              Map.of("REHOBOAM_RPC_URL", node.rpcUrl()),
              "--json",
              "preflight",
              "--account",
              node.addresses().get(2),
              "--executor",
              "0x000000000000000000000000000000000000dead",
              "--token",
              token,
              "--relay",
              "http://127.0.0.1:" + port);
      assertEquals(Rehoboam.EXIT_FAILED, failed.code(), failed.err());
      JsonNode report = JSON.readTree(failed.out());
      assertTrue(!report.get("ok").asBoolean());
      assertEquals(31337, report.get("chain_id").asLong());
      assertEquals("eth_feeHistory", report.path("fees").path("method").asText());
      Map<String, Boolean> checks = new HashMap<>();
      report
          .get("checks")
          .forEach(c -> checks.put(c.get("name").asText(), c.get("ok").asBoolean()));
      assertEquals(true, checks.get("chain_id"));
      assertEquals(true, checks.get("native_balance"));
      assertEquals(false, checks.get("executor_code"));
      assertEquals(false, checks.get("token_balance " + token));
      assertEquals(false, checks.get("allowance " + token));
      assertEquals(false, checks.get("relay http://127.0.0.1:" + port));
    }

    Run badAddress =
        rehoboam(Map.of(), "preflight", "--rpc-url", node.rpcUrl(), "--executor", "0x12");
    assertEquals(Rehoboam.EXIT_USAGE, badAddress.code());
    assertEquals(
        "rehoboam: --executor: expected an address (0x and 40 hex digits)",
        badAddress.err().trim());
  }

  @Test
  void wrapAndApproveMakeTheAccountReadyToTradeWeth() throws Exception {
    String weth = UniswapV2.deployWeth(chain);
    Run deployed = rehoboam(keyOf(3), "deploy-executor", "--rpc-url", node.rpcUrl());
    assertEquals(0, deployed.code(), deployed.err());
    String executor = deployed.out().trim();
    String account = node.addresses().get(3);
    BigInteger etherBefore = balance(account);

    Run wrap =
        rehoboam(
            keyOf(3),
            "wrap",
            "--rpc-url",
            node.rpcUrl(),
            "--chain-id",
            "31337",
            "--token",
            weth,
            "--amount",
            "1.5");
    assertEquals(0, wrap.code(), wrap.err());
    assertTrue(wrap.out().startsWith("wrapped 1500000000000000000 wei on chain 31337"), wrap.out());
    BigInteger wrapped = new BigInteger("1500000000000000000");
    assertEquals(wrapped, chain.balanceOf(weth, account));
    assertTrue(etherBefore.subtract(balance(account)).compareTo(wrapped) >= 0, "ether went in");

    assertEquals(BigInteger.ZERO, allowance(weth, account, executor));
    Run approve =
        rehoboam(
            keyOf(3),
            "approve",
            "--rpc-url",
            node.rpcUrl(),
            "--token",
            weth,
            "--executor",
            executor);
    assertEquals(0, approve.code(), approve.err());
    assertTrue(approve.out().startsWith("approved " + executor + " for unlimited"), approve.out());
    assertEquals(
        BigInteger.TWO.pow(256).subtract(BigInteger.ONE), allowance(weth, account, executor));

    Run some =
        rehoboam(
            keyOf(3),
            "--json",
            "approve",
            "--rpc-url",
            node.rpcUrl(),
            "--token",
            weth,
            "--executor",
            executor,
            "--amount",
            "5");
    assertEquals(0, some.code(), some.err());
    assertEquals("5", JSON.readTree(some.out()).get("allowance").asText());
    assertEquals(BigInteger.valueOf(5), allowance(weth, account, executor));

    // a preflight of the account for WETH now passes
    Run ok =
        rehoboam(
            keyOf(3),
            "preflight",
            "--rpc-url",
            node.rpcUrl(),
            "--executor",
            executor,
            "--token",
            weth);
    assertEquals(0, ok.code(), ok.out() + ok.err());
  }

  @Test
  void wrapAndApproveRefuseBadInputBeforeSendingAnything() throws Exception {
    String weth = UniswapV2.deployWeth(chain);
    String account = node.addresses().get(4);
    BigInteger nonce = nonce(account);
    Map<String, String> env = new HashMap<>(keyOf(4));
    env.put("REHOBOAM_RPC_URL", node.rpcUrl());
    Map<String, String> expected = new java.util.LinkedHashMap<>();
    expected.put("0", "rehoboam: --amount: must be more than 0 ether, was 0");
    expected.put("-1", "rehoboam: --amount: must be more than 0 ether, was -1");
    expected.put("lots", "rehoboam: --amount: expected a number of ether, was lots");
    expected.put(
        "0.0000000000000000001",
        "rehoboam: --amount: more than 18 decimals (finer than a wei), was 0.0000000000000000001");
    for (var e : expected.entrySet()) {
      Run bad = rehoboam(env, "wrap", "--token", weth, "--amount", e.getKey());
      assertEquals(Rehoboam.EXIT_USAGE, bad.code(), bad.err());
      assertEquals(e.getValue(), bad.err().trim());
    }
    Run badToken = rehoboam(env, "wrap", "--token", "0x12", "--amount", "1");
    assertEquals(Rehoboam.EXIT_USAGE, badToken.code());
    assertEquals(
        "rehoboam: --token: expected an address (0x and 40 hex digits)", badToken.err().trim());
    Run noCode =
        rehoboam(
            env, "wrap", "--token", "0x000000000000000000000000000000000000dead", "--amount", "1");
    assertEquals(Rehoboam.EXIT_USAGE, noCode.code());
    assertEquals(
        "rehoboam: --token: no contract at 0x000000000000000000000000000000000000dead on chain"
            + " 31337",
        noCode.err().trim());
    Run badExecutor = rehoboam(env, "approve", "--token", weth, "--executor", "0xabc");
    assertEquals(Rehoboam.EXIT_USAGE, badExecutor.code());
    assertEquals(
        "rehoboam: --executor: expected an address (0x and 40 hex digits)",
        badExecutor.err().trim());
    Run badAmount =
        rehoboam(env, "approve", "--token", weth, "--executor", weth, "--amount", "1.5");
    assertEquals(Rehoboam.EXIT_USAGE, badAmount.code());
    assertEquals(
        "rehoboam: --amount: expected a whole number of base units, was 1.5",
        badAmount.err().trim());
    Run tooMuch =
        rehoboam(
            env,
            "approve",
            "--token",
            weth,
            "--executor",
            weth,
            "--amount",
            BigInteger.TWO.pow(256).toString());
    assertEquals(Rehoboam.EXIT_USAGE, tooMuch.code());
    assertEquals(
        "rehoboam: --amount: must be a whole number from 0 to 2^256 - 1", tooMuch.err().trim());
    Run noAccount =
        rehoboam(
            Map.of("REHOBOAM_RPC_URL", node.rpcUrl()), "wrap", "--token", weth, "--amount", "1");
    assertEquals(Rehoboam.EXIT_USAGE, noAccount.code());
    // more ether than the account holds: the node refuses, nothing is sent
    Run broke = rehoboam(env, "wrap", "--token", weth, "--amount", "1000000000000");
    assertEquals(Rehoboam.EXIT_FAILED, broke.code(), broke.err());
    assertTrue(
        broke.err().startsWith("rehoboam: the node cannot estimate the deposit"), broke.err());
    assertEquals(nonce, nonce(account), "nothing was sent");
    assertEquals(BigInteger.ZERO, chain.balanceOf(weth, account));
  }

  private static BigInteger balance(String account) throws Exception {
    return chain
        .web3j()
        .ethGetBalance(account, DefaultBlockParameterName.LATEST)
        .send()
        .getBalance();
  }

  private static BigInteger nonce(String account) throws Exception {
    return chain
        .web3j()
        .ethGetTransactionCount(account, DefaultBlockParameterName.LATEST)
        .send()
        .getTransactionCount();
  }

  private static BigInteger allowance(String token, String owner, String spender) {
    String data =
        "0xdd62ed3e"
            + "0".repeat(24)
            + owner.substring(2).toLowerCase()
            + "0".repeat(24)
            + spender.substring(2).toLowerCase();
    return new BigInteger(chain.callRaw(token, data).substring(2), 16);
  }

  /** The README's lines, run one by one with the variables a shell would expand. */
  @Test
  void theReadmeLinesRun() throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    String marker = "<!-- chain-tools:";
    String block = readme.substring(readme.indexOf("```bash", readme.indexOf(marker)) + 8);
    block = block.substring(0, block.indexOf("```"));
    String token = UniswapV2.deployToken(chain, BigInteger.TEN.pow(30));
    try (HttpStandIn relay = new HttpStandIn()) {
      Map<String, String> env = new HashMap<>(keyOf(0));
      env.put("RPC_URL", node.rpcUrl());
      env.put("TOKEN", token);
      env.put("RELAY_URL", relay.uri().toString());
      List<Integer> codes = new java.util.ArrayList<>();
      String lastOut = "";
      String jsonOut = "";
      for (String line : block.strip().split("\n")) {
        String assign = null;
        String command = line.strip();
        Matcher m = Pattern.compile("export (\\w+)=\\$\\((.*)\\)").matcher(command);
        if (m.matches()) {
          assign = m.group(1);
          command = m.group(2);
        }
        assertTrue(command.startsWith("rehoboam "), line);
        List<String> args = new java.util.ArrayList<>();
        for (String word : command.substring("rehoboam ".length()).split(" +")) {
          args.add(word.startsWith("$") ? env.get(word.substring(1)) : word);
        }
        Run run = rehoboam(Map.copyOf(env), args.toArray(String[]::new));
        codes.add(run.code());
        lastOut = run.out();
        if (args.get(0).equals("--json")) {
          jsonOut = run.out();
        }
        if (assign != null) {
          env.put(assign, run.out().trim());
        }
      }
      assertEquals(List.of(0, 0, Rehoboam.EXIT_FAILED, 0, 0), codes, lastOut);
      assertTrue(lastOut.contains("preflight passed on chain 31337"), lastOut);
      assertTrue(code(env.get("REHOBOAM_EXECUTOR")).length() > 1_000);
      assertEquals(
          BigInteger.TWO.pow(256).subtract(BigInteger.ONE),
          allowance(token, node.addresses().get(0), env.get("REHOBOAM_EXECUTOR")));
      JsonNode report = JSON.readTree(jsonOut);
      List<String> failed = new java.util.ArrayList<>();
      report
          .get("checks")
          .forEach(
              c -> {
                if (!c.get("ok").asBoolean()) {
                  failed.add(c.get("name").asText());
                }
              });
      assertEquals(List.of("allowance " + token), failed);
    }
  }
}
