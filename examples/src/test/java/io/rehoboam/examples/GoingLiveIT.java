package io.rehoboam.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rehoboam.testsupport.AnvilNode;
import io.rehoboam.testsupport.ArbitrageWorld;
import io.rehoboam.testsupport.BundleRelay;
import io.rehoboam.testsupport.ChainClient;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;
import org.web3j.crypto.WalletUtils;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.utils.Numeric;

/**
 * The README's "Going live" lines as written, against anvil with the real Uniswap V2 contracts
 * (WETH as the start token, a planted cross-venue dislocation) and {@link BundleRelay} as the
 * chain's block builder. The test sets only what the section asks for (an RPC URL, a keystore of an
 * account holding ether and nothing else, a searcher key, a relay URL, and anvil's factory
 * addresses for discovery); then the CLI lines run in bash (deploy the executor from the keystore
 * account, wrap ether, approve the executor, preflight), each server line starts the shipped jar
 * and each curl line runs in bash. The pools are discovered from the factories. Paper executions
 * are simulated and sign nothing; live ones land as bundles and realize exactly the predicted
 * profit, the builder paid from it (anvil runs with a base fee of 0, so the fee estimate and gas
 * are 0).
 */
class GoingLiveIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MARKER = "<!-- going-live:";
  private static final Pattern ASSIGNMENT = Pattern.compile("^([A-Z_]+)=(\\S+)\\s+");
  private static final Pattern FUNCTION = Pattern.compile("^\\w+\\(\\) \\{.*\\}$");
  private static final String COINBASE = "0x00000000000000000000000000000000000c0ffe";

  @TempDir Path dir;

  private AnvilNode node;
  private ChainClient deployer;
  private ChainClient trader;
  private BundleRelay relay;
  private ServerProcess server;

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.stop();
    }
    if (relay != null) {
      relay.close();
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

  @Test
  void theGoingLiveSectionRunsAsWrittenFromPaperToALiveBundle() throws Exception {
    node = AnvilNode.start();
    deployer = ChainClient.connect(node, 0);
    trader = ChainClient.connect(node, 1);
    // WETH at mainnet's address, as the configuration names it
    ArbitrageWorld world =
        ArbitrageWorld.deployWrappedNativeBase(
            deployer, "0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2");
    deployer.rpc("anvil_setCoinbase", COINBASE);
    String keystore =
        WalletUtils.generateWalletFile(
            "keystore-pass",
            ECKeyPair.create(Numeric.toBigInt(node.privateKeys().get(1))),
            dir.toFile(),
            false);
    relay = BundleRelay.start(node.rpcUrl());
    relay.buildEvery(Duration.ofMillis(200));

    // The environment the section asks for: no executor, no WETH, no allowance, no pool list.
    Map<String, String> env = new HashMap<>();
    env.put("RPC_URL", node.rpcUrl());
    env.put("CHAIN_ID", "31337");
    env.put("REHOBOAM_KEYSTORE", dir.resolve(keystore).toString());
    env.put("REHOBOAM_KEYSTORE_PASSWORD", "keystore-pass");
    env.put("REHOBOAM_SEARCHER_KEY", node.privateKeys().get(2));
    env.put("RELAY_URL", relay.url());
    // anvil's factories are not at mainnet's addresses: discovery is given them, from block 0
    env.put("UNISWAP_V2_FACTORY", world.dexA().factory());
    env.put("SUSHISWAP_FACTORY", world.dexB().factory());
    env.put("DISCOVERY_FROM_BLOCK", "0");
    env.put(
        "PATH",
        Path.of(System.getProperty("java.home"), "bin") + ":" + System.getenv().get("PATH"));

    Path root = Path.of("").toAbsolutePath().getParent();
    List<String> lines = readmeLines(root);
    assertTrue(lines.get(0).startsWith("mvn "), "the section builds the jar first: " + lines);
    BigInteger wethBefore = trader.balanceOf(world.base(), trader.address());
    assertEquals(BigInteger.ZERO, wethBefore, "the account starts without WETH");
    BigInteger coinbaseBefore = coinbase();
    BigInteger nonceBefore = null;
    BigInteger wethWrapped = null;
    StringBuilder functions = new StringBuilder();
    List<String> cli = new ArrayList<>();
    int servers = 0;
    for (String line : lines.subList(1, lines.size())) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      if (FUNCTION.matcher(line).matches()) {
        functions.append(line).append('\n');
        continue;
      }
      if (line.contains("java -jar examples/target/rehoboam-server.jar")) {
        if (server != null) {
          server.stop(); // Ctrl+C
        }
        if (nonceBefore == null) {
          nonceBefore = nonce();
          wethWrapped = trader.balanceOf(world.base(), trader.address());
          assertTrue(wethWrapped.signum() > 0, "the section wrapped ether into WETH");
        }
        server = startServer(line, env);
        servers++;
        if (servers == 1) {
          JsonNode paper = awaitExecution("simulated");
          assertEquals("paper", paper.path("mode").asText(), paper.toString());
          assertEquals(nonceBefore, nonce(), "paper signs nothing");
          // the dislocation was found between the two pools discovery found
          String opportunities = server.get("/api/arbitrage/opportunities?limit=50").body();
          assertTrue(opportunities.contains(world.baseUsdA()), opportunities);
          assertTrue(opportunities.contains(world.baseUsdB()), opportunities);
        } else {
          awaitExecution("confirmed");
        }
        continue;
      }
      if (line.startsWith("curl ")) {
        String port = String.valueOf(server.base().getPort());
        String out = bash(root, env, "", line.replace("localhost:8000", "127.0.0.1:" + port));
        assertTrue(JSON.readTree(out).path("executions").size() > 0, line + "\n" + out);
        continue;
      }
      // a CLI line (or an export of what it prints), in bash with the functions defined so far;
      // the variables it exports are kept for the following lines
      assertTrue(line.contains("rehoboam "), line);
      assertEquals(0, servers, "the chain tools come before the servers: " + line);
      cli.add(line);
      Path exported = dir.resolve("env-" + cli.size());
      bash(root, env, functions.toString(), line + "\nenv -0 > " + exported);
      for (String entry : Files.readString(exported).split("\0")) {
        int eq = entry.indexOf('=');
        if (eq > 0 && entry.startsWith("REHOBOAM_")) {
          env.put(entry.substring(0, eq), entry.substring(eq + 1));
        }
      }
    }
    assertTrue(
        cli.stream().anyMatch(l -> l.contains("deploy-executor"))
            && cli.stream().anyMatch(l -> l.contains(" wrap "))
            && cli.stream().anyMatch(l -> l.contains(" approve "))
            && cli.stream().anyMatch(l -> l.contains(" preflight ")),
        "the section deploys, wraps, approves and checks with the CLI: " + cli);
    String contract = env.get("REHOBOAM_EXECUTOR");
    assertTrue(contract != null && contract.matches("0x[0-9a-f]{40}"), "exported: " + contract);
    assertTrue(
        trader
                .web3j()
                .ethGetCode(contract, DefaultBlockParameterName.LATEST)
                .send()
                .getCode()
                .length()
            > 1_000,
        "the executor is deployed from the keystore account");
    assertEquals(2, servers);

    // Every confirmed execution realized exactly what it predicted, from the account's balance,
    // net of the builder's payment, which the builder received.
    server.stop();
    server = null;
    BigInteger realized = BigInteger.ZERO;
    BigInteger paid = BigInteger.ZERO;
    int confirmed = 0;
    for (JsonNode e : executionsOf(env)) {
      if (e.path("status").asText().equals("confirmed")) {
        // expected_profit is the opportunity's prediction as recorded before the execution; the
        // executor takes the builder's half of it, to the wei, and the rest is realized.
        BigInteger expected = new BigInteger(e.path("expected_profit").asText());
        BigInteger payment = expected.divide(BigInteger.TWO);
        assertEquals(
            expected.subtract(payment),
            new BigInteger(e.path("realized_profit").asText()),
            e.toString());
        realized = realized.add(expected.subtract(payment));
        paid = paid.add(payment);
        confirmed++;
      }
    }
    assertTrue(confirmed > 0);
    assertEquals(
        realized,
        trader.balanceOf(world.base(), trader.address()).subtract(wethWrapped),
        "the account's WETH grew by the realized profits, from what the section wrapped");
    assertEquals(paid, coinbase().subtract(coinbaseBefore), "the builder was paid its share");
    assertEquals(nonceBefore.add(BigInteger.valueOf(confirmed)), nonce(), "one transaction each");
    assertTrue(relay.requests("eth_sendBundle").size() >= 3 * confirmed);
    String searcher =
        "0x" + Keys.getAddress(ECKeyPair.create(Numeric.toBigInt(node.privateKeys().get(2))));
    // preflight asked the relay once, unsigned (eth_blockNumber: is it there?); every bundle
    // request came signed by the searcher identity
    assertEquals(
        1,
        relay.requests().stream().filter(r -> r.method().equals("eth_blockNumber")).count(),
        "the preflight's probe: " + relay.requests());
    List<BundleRelay.Request> bundles =
        relay.requests().stream().filter(r -> !r.method().equals("eth_blockNumber")).toList();
    assertTrue(bundles.size() >= 3 * confirmed, bundles.toString());
    assertTrue(bundles.stream().allMatch(r -> searcher.equals(r.signer())), bundles.toString());
  }

  /** Runs {@code script} in bash from the repository root, after {@code prelude}; its output. */
  private static String bash(Path root, Map<String, String> env, String prelude, String script)
      throws Exception {
    ProcessBuilder b =
        new ProcessBuilder("bash", "-c", "set -e\n" + prelude + script)
            .directory(root.toFile())
            .redirectErrorStream(true);
    b.environment().putAll(env);
    Process p = b.start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(2, TimeUnit.MINUTES), script);
    assertEquals(0, p.exitValue(), script + "\n" + out);
    return out;
  }

  private List<JsonNode> executionsOf(Map<String, String> env) throws Exception {
    ServerProcess reader =
        ServerProcess.start(
            List.of("-Xmx512m"),
            List.of(
                "--config",
                "examples/going-live.yaml",
                "--data-dir",
                dir.resolve("data").toString()),
            env);
    try {
      JsonNode page = reader.json(reader.get("/api/arbitrage/executions?bot_id=trader&limit=1000"));
      List<JsonNode> out = new ArrayList<>();
      page.path("executions").forEach(out::add);
      return out;
    } finally {
      reader.stop();
    }
  }

  private ServerProcess startServer(String line, Map<String, String> env) throws Exception {
    Map<String, String> withAssignments = new HashMap<>(env);
    String rest = line;
    Matcher m;
    while ((m = ASSIGNMENT.matcher(rest)).find()) {
      withAssignments.put(m.group(1), m.group(2));
      rest = rest.substring(m.end());
    }
    String jar = "java -jar examples/target/rehoboam-server.jar";
    assertTrue(rest.startsWith(jar), line);
    List<String> args = new ArrayList<>();
    for (String a : rest.substring(jar.length()).trim().split("\\s+")) {
      // the data directory lives in the test's temporary directory
      args.add(a.equals("rehoboam-live") ? dir.resolve("data").toString() : a);
    }
    assertTrue(args.contains(dir.resolve("data").toString()), line);
    return ServerProcess.start(List.of("-Xmx512m"), args, withAssignments);
  }

  private JsonNode awaitExecution(String status) throws Exception {
    long deadline = System.nanoTime() + ServerProcess.START_TIMEOUT.toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      last = server.json(server.get("/api/arbitrage/executions?bot_id=trader&status=" + status));
      if (last.path("executions").size() > 0) {
        return last.path("executions").get(0);
      }
      // a condition polled, not a fixed wait: blocks come every 200 ms
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
    }
    throw new AssertionError(
        "no "
            + status
            + " execution; last page: "
            + last
            + "; all: "
            + server.get("/api/arbitrage/executions?limit=20").body()
            + "; opportunities: "
            + server.get("/api/arbitrage/opportunities?limit=3").body()
            + "; bots: "
            + server.get("/api/arbitrage/bots").body()
            + "; health: "
            + server.get("/api/arbitrage/health").body()
            + "; stderr: "
            + server.stderr());
  }

  private BigInteger nonce() throws Exception {
    return trader
        .web3j()
        .ethGetTransactionCount(trader.address(), DefaultBlockParameterName.LATEST)
        .send()
        .getTransactionCount();
  }

  private BigInteger coinbase() throws Exception {
    return trader
        .web3j()
        .ethGetBalance(COINBASE, DefaultBlockParameterName.LATEST)
        .send()
        .getBalance();
  }

  private static List<String> readmeLines(Path root) throws Exception {
    String readme = Files.readString(root.resolve("README.md"));
    int marker = readme.indexOf(MARKER);
    assertTrue(marker >= 0, "README has the going-live block");
    int start = readme.indexOf("```bash\n", marker) + "```bash\n".length();
    int end = readme.indexOf("```", start);
    return readme.substring(start, end).lines().toList();
  }
}
