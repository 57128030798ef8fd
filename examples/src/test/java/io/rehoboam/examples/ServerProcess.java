package io.rehoboam.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged standalone server ({@code examples/target/rehoboam-server.jar}) run as a separate
 * JVM on a free port, with its stdout read line by line and its stderr in a file.
 */
final class ServerProcess {
  static final Duration START_TIMEOUT = Duration.ofMinutes(3);
  static final Duration WAIT = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern LISTENING =
      Pattern.compile("Rehoboam server listening on (http://127\\.0\\.0\\.1:\\d+)");

  private final Process process;
  private final Path stderr;
  private final BlockingQueue<String> stdout = new LinkedBlockingQueue<>();
  private final HttpClient http = HttpClient.newHttpClient();
  private URI base;

  private ServerProcess(Process process, Path stderr) {
    this.process = process;
    this.stderr = stderr;
  }

  /** Starts the server jar with these JVM options and server arguments (plus a free port). */
  static ServerProcess start(List<String> jvmOptions, List<String> arguments) throws Exception {
    return start(jvmOptions, arguments, java.util.Map.of());
  }

  /** {@link #start(List, List)} with these variables added to the server's environment. */
  static ServerProcess start(
      List<String> jvmOptions, List<String> arguments, java.util.Map<String, String> env)
      throws Exception {
    Path root = Path.of("").toAbsolutePath().getParent();
    assertTrue(Files.exists(root.resolve("README.md")), "README.md in " + root);
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-jar");
    command.add(root.resolve("examples/target/rehoboam-server.jar").toString());
    command.addAll(arguments);
    command.add("--port");
    command.add("0");
    Path stderr = Files.createTempFile("rehoboam-server", ".err");
    ProcessBuilder builder =
        new ProcessBuilder(command).directory(root.toFile()).redirectError(stderr.toFile());
    builder.environment().putAll(env);
    Process p = builder.start();
    p.getOutputStream().close();
    ServerProcess server = new ServerProcess(p, stderr);
    server.readLines();
    server.base = URI.create(server.awaitLine(LISTENING, START_TIMEOUT).group(1));
    return server;
  }

  Process process() {
    return process;
  }

  URI base() {
    return base;
  }

  String stderr() throws IOException {
    return Files.readString(stderr);
  }

  private void readLines() {
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

  Matcher awaitLine(Pattern pattern, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<String> seen = new ArrayList<>();
    while (true) {
      String line = stdout.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (line == null) {
        String err = stderr();
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
                + (err.length() <= 4000 ? err : err.substring(err.length() - 4000)));
      }
      seen.add(line);
      Matcher m = pattern.matcher(line);
      if (m.find()) {
        return m;
      }
    }
  }

  /** Waits until the server's log (stderr) has a line matching {@code pattern}. */
  void awaitLog(Pattern pattern, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!pattern.matcher(stderr()).find()) {
      if (System.nanoTime() > deadline) {
        String err = stderr();
        throw new AssertionError(
            "no log line matching "
                + pattern
                + " within "
                + timeout
                + "; stderr: "
                + (err.length() <= 4000 ? err : err.substring(err.length() - 4000)));
      }
      java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
    }
  }

  /** GET path: the status and the body. */
  HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(base.resolve(path)).timeout(WAIT).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** POST path with a JSON body. */
  HttpResponse<String> post(String path, String json) throws Exception {
    return http.send(
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(WAIT)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  JsonNode json(HttpResponse<String> response) throws IOException {
    return JSON.readTree(response.body());
  }

  /** kill -9: the server gets no chance to stop anything. */
  void killHard() throws InterruptedException {
    process.destroyForcibly();
    assertTrue(process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), "the server did not die");
  }

  /** SIGTERM and wait for the exit (forcibly after WAIT). */
  void stop() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS);
      }
    }
  }
}
