package io.rehoboam.bot.process;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rehoboam.bot.process.testing.Processes;
import io.rehoboam.bot.process.testing.Recorder;
import io.rehoboam.core.ArbitrageService;
import io.rehoboam.core.BotRegistration;
import io.rehoboam.core.BotStatus;
import io.rehoboam.core.RestartPolicy;
import io.rehoboam.core.testing.ManualScheduler;
import io.rehoboam.core.testing.MutableClock;
import io.rehoboam.spi.Settings;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A service with the process bot type found by discovery, a recorder of its events, and the check
 * after every test that no process of any bot the test made is still alive.
 */
abstract class ProcessBotFixture {
  protected final Recorder recorder = new Recorder();
  protected ArbitrageService service;
  protected MutableClock clock;
  protected ManualScheduler scheduler;
  private final List<String> botIds = new ArrayList<>();

  /** Whether the engine's clock and timers are driven by the test. */
  protected boolean manualTime() {
    return false;
  }

  private static Map<String, String> withoutOverrides(Map<String, String> env) {
    Map<String, String> out = new java.util.HashMap<>(env);
    out.keySet().removeIf(k -> k.startsWith("ARB_"));
    return out;
  }

  protected ArbitrageService.Builder configure(ArbitrageService.Builder builder) {
    return builder;
  }

  @BeforeEach
  void startService() {
    ArbitrageService.Builder builder =
        ArbitrageService.builder()
            // Programs inherit the service's environment: this JVM's, without any ARB_ override.
            .env(withoutOverrides(System.getenv()))
            .random(() -> 0.5) // no jitter: backoff delays are exact
            .closeTimeout(Duration.ofSeconds(20));
    if (manualTime()) {
      clock = MutableClock.atEpoch();
      scheduler = new ManualScheduler(clock);
      builder.clock(clock).scheduler(scheduler);
    }
    service = configure(builder).build();
    service.subscribe(recorder);
    service.initialize();
  }

  @AfterEach
  void closeServiceAndCheckNothingSurvives() {
    service.close();
    for (String id : botIds) {
      assertEquals(List.of(), Processes.describeBot(id), "processes of bot " + id + " still alive");
    }
  }

  /** A bot id unique to this test run (processes of other runs never match it). */
  protected String newBotId(String name) {
    String id = name + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);
    botIds.add(id);
    return id;
  }

  protected static Path script(String name) {
    URL url = ProcessBotFixture.class.getResource("/bots/" + name);
    if (url == null) {
      throw new AssertionError("no test bot " + name);
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new AssertionError(e);
    }
  }

  /**
   * The real python3 interpreter. {@code python3} on the PATH may be a shim (pyenv) that runs shell
   * processes before it execs Python; the tests count processes, so they run Python itself.
   */
  protected static String pythonExecutable() {
    return PythonHolder.EXECUTABLE;
  }

  private static final class PythonHolder {
    static final String EXECUTABLE = find();

    private static String find() {
      try {
        Process p =
            new ProcessBuilder("python3", "-c", "import sys; print(sys.executable)")
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (p.waitFor() != 0 || out.isEmpty()) {
          throw new AssertionError("python3 is a prerequisite of these tests: " + out);
        }
        return out;
      } catch (IOException e) {
        throw new AssertionError("python3 is a prerequisite of these tests", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  protected static List<String> python(String script, String... args) {
    List<String> command = new ArrayList<>(List.of(pythonExecutable(), script(script).toString()));
    command.addAll(List.of(args));
    return command;
  }

  protected BotStatus register(String id, RestartPolicy policy, Map<String, ?> settings) {
    return service.register(
        new BotRegistration(id, "process", id, false, policy, Settings.of(settings)));
  }

  protected static RestartPolicy policy(
      RestartPolicy.Mode mode,
      int maxRetries,
      Duration backoff,
      Duration startSeconds,
      Duration heartbeatTimeout) {
    return new RestartPolicy(
        mode,
        maxRetries,
        backoff,
        backoff.multipliedBy(8),
        2.0,
        0.2,
        startSeconds,
        heartbeatTimeout,
        Duration.ofSeconds(10),
        Duration.ofSeconds(10));
  }

  protected static RestartPolicy onFailure(int maxRetries) {
    return policy(
        RestartPolicy.Mode.ON_FAILURE,
        maxRetries,
        Duration.ofMillis(100),
        Duration.ofSeconds(5),
        Duration.ZERO);
  }
}
