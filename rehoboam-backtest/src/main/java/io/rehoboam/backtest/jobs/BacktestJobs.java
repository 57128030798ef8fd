package io.rehoboam.backtest.jobs;

import io.rehoboam.backtest.Backtest;
import io.rehoboam.backtest.report.BacktestReport;
import io.rehoboam.backtest.report.HtmlReport;
import io.rehoboam.core.config.ConfigLoader;
import io.rehoboam.core.config.RehoboamConfig;
import io.rehoboam.spi.Checks;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Backtests run in the background: a request (a configuration, the name of a recording in the
 * recordings directory, a latency) is checked at once, queued, and replayed on one of {@code
 * max_concurrent} threads; its state, progress and, once done, its JSON and HTML reports can be
 * read by id. The public API an HTTP adapter (or anything else) needs; the replay itself is {@link
 * Backtest}.
 *
 * <p>Thread-safe. {@link #close()} stops the threads: queued backtests fail, running ones stop at
 * their next progress step.
 */
public final class BacktestJobs implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(BacktestJobs.class);

  /** A recording name: a plain file name, no directory. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");

  /** Updates between two progress steps of a running backtest. */
  static final long PROGRESS_EVERY = 1_000;

  /**
   * What to backtest.
   *
   * @param config the configuration, as YAML or JSON text (the configuration file's format)
   * @param recording a file name in the recordings directory
   * @param latency the modelled latency; null for none
   */
  public record Request(String config, String recording, Duration latency) {}

  private final class Job {
    final String id;
    final String recording;
    final Path file;
    final RehoboamConfig config;
    final Duration latency;
    final Instant submittedAt;
    volatile String state = BacktestJob.QUEUED;
    volatile double progress;
    volatile long updates;
    volatile Instant startedAt;
    volatile Instant finishedAt;
    volatile List<String> notes = List.of();
    volatile BacktestJob.Error error;
    volatile BacktestReport report;
    volatile String html;

    Job(String id, String recording, Path file, RehoboamConfig config, Duration latency) {
      this.id = id;
      this.recording = recording;
      this.file = file;
      this.config = config;
      this.latency = latency;
      this.submittedAt = clock.instant();
    }

    BacktestJob view() {
      BacktestReport r = report;
      return new BacktestJob(
          id,
          state,
          recording,
          latency.toMillis(),
          progress,
          updates,
          submittedAt,
          startedAt,
          finishedAt,
          notes,
          error,
          r == null ? null : r.json());
    }

    void run() {
      if (closed) {
        fail(new RehoboamException(ErrorCode.SHUTTING_DOWN, "the server stopped"));
        return;
      }
      startedAt = clock.instant();
      state = BacktestJob.RUNNING;
      try {
        Backtest.Result result =
            Backtest.run(
                config,
                file,
                latency,
                null,
                null,
                (n, fraction) -> {
                  if (closed) {
                    throw new RehoboamException(ErrorCode.SHUTTING_DOWN, "the server stopped");
                  }
                  updates = n;
                  progress = fraction;
                },
                PROGRESS_EVERY);
        BacktestReport built = BacktestReport.of(result);
        html = HtmlReport.render(built.json());
        List<String> reportNotes = new ArrayList<>();
        built.json().path("replay").path("notes").forEach(n -> reportNotes.add(n.asText()));
        notes = List.copyOf(reportNotes);
        updates = result.updates();
        progress = 1.0;
        report = built;
        finishedAt = clock.instant();
        state = BacktestJob.DONE;
        log.info("Backtest {} of {} done: {} updates", id, recording, result.updates());
      } catch (RehoboamException e) {
        fail(e);
      } catch (RuntimeException e) {
        log.error("Backtest {} of {} failed", id, recording, e);
        fail(new RehoboamException(ErrorCode.INTERNAL, "the backtest failed: " + e, e));
      } finally {
        finished(this);
      }
    }

    void fail(RehoboamException e) {
      error = new BacktestJob.Error(e.code().name(), hidePath(e.getMessage(), file, recording));
      finishedAt = clock.instant();
      state = BacktestJob.FAILED;
    }
  }

  private final BacktestJobSettings settings;
  private final Path dir;
  private final Clock clock;
  private final Executor runner;
  private final ThreadPoolExecutor threads;
  private final Map<String, Job> jobs = new LinkedHashMap<>();
  private final AtomicInteger next = new AtomicInteger();
  private volatile boolean closed;

  public BacktestJobs(BacktestJobSettings settings) {
    this(settings, Clock.systemUTC());
  }

  /**
   * @param clock stamps the jobs' times
   */
  public BacktestJobs(BacktestJobSettings settings, Clock clock) {
    this(settings, clock, null);
  }

  /**
   * @param clock stamps the jobs' times
   * @param runner runs the backtests (not closed here); null for {@code max_concurrent} threads of
   *     this object's own
   */
  public BacktestJobs(BacktestJobSettings settings, Clock clock, Executor runner) {
    this.settings = Checks.notNull(settings, "settings");
    this.clock = Checks.notNull(clock, "clock");
    this.dir = settings.recordingsDir().toAbsolutePath().normalize();
    this.threads = runner == null ? ownThreads(settings) : null;
    this.runner = runner == null ? threads : runner;
  }

  private static ThreadPoolExecutor ownThreads(BacktestJobSettings settings) {
    AtomicInteger threadNumber = new AtomicInteger();
    return new ThreadPoolExecutor(
        settings.maxConcurrent(),
        settings.maxConcurrent(),
        0,
        TimeUnit.MILLISECONDS,
        new LinkedBlockingQueue<>(),
        r -> {
          Thread t = new Thread(r, "rehoboam-backtest-" + threadNumber.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
  }

  public BacktestJobSettings settings() {
    return settings;
  }

  /**
   * Checks a request and queues it.
   *
   * @throws RehoboamException INVALID_ARGUMENT naming the field ({@code config}, {@code
   *     config.sources.<id>}, {@code recording}, {@code latency}) for a request that cannot run: a
   *     configuration that does not parse or cannot be backtested, a recording that is not a file
   *     name, does not exist, is not a recording or is of another format version, or lacks a
   *     configured source; CONFLICT when {@code max_queued} backtests are waiting already;
   *     SHUTTING_DOWN after {@link #close()}
   */
  public BacktestJob submit(Request request) {
    Checks.notNull(request, "request");
    if (closed) {
      throw new RehoboamException(ErrorCode.SHUTTING_DOWN, "backtests are stopped");
    }
    String name = request.recording();
    if (name == null || name.isBlank()) {
      throw RehoboamException.invalid("recording", "is required (a recording's file name)");
    }
    if (!NAME.matcher(name).matches()) {
      throw RehoboamException.invalid(
          "recording",
          "must be a file name in the recordings directory (letters, digits, '.', '_', '-'),"
              + " was '"
              + clip(name)
              + "'");
    }
    Path file = dir.resolve(name).normalize();
    if (!file.getParent().equals(dir) || !Files.isRegularFile(file)) {
      throw RehoboamException.invalid(
          "recording",
          "no recording '" + name + "' in the recordings directory (it has: " + known() + ")");
    }
    if (request.config() == null || request.config().isBlank()) {
      throw RehoboamException.invalid("config", "is required (the configuration to backtest)");
    }
    Duration latency = request.latency() == null ? Duration.ZERO : request.latency();
    if (latency.isNegative()) {
      throw RehoboamException.invalid("latency", "must not be negative");
    }
    RehoboamConfig config;
    try {
      // No environment: a request must not read the server's variables into its configuration.
      config = ConfigLoader.parse(request.config(), "config", Map.of());
      // The plan can be made, the recording opens (format, version) and has the sources.
      Backtest.check(config, file, latency);
    } catch (RehoboamException e) {
      throw asInvalid(e, file, name);
    }
    synchronized (this) {
      long waiting = jobs.values().stream().filter(j -> j.state.equals(BacktestJob.QUEUED)).count();
      if (waiting >= settings.maxQueued() + (long) settings.maxConcurrent() - running()) {
        throw new RehoboamException(
            ErrorCode.CONFLICT,
            waiting
                + " backtests are waiting already (server.backtests.max_queued); submit again when"
                + " one has started");
      }
      Job job = new Job("bt-" + next.incrementAndGet(), name, file, config, latency);
      jobs.put(job.id, job);
      runner.execute(job::run);
      log.info("Backtest {} of {} queued", job.id, name);
      return job.view();
    }
  }

  /**
   * The backtest with this id.
   *
   * @throws RehoboamException NOT_FOUND
   */
  public BacktestJob job(String id) {
    return find(id).view();
  }

  /** Every backtest kept, oldest first. */
  public synchronized List<BacktestJob> jobs() {
    return jobs.values().stream().map(Job::view).toList();
  }

  /**
   * The JSON report of a finished backtest (the {@code report.json} the command line writes).
   *
   * @throws RehoboamException NOT_FOUND; CONFLICT while it is not done (the message says its state)
   */
  public String reportJson(String id) {
    return done(find(id)).report.toJson();
  }

  /**
   * The self-contained HTML report of a finished backtest.
   *
   * @throws RehoboamException NOT_FOUND; CONFLICT while it is not done
   */
  public String reportHtml(String id) {
    return done(find(id)).html;
  }

  /** The recordings in the recordings directory, by name. */
  public List<String> recordings() {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(Files::isRegularFile)
          .map(p -> p.getFileName().toString())
          .sorted()
          .toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  private String known() {
    List<String> names = recordings();
    if (names.isEmpty()) {
      return "none";
    }
    return names.size() <= 20
        ? String.join(", ", names)
        : String.join(", ", names.subList(0, 20)) + ", ...";
  }

  private long running() {
    return jobs.values().stream().filter(j -> j.state.equals(BacktestJob.RUNNING)).count();
  }

  private synchronized Job find(String id) {
    Job job = id == null ? null : jobs.get(id);
    if (job == null) {
      throw new RehoboamException(ErrorCode.NOT_FOUND, "no backtest " + clip(id));
    }
    return job;
  }

  private static Job done(Job job) {
    if (job.state.equals(BacktestJob.FAILED)) {
      throw new RehoboamException(
          ErrorCode.CONFLICT,
          "backtest " + job.id + " failed, it has no report: " + job.error.message());
    }
    if (!job.state.equals(BacktestJob.DONE)) {
      throw new RehoboamException(
          ErrorCode.CONFLICT,
          "backtest "
              + job.id
              + " is "
              + job.state
              + " ("
              + Math.round(job.progress * 100)
              + "%); its report is there when it is done");
    }
    return job;
  }

  private synchronized void finished(Job job) {
    int kept = 0;
    for (Job j : jobs.values()) {
      if (j.finishedAt != null) {
        kept++;
      }
    }
    Iterator<Job> it = jobs.values().iterator();
    while (kept > settings.maxKept() && it.hasNext()) {
      Job j = it.next();
      if (j.finishedAt != null) {
        it.remove();
        kept--;
      }
    }
  }

  /**
   * The configuration's and the recording's problems as INVALID_ARGUMENT naming the request's field
   * ({@code config...} or {@code recording}), with the recording's name for its server path.
   */
  private static RehoboamException asInvalid(RehoboamException e, Path file, String name) {
    String message =
        hidePath(e.getMessage() == null ? e.code().name() : e.getMessage(), file, name);
    if (message.startsWith("config: sources.") && message.contains(": the recording ")) {
      // "config: sources.x: the recording ... has no source 'x'": the field is config.sources.x.
      message = "config." + message.substring("config: ".length());
    }
    if (!message.startsWith("config") && !message.startsWith("recording:")) {
      message = "config: " + message;
    }
    return new RehoboamException(ErrorCode.INVALID_ARGUMENT, message, e);
  }

  private static String hidePath(String message, Path file, String name) {
    if (message == null) {
      return null;
    }
    return message.replace(file.toString(), name);
  }

  private static String clip(String text) {
    if (text == null) {
      return "null";
    }
    return text.length() <= 60 ? text : text.substring(0, 60) + "...";
  }

  /** Stops the threads: queued backtests fail, running ones stop at their next progress step. */
  @Override
  public void close() {
    closed = true;
    if (threads != null) {
      threads.shutdownNow();
    }
    synchronized (this) {
      for (Job j : jobs.values()) {
        if (j.state.equals(BacktestJob.QUEUED)) {
          j.fail(new RehoboamException(ErrorCode.SHUTTING_DOWN, "the server stopped"));
        }
      }
    }
    try {
      if (threads != null && !threads.awaitTermination(10, TimeUnit.SECONDS)) {
        log.warn("Some backtests did not stop within 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
