package io.rehoboam.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local anvil node on loopback: started on a free port (or a given one), with dev accounts whose
 * keys are read from anvil's {@code --config-out} file (never hard-coded). Base fee and gas price
 * are zero by default so that balance arithmetic in tests is exact.
 *
 * <p>{@link #close()} stops the process and waits for it; a JVM shutdown hook kills any node a test
 * forgot, so no anvil outlives the test JVM even when a test fails. {@link #stop()} and {@link
 * #restart()} kill and restart the node on the same port with its state ({@code --state}), to test
 * what clients do while the node is away.
 *
 * <p>Threading: one thread drains the node's output (anvil logs every call). Methods are
 * thread-safe.
 */
public final class AnvilNode implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AnvilNode.class);
  private static final Pattern LISTENING = Pattern.compile("Listening on ([0-9.]+):(\\d+)");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> LIVE.forEach(Process::destroyForcibly), "rehoboam-test-anvil-reaper"));
  }

  private final Options options;
  private final Path workDir;
  private final Path configFile;
  private final Path stateFile;
  private volatile Process process;
  private volatile int port;
  private volatile List<String> privateKeys = List.of();
  private volatile List<String> addresses = List.of();

  /** What to start anvil with. */
  public record Options(
      long chainId, int accounts, long balanceEther, boolean zeroFees, boolean keepState) {
    /** Chain 31337, 3 accounts of 1,000,000 ether, zero fees, state kept for restarts. */
    public static Options defaults() {
      return new Options(31337, 3, 1_000_000, true, true);
    }

    public Options withAccounts(int n) {
      return new Options(chainId, n, balanceEther, zeroFees, keepState);
    }
  }

  private AnvilNode(Options options) throws IOException {
    this.options = options;
    this.workDir = Files.createTempDirectory("rehoboam-anvil-");
    this.configFile = workDir.resolve("config.json");
    this.stateFile = workDir.resolve("state.json");
  }

  /** Starts a node with {@link Options#defaults()}. */
  public static AnvilNode start() {
    return start(Options.defaults());
  }

  /** Starts a node on a free loopback port and waits until it listens. */
  public static AnvilNode start(Options options) {
    try {
      AnvilNode node = new AnvilNode(options);
      node.launch(0);
      return node;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private synchronized void launch(int wantedPort) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(ChainTools.anvil().toString());
    cmd.addAll(List.of("--host", "127.0.0.1", "--port", String.valueOf(wantedPort)));
    cmd.addAll(List.of("--chain-id", String.valueOf(options.chainId())));
    cmd.addAll(List.of("--accounts", String.valueOf(options.accounts())));
    cmd.addAll(List.of("--balance", String.valueOf(options.balanceEther())));
    cmd.addAll(List.of("--config-out", configFile.toString()));
    if (options.zeroFees()) {
      cmd.addAll(List.of("--base-fee", "0", "--gas-price", "0"));
    }
    if (options.keepState()) {
      cmd.addAll(List.of("--state", stateFile.toString()));
    }
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    Process p = pb.start();
    LIVE.add(p);
    CompletableFuture<Integer> listening = new CompletableFuture<>();
    Thread drain =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  if (!listening.isDone()) {
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                      listening.complete(Integer.parseInt(m.group(2)));
                    }
                  }
                }
              } catch (IOException e) {
                // the process ended; nothing more to read
              }
              listening.completeExceptionally(
                  new IllegalStateException("anvil exited before listening"));
            },
            "rehoboam-test-anvil-output-" + p.pid());
    drain.setDaemon(true);
    drain.start();
    try {
      port = listening.get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      kill(p);
      throw new IllegalStateException("interrupted while starting anvil", e);
    } catch (ExecutionException | TimeoutException e) {
      kill(p);
      throw new IllegalStateException("anvil did not start: " + e.getMessage(), e);
    }
    process = p;
    readConfig();
    log.info("anvil pid {} listening on 127.0.0.1:{}", p.pid(), port);
  }

  private void readConfig() throws IOException {
    JsonNode config = JSON.readTree(configFile.toFile());
    List<String> keys = new ArrayList<>();
    config.path("private_keys").forEach(k -> keys.add(k.asText()));
    List<String> accounts = new ArrayList<>();
    config.path("available_accounts").forEach(a -> accounts.add(a.asText().toLowerCase()));
    if (keys.isEmpty() || keys.size() != accounts.size()) {
      throw new IllegalStateException("anvil config-out has no usable accounts: " + configFile);
    }
    privateKeys = List.copyOf(keys);
    addresses = List.copyOf(accounts);
  }

  /** The HTTP JSON-RPC URL. */
  public String rpcUrl() {
    return "http://127.0.0.1:" + port;
  }

  /** The WebSocket JSON-RPC URL (anvil serves both on one port). */
  public String wsUrl() {
    return "ws://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  public long chainId() {
    return options.chainId();
  }

  /** The dev accounts' private keys (hex with 0x), in account order. */
  public List<String> privateKeys() {
    return privateKeys;
  }

  /** The dev accounts' addresses, lower-case, in account order. */
  public List<String> addresses() {
    return addresses;
  }

  /** The node's process id, or -1 while it is stopped. */
  public long pid() {
    Process p = process;
    return p == null ? -1 : p.pid();
  }

  public boolean isRunning() {
    Process p = process;
    return p != null && p.isAlive();
  }

  /**
   * Stops the node (SIGTERM; anvil writes its state file on the way out) and waits for it. The port
   * stays reserved for {@link #restart()} only by convention: nothing else should bind it.
   */
  public synchronized void stop() {
    Process p = process;
    process = null;
    if (p != null) {
      kill(p);
    }
  }

  /** Starts the node again on the same port with the state it had when stopped. */
  public synchronized void restart() {
    if (process != null) {
      throw new IllegalStateException("anvil is running; stop it first");
    }
    if (!options.keepState()) {
      throw new IllegalStateException("this node was started without keepState");
    }
    try {
      launch(port);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void kill(Process p) {
    p.destroy();
    try {
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    } finally {
      LIVE.remove(p);
    }
  }

  /** Stops the node and deletes its files. Idempotent. */
  @Override
  public void close() {
    stop();
    if (!Files.exists(workDir)) {
      return;
    }
    try (var files = Files.list(workDir)) {
      for (Path f : files.toList()) {
        Files.deleteIfExists(f);
      }
      Files.deleteIfExists(workDir);
    } catch (IOException e) {
      log.warn("could not delete {}", workDir, e);
    }
  }
}
