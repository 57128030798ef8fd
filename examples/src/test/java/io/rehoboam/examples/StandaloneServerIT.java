package io.rehoboam.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The standalone server started as a separate process with the README's command, exactly as written
 * (plus {@code --port} with a free port, so the test never collides with a server on 8000).
 */
class StandaloneServerIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration START_TIMEOUT = Duration.ofMinutes(5);
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Pattern LISTENING =
      Pattern.compile("Rehoboam server listening on (http://127\\.0\\.0\\.1:\\d+)");

  private final List<Process> processes = new ArrayList<>();
  private final BlockingQueue<String> stdout = new LinkedBlockingQueue<>();
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void stopEverything() {
    for (Process p : processes) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
  }

  @Test
  void theReadmeCommandStartsAServerThatFindsOpportunitiesAndStopsOnSigterm() throws Exception {
    Path root = repositoryRoot();
    String command = readmeServerCommand(root);
    int port = freePort();
    Path stderr = Files.createTempFile("rehoboam-server", ".err");

    Process shell =
        new ProcessBuilder(
                "bash",
                "-c",
                command
                    + " --port "
                    + port
                    + " --data-dir "
                    + Files.createTempDirectory("rehoboam-data"))
            .directory(root.toFile())
            .redirectError(stderr.toFile())
            .start();
    processes.add(shell);
    shell.getOutputStream().close();
    readLines(shell);

    URI base = URI.create(awaitLine(LISTENING, START_TIMEOUT, shell, stderr).group(1));
    assertEquals(port, base.getPort());
    String stopHint =
        awaitLine(Pattern.compile("Stop with Ctrl\\+C.*"), WAIT, shell, stderr).group();
    assertTrue(stopHint.contains("kill "), stopHint);

    Events events = Events.connect(URI.create("ws://127.0.0.1:" + port + "/ws/arbitrage"));
    assertEquals("hello", events.next().get("type").asText());
    JsonNode bots = get(base, "/api/arbitrage/bots").get("bots");
    assertEquals(3, bots.size(), bots.toString());
    assertEquals("live_monitor", bots.get(0).get("bot_id").asText());
    assertEquals("real_executor", bots.get(1).get("bot_id").asText());
    assertEquals("layer2_arbitrage", bots.get(2).get("bot_id").asText());
    assertEquals("layer2", bots.get(2).get("type").asText());
    // The seed's third bot runs on the simulated chains and finds cross-layer opportunities.
    JsonNode crossLayer =
        events.await(
            m ->
                m.path("type").asText().equals("opportunity.found")
                    && m.path("bot_id").asText().equals("layer2_arbitrage"));
    assertEquals(
        "cross_layer",
        crossLayer.path("opportunity").path("strategy").asText(),
        crossLayer.toString());
    assertEquals(
        "running", get(base, "/api/arbitrage/bots/layer2_arbitrage").get("status").asText());

    // Opportunities come and go (real_executor trades them away): look each time one is found.
    JsonNode listed = null;
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (listed == null && System.nanoTime() < deadline) {
      JsonNode found =
          events.await(
              m ->
                  m.path("type").asText().equals("opportunity.found")
                      && m.path("bot_id").asText().equals("live_monitor"));
      assertEquals(
          "cross_venue cyclic".contains(found.path("opportunity").path("strategy").asText()), true);
      JsonNode page = get(base, "/api/arbitrage/opportunities?limit=5");
      if (page.get("count").asInt() > 0) {
        listed = page.get("opportunities").get(0);
      }
    }
    assertTrue(listed != null, "no opportunity was listed over HTTP within " + WAIT);
    assertTrue(listed.get("net_profit").isTextual());
    assertFalse(listed.get("legs").isEmpty());

    ProcessHandle server = serverProcess(shell);
    assertTrue(server.destroy(), "SIGTERM sent");

    assertTrue(shell.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), "the server did not exit");
    assertEquals(0, shell.exitValue(), Files.readString(stderr));
    awaitLine(Pattern.compile("Stopped\\."), WAIT, shell, stderr);
    JsonNode stopping =
        events.await(
            m ->
                m.path("type").asText().equals("system")
                    && m.path("kind").asText().equals("stopping"));
    assertTrue(stopping.get("seq").asLong() > 0);
    Events.Closed closed = events.awaitClosed();
    assertEquals(1001, closed.code());
    assertEquals("server shutting down", closed.reason());
  }

  @Test
  void theExampleProcessBotsRunFromTheServersConfigurationOnceSwitchedOn() throws Exception {
    Path root = repositoryRoot();
    // The default configuration with the commented-out process bots switched on, nothing else.
    List<String> lines =
        Files.readAllLines(root.resolve("examples/src/main/resources/rehoboam-server.yaml"));
    List<String> config = new ArrayList<>();
    boolean inProcessBlock = false;
    for (String line : lines) {
      if (line.startsWith("  # - id: python_bot")) {
        inProcessBlock = true;
      } else if (!line.startsWith("  # ")) {
        // the block ends at its blank comment line ("  #") or at the first line of YAML
        inProcessBlock = false;
      }
      config.add(inProcessBlock ? "  " + line.substring(4) : line);
    }
    Path file = Files.createTempFile("rehoboam-process-bots", ".yaml");
    Files.write(file, config);
    int port = freePort();
    Path stderr = Files.createTempFile("rehoboam-server", ".err");
    Process java =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                "examples/target/rehoboam-server.jar",
                "--data-dir",
                Files.createTempDirectory("rehoboam-data").toString(),
                "--config",
                file.toString(),
                "--port",
                Integer.toString(port))
            .directory(root.toFile())
            .redirectError(stderr.toFile())
            .start();
    processes.add(java);
    java.getOutputStream().close();
    readLines(java);
    URI base = URI.create(awaitLine(LISTENING, START_TIMEOUT, java, stderr).group(1));

    for (String bot : List.of("python_bot", "shell_bot")) {
      JsonNode status = null;
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (System.nanoTime() < deadline) {
        status = get(base, "/api/arbitrage/bots/" + bot);
        if (status.get("status").asText().equals("running")
            && status.get("last_activity").isTextual()) {
          break;
        }
        LockSupport.parkNanos(50_000_000L);
      }
      assertEquals("running", status.get("status").asText(), status.toString());
      assertTrue(status.get("process_id").isNumber(), status.toString());
      assertTrue(
          status.get("script_path").asText().contains("examples/process-bots/"), status.toString());
      assertTrue(status.get("last_activity").isTextual(), "it spoke the protocol: " + status);
    }
    long[] children = java.descendants().mapToLong(ProcessHandle::pid).toArray();
    assertTrue(children.length >= 2, "the bots run as child processes");

    assertTrue(java.toHandle().destroy(), "SIGTERM sent");
    assertTrue(java.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), "the server did not exit");
    assertEquals(0, java.exitValue(), Files.readString(stderr));
    for (long pid : children) {
      ProcessHandle.of(pid)
          .ifPresent(p -> assertFalse(p.isAlive(), "bot process " + pid + " left"));
    }
  }

  @Test
  void aBadConfigurationStopsStartUpWithAMessageNamingTheField() throws Exception {
    Path root = repositoryRoot();
    Path config = Files.createTempFile("rehoboam-bad", ".yaml");
    Files.writeString(config, "sources:\n  sim:\n    type: sim\n    pools: many\n");

    Process java =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                root.resolve("examples/target/rehoboam-server.jar").toString(),
                "--data-dir",
                Files.createTempDirectory("rehoboam-data").toString(),
                "--config",
                config.toString())
            .redirectErrorStream(true)
            .start();
    processes.add(java);

    String output = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(java.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS));
    assertEquals(StandaloneServer.EXIT_USAGE, java.exitValue(), output);
    assertTrue(output.contains(config + ": sources.sim: pools"), output);
  }

  @Test
  void aSecondSignalExitsAtOnceWhileTheFirstStillWaits() throws Exception {
    Path root = repositoryRoot();
    // A WebSocket client that reads nothing never answers its close frame, so the graceful
    // shutdown waits close_timeout (two minutes here) for it: the second signal must cut that
    // short.
    Path config = Files.createTempFile("rehoboam-stuck", ".yaml");
    Files.writeString(
        config,
        """
        sources:
          sim: {type: sim, pools: 200}
        bots:
          - {id: live_monitor, type: live_monitor, autostart: true}
        server:
          ws: {close_timeout: 120s}
        """);
    Path stderr = Files.createTempFile("rehoboam-server", ".err");
    Process java =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                root.resolve("examples/target/rehoboam-server.jar").toString(),
                "--data-dir",
                Files.createTempDirectory("rehoboam-data").toString(),
                "--config",
                config.toString(),
                "--port",
                "0")
            .redirectError(stderr.toFile())
            .start();
    processes.add(java);
    readLines(java);
    URI base = URI.create(awaitLine(LISTENING, WAIT, java, stderr).group(1));
    WebSocket stuck =
        HttpClient.newHttpClient()
            .newWebSocketBuilder()
            .buildAsync(
                URI.create("ws://127.0.0.1:" + base.getPort() + "/ws/arbitrage"),
                new WebSocket.Listener() {
                  @Override
                  public void onOpen(WebSocket socket) {
                    // no request(): this client reads nothing
                  }
                })
            .orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS)
            .join();

    Process interrupt = new ProcessBuilder("kill", "-INT", String.valueOf(java.pid())).start();
    assertEquals(0, interrupt.waitFor());
    awaitLine(Pattern.compile("Received SIGINT: shutting down"), WAIT, java, stderr);
    assertTrue(java.toHandle().destroy(), "SIGTERM sent");

    assertTrue(
        java.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), "the second signal did not end it");
    assertEquals(128 + 15, java.exitValue());
    assertTrue(Files.readString(stderr).contains("Received SIGTERM again: exiting now"));
    stuck.abort();
  }

  // ---------------------------------------------------------------- helpers

  /** The repository root: the parent of this module (failsafe runs in the module directory). */
  private static Path repositoryRoot() {
    Path root = Path.of("").toAbsolutePath().getParent();
    assertTrue(Files.exists(root.resolve("README.md")), "README.md in " + root);
    return root;
  }

  /** The command in the README's fenced block after the server-command marker. */
  static String readmeServerCommand(Path root) throws IOException {
    List<String> lines = Files.readAllLines(root.resolve("README.md"));
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith("<!-- server-command")) {
        assertEquals("```bash", lines.get(i + 1), "the marker precedes a bash block");
        return lines.get(i + 2).trim();
      }
    }
    throw new AssertionError("README.md has no server-command marker");
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private void readLines(Process process) {
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                  stdout.add(line);
                }
              } catch (IOException e) {
                stdout.add("<stdout failed: " + e + ">");
              }
            },
            "server-stdout");
    reader.setDaemon(true);
    reader.start();
  }

  private Matcher awaitLine(Pattern pattern, Duration timeout, Process process, Path stderr)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<String> seen = new ArrayList<>();
    while (true) {
      String line = stdout.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (line == null) {
        throw new AssertionError(
            "no line matching "
                + pattern
                + " within "
                + timeout
                + " (alive: "
                + process.isAlive()
                + "); stdout: "
                + seen
                + "; stderr: "
                + tail(Files.readString(stderr)));
      }
      seen.add(line);
      Matcher m = pattern.matcher(line);
      if (m.find()) {
        return m;
      }
    }
  }

  private static String tail(String text) {
    return text.length() <= 4000 ? text : text.substring(text.length() - 4000);
  }

  /** The java process: the shell itself when it exec'd java, else its child. */
  private static ProcessHandle serverProcess(Process shell) {
    if (isServer(shell.toHandle())) {
      return shell.toHandle();
    }
    return shell
        .descendants()
        .filter(StandaloneServerIT::isServer)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no java -jar rehoboam-server.jar process"));
  }

  private static boolean isServer(ProcessHandle p) {
    return p.info()
        .arguments()
        .map(args -> List.of(args).contains("examples/target/rehoboam-server.jar"))
        .orElse(false);
  }

  private JsonNode get(URI base, String path) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(base.resolve(path)).timeout(WAIT).build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
    return JSON.readTree(response.body());
  }

  /** A WebSocket client collecting the server's messages. */
  private static final class Events implements WebSocket.Listener {
    record Closed(int code, String reason) {}

    private final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
    private final CompletableFuture<Closed> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();

    static Events connect(URI uri) {
      Events events = new Events();
      HttpClient.newHttpClient()
          .newWebSocketBuilder()
          .buildAsync(uri, events)
          .orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS)
          .join();
      return events;
    }

    @Override
    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        try {
          messages.add(JSON.readTree(partial.toString()));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        partial.setLength(0);
      }
      socket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket socket, int code, String reason) {
      closed.complete(new Closed(code, reason));
      return null;
    }

    @Override
    public void onError(WebSocket socket, Throwable error) {
      closed.completeExceptionally(error);
    }

    JsonNode next() throws InterruptedException {
      JsonNode m = messages.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
      if (m == null) {
        throw new AssertionError("no WebSocket message within " + WAIT);
      }
      return m;
    }

    JsonNode await(java.util.function.Predicate<JsonNode> match) throws InterruptedException {
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (true) {
        JsonNode m = messages.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (m == null) {
          throw new AssertionError("no matching WebSocket message within " + WAIT);
        }
        if (match.test(m)) {
          return m;
        }
      }
    }

    JsonNode awaitType(String type) throws InterruptedException {
      return await(m -> type.equals(m.path("type").asText()));
    }

    Closed awaitClosed() {
      return closed.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    }
  }
}
