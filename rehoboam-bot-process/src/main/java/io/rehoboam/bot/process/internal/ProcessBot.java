package io.rehoboam.bot.process.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.rehoboam.bot.process.ProcessBotSettings;
import io.rehoboam.bot.process.StopSignal;
import io.rehoboam.spi.Bot;
import io.rehoboam.spi.BotContext;
import io.rehoboam.spi.BotHealth;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.LogLevel;
import io.rehoboam.spi.RehoboamException;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of a program as a bot. {@link #start()} spawns it (in its own session and process group
 * unless {@code use_setsid} is off) and hands four tasks to the context's blocking executor: the
 * stdout and stderr readers, the stdin writer and the exit watcher. The watcher reports an exit
 * that Rehoboam did not ask for to the context (completed or failed); restarting is the engine's
 * job. {@link #stop(Duration)} sends the stop command, closes stdin, signals the group, kills it,
 * and waits for the readers.
 *
 * <p>Every process of a run carries {@code REHOBOAM_INSTANCE=<id>} in its environment; stopping
 * ends every live process with that marker (Linux), including those that left the group.
 */
public final class ProcessBot implements Bot {
  private static final Logger log = LoggerFactory.getLogger(ProcessBot.class);
  private static final int STDERR_TAIL_LINES = 10;
  private static final int STDERR_TAIL_CHARS = 300;
  private static final int LINE_PREVIEW_CHARS = 200;
  private static final Duration READERS_DRAIN = Duration.ofSeconds(2);
  private static final Duration KILL_WAIT = Duration.ofSeconds(1);
  private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
  private static final String STOP_LINE = "{\"type\":\"stop\"}";

  private final String botId;
  private final ProcessBotSettings settings;
  private final BotContext ctx;
  private final Map<String, String> inheritedEnv;
  private final String owner;
  private final String instanceId;
  private final ProtocolParser parser;
  private final List<String> fileSecrets;
  private final boolean hasProc = ProcessControl.hasProc();
  private final ArrayDeque<String> stderrTail = new ArrayDeque<>();
  private final OutputBudget stdoutBudget;
  private final OutputBudget stderrBudget;
  private final WarningThrottle lineWarnings =
      new WarningThrottle(TimeUnit.SECONDS.toNanos(10), 10, System::nanoTime);
  private final CompletableFuture<Void> stdoutDone = new CompletableFuture<>();
  private final CompletableFuture<Void> stderrDone = new CompletableFuture<>();
  private final CompletableFuture<Void> watcherDone = new CompletableFuture<>();

  private volatile Process process;
  private volatile long pid = -1;
  private volatile long startNanos;
  private volatile boolean stopping;
  private volatile Integer exitCode;
  private volatile BotHealth lastStatus;
  private volatile CommandChannel commands;
  private volatile RotatingLog fileLog;
  private volatile Path killProgram;

  public ProcessBot(
      String botId, ProcessBotSettings settings, BotContext ctx, Map<String, String> inheritedEnv) {
    this(botId, settings, ctx, inheritedEnv, null);
  }

  /** A run whose processes also carry {@code REHOBOAM_OWNER=owner} (when not null). */
  public ProcessBot(
      String botId,
      ProcessBotSettings settings,
      BotContext ctx,
      Map<String, String> inheritedEnv,
      String owner) {
    this.botId = botId;
    this.settings = settings;
    this.ctx = ctx;
    this.inheritedEnv = Map.copyOf(inheritedEnv);
    this.owner = owner;
    ProcessBotSettings.OutputLimits limits = settings.output();
    this.stdoutBudget =
        new OutputBudget(limits.bytesPerSecond(), limits.burstBytes(), System::nanoTime);
    this.stderrBudget =
        new OutputBudget(limits.bytesPerSecond(), limits.burstBytes(), System::nanoTime);
    this.instanceId = botId + "." + Long.toHexString(ThreadLocalRandom.current().nextLong());
    this.parser = new ProtocolParser(botId, ctx.clock(), settings.opportunityTtl());
    List<String> secrets = new ArrayList<>();
    for (String v : settings.secretEnv().values()) {
      if (v.length() >= 4) {
        secrets.add(v);
      }
    }
    // A variable of env named like a secret is one too, whatever the bot type declares.
    settings
        .env()
        .forEach(
            (name, v) -> {
              if (io.rehoboam.spi.SecretNames.looksSecret(name) && v.length() >= 4) {
                secrets.add(v);
              }
            });
    secrets.sort((a, b) -> b.length() - a.length());
    this.fileSecrets = List.copyOf(secrets);
  }

  /** The value of {@code REHOBOAM_INSTANCE} that marks every process of this run. */
  public String instanceId() {
    return instanceId;
  }

  // ---------------------------------------------------------------- start

  @Override
  public void start() {
    Path workingDir = settings.workingDir();
    if (workingDir != null && !Files.isDirectory(workingDir)) {
      throw failure("working_dir: " + workingDir + " is not a directory");
    }
    Map<String, String> env =
        ChildEnvironment.build(inheritedEnv, settings, botId, instanceId, owner);
    String program = settings.command().get(0);
    if (ProcessControl.findExecutable(program, env.get("PATH"), workingDir).isEmpty()) {
      throw failure(
          "command: program '"
              + program
              + "' not found or not executable"
              + (program.contains("/") ? "" : " on the PATH"));
    }
    String hostPath = inheritedEnv.getOrDefault("PATH", "/usr/bin:/bin");
    killProgram = tool("kill", hostPath).orElse(null);
    if (killProgram == null && (settings.useSetsid() || needsKillProgram(settings.stopSignal()))) {
      throw failure("the kill program was not found on the PATH; it sends the stop signal");
    }
    List<String> argv = new ArrayList<>();
    if (settings.useSetsid()) {
      Path setsid =
          tool("setsid", hostPath)
              .orElseThrow(
                  () ->
                      failure(
                          "use_setsid: the setsid program was not found (util-linux); install"
                              + " it or set use_setsid: false"));
      argv.add(setsid.toString());
    }
    argv.addAll(settings.command());

    ProcessBuilder builder = new ProcessBuilder(argv);
    if (workingDir != null) {
      builder.directory(workingDir.toFile());
    }
    builder.environment().clear();
    builder.environment().putAll(env);
    Process p;
    try {
      p = builder.start();
    } catch (IOException e) {
      throw new RehoboamException(
          ErrorCode.BOT_FAILURE,
          "command: could not start '" + program + "': " + e.getMessage(),
          e);
    }
    startNanos = System.nanoTime();
    process = p;
    // Without setsid the program is a direct child; with it, setsid execs the program in place
    // (a child of the JVM is never a group leader, so setsid does not fork): either way this pid is
    // the program's, and with setsid also its process group id.
    pid = p.pid();
    commands = new CommandChannel(p.getOutputStream());
    openFileLog();
    ctx.reportProcess(settings.commandLine(), pid);
    ctx.log(LogLevel.INFO, "started process " + pid + ": " + settings.commandLine());
    Executor executor = ctx.blockingExecutor();
    try {
      executor.execute(() -> read(p.getInputStream(), new StdoutSink(), stdoutDone, "stdout"));
      executor.execute(() -> read(p.getErrorStream(), new StderrSink(), stderrDone, "stderr"));
      executor.execute(commands);
      executor.execute(this::watch);
    } catch (RejectedExecutionException e) {
      stopping = true;
      killAll();
      throw new RehoboamException(
          ErrorCode.SHUTTING_DOWN, "the service takes no new work; process " + pid + " killed", e);
    }
  }

  private static boolean needsKillProgram(StopSignal signal) {
    return signal != StopSignal.TERM && signal != StopSignal.KILL;
  }

  private static Optional<Path> tool(String name, String searchPath) {
    Optional<Path> found = ProcessControl.findExecutable(name, searchPath, null);
    if (found.isPresent()) {
      return found;
    }
    for (String dir : List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin")) {
      Optional<Path> p = ProcessControl.findExecutable(name, dir, null);
      if (p.isPresent()) {
        return p;
      }
    }
    return Optional.empty();
  }

  private void openFileLog() {
    if (settings.logDir() == null) {
      return;
    }
    try {
      fileLog =
          new RotatingLog(settings.logDir(), botId, settings.logMaxBytes(), settings.logFiles());
    } catch (IOException | RuntimeException e) {
      ctx.log(
          LogLevel.WARN,
          "log_dir: cannot write output files in " + settings.logDir() + ": " + e.getMessage());
    }
  }

  private static RehoboamException failure(String message) {
    return new RehoboamException(ErrorCode.BOT_FAILURE, message);
  }

  // ---------------------------------------------------------------- output

  private void read(
      InputStream in, LineReader.Sink sink, CompletableFuture<Void> done, String stream) {
    try {
      new LineReader(in, settings.maxLineBytes()).readAll(sink);
    } catch (IOException e) {
      // The stream was closed under us (the run is over); nothing more to read.
      log.debug("Bot {}: {} closed: {}", botId, stream, e.getMessage());
    } catch (RuntimeException e) {
      log.warn("Bot {}: {} reader failed", botId, stream, e);
    } finally {
      try {
        summaries(stream.equals("stderr") ? stderrBudget : stdoutBudget, stream, true);
      } catch (RuntimeException e) {
        log.debug("Bot {}: last {} summary failed: {}", botId, stream, e.toString());
      }
      try {
        in.close();
      } catch (IOException e) {
        // nothing left to release
      }
      done.complete(null);
    }
  }

  private final class StdoutSink implements LineReader.Sink {
    @Override
    public void line(String text) {
      toFile("out", text);
      try {
        if (!ProtocolParser.isProtocolLine(text)) {
          keep(stdoutBudget, LogLevel.INFO, text);
          return;
        }
        Message message;
        try {
          message = parser.parse(text);
        } catch (ProtocolParser.ProtocolException e) {
          warnThrottled(
              "stdout line skipped: "
                  + e.getMessage()
                  + " (line: "
                  + ProtocolParser.abbreviate(text, LINE_PREVIEW_CHARS)
                  + ")");
          return;
        }
        ctx.recordActivity();
        handle(message);
      } catch (RuntimeException e) {
        // A bad line must never end the reader: the program would block on a full pipe.
        ctx.log(LogLevel.WARN, "stdout line could not be handled: " + e);
      }
    }

    @Override
    public void oversized(long bytes) {
      toFile("out", "[line of " + bytes + " bytes skipped]");
      warnThrottled(
          "stdout line skipped: "
              + bytes
              + " bytes is more than max_line_bytes ("
              + settings.maxLineBytes()
              + ")");
    }

    @Override
    public void idle() {
      flushFile();
      summaries(stdoutBudget, "stdout", false);
    }
  }

  /**
   * A text line for the bot's log (memory, events, the server log): cut to {@code log_line_chars},
   * and only within the output budget; beyond it the line is in the log file only, and counted.
   */
  private void keep(OutputBudget budget, LogLevel level, String text) {
    String clipped = clip(text);
    if (budget.take(clipped.length())) {
      ctx.log(level, clipped);
    }
    summaries(budget, budget == stderrBudget ? "stderr" : "stdout", false);
  }

  private String clip(String text) {
    int max = settings.output().lineChars();
    if (text.length() <= max) {
      return text;
    }
    return text.substring(0, max)
        + "... ["
        + text.length()
        + " chars"
        + (settings.logDir() == null ? ", cut" : "; the whole line is in the log file")
        + "]";
  }

  private void warnThrottled(String warning) {
    if (lineWarnings.allow(warning)) {
      ctx.log(LogLevel.WARN, warning);
    }
    String summary = lineWarnings.summary("lines skipped", false);
    if (summary != null) {
      ctx.log(LogLevel.WARN, summary);
    }
  }

  /** The summaries that are due: the output budget's, the skipped lines'. */
  private void summaries(OutputBudget budget, String stream, boolean force) {
    String over =
        budget.summary(
            settings.logDir() == null
                ? stream + " not kept (no log_dir)"
                : stream + " written to the log file only",
            force);
    if (over != null) {
      ctx.log(LogLevel.WARN, over);
    }
    String skipped = lineWarnings.summary("lines skipped", force);
    if (skipped != null) {
      ctx.log(LogLevel.WARN, skipped);
    }
  }

  private void handle(Message message) {
    if (message instanceof Message.Heartbeat) {
      ctx.heartbeat();
    } else if (message instanceof Message.Found found) {
      ctx.publishOpportunity(found.opportunity());
    } else if (message instanceof Message.Executed executed) {
      ctx.publishExecution(executed.execution());
    } else if (message instanceof Message.Log line) {
      keep(stdoutBudget, line.level(), line.message());
    } else if (message instanceof Message.Status status) {
      lastStatus = status.health();
      ctx.log(LogLevel.INFO, "status: " + status.health().message());
    }
  }

  private final class StderrSink implements LineReader.Sink {
    @Override
    public void line(String text) {
      toFile("err", text);
      synchronized (stderrTail) {
        if (stderrTail.size() == STDERR_TAIL_LINES) {
          stderrTail.removeFirst();
        }
        stderrTail.addLast(ProtocolParser.abbreviate(text, STDERR_TAIL_CHARS));
      }
      keep(stderrBudget, LogLevel.INFO, "[stderr] " + text);
    }

    @Override
    public void oversized(long bytes) {
      toFile("err", "[line of " + bytes + " bytes skipped]");
      warnThrottled(
          "stderr line skipped: "
              + bytes
              + " bytes is more than max_line_bytes ("
              + settings.maxLineBytes()
              + ")");
    }

    @Override
    public void idle() {
      flushFile();
      summaries(stderrBudget, "stderr", false);
    }
  }

  private void toFile(String stream, String text) {
    RotatingLog file = fileLog;
    if (file == null) {
      return;
    }
    String safe = text;
    for (String secret : fileSecrets) {
      safe = safe.replace(secret, "***");
    }
    try {
      file.write(ctx.clock().instant(), stream, safe);
    } catch (IOException e) {
      fileFailed(file, e);
    }
  }

  private void flushFile() {
    RotatingLog file = fileLog;
    if (file != null) {
      try {
        file.flush();
      } catch (IOException e) {
        fileFailed(file, e);
      }
    }
  }

  private void fileFailed(RotatingLog file, IOException e) {
    synchronized (this) {
      if (fileLog != file) {
        return;
      }
      fileLog = null;
    }
    ctx.log(
        LogLevel.WARN,
        "log_dir: writing " + file.file() + " failed, file capture stopped: " + e.getMessage());
    closeQuietly(file);
  }

  private String lastStderr() {
    synchronized (stderrTail) {
      return String.join(" | ", stderrTail);
    }
  }

  // ---------------------------------------------------------------- exit

  private void watch() {
    Process p = process;
    try {
      int code;
      try {
        code = p.waitFor();
      } catch (InterruptedException e) {
        // Only a service that is being torn down interrupts its workers: leave nothing behind.
        Thread.currentThread().interrupt();
        stopping = true;
        killAll();
        return;
      }
      exitCode = code;
      commands.close(null);
      if (stopping) {
        return;
      }
      Duration ran = Duration.ofNanos(System.nanoTime() - startNanos);
      // Like a service manager, end what the program left behind: its group, and its escapees.
      if (!survivors().isEmpty()) {
        ctx.log(
            LogLevel.WARN, "process " + pid + " exited but left processes running; stopping them");
        long signalled = System.nanoTime();
        signal(settings.stopSignal());
        if (!awaitGone(signalled + settings.stopTimeout().toNanos())) {
          killAll();
          awaitGone(System.nanoTime() + KILL_WAIT.toNanos());
        }
      }
      awaitQuietly(CompletableFuture.allOf(stdoutDone, stderrDone), READERS_DRAIN);
      if (stopping) {
        return;
      }
      String how = describeExit(code) + " after " + human(ran);
      if (settings.expectedExitCodes().contains(code)) {
        ctx.log(LogLevel.INFO, "process " + pid + " " + how);
        ctx.reportCompleted(how);
      } else {
        String tail = lastStderr();
        ctx.log(LogLevel.WARN, "process " + pid + " " + how);
        ctx.reportFailure(how + (tail.isEmpty() ? "" : "; last stderr: " + tail), null);
      }
    } finally {
      watcherDone.complete(null);
    }
  }

  static String describeExit(int code) {
    if (code > 128 && code < 128 + 32) {
      return "exited with code " + code + " (128+" + (code - 128) + ": " + signalName(code) + ")";
    }
    return "exited with code " + code;
  }

  private static String signalName(int code) {
    return StopSignal.describe(code - 128);
  }

  // ---------------------------------------------------------------- stop

  @Override
  public void stop(Duration timeout) {
    stopping = true;
    Process p = process;
    if (p == null) {
      return;
    }
    long begin = System.nanoTime();
    Duration margin = min(Duration.ofMillis(500), timeout.dividedBy(10));
    Duration budget = timeout.minus(margin);
    Duration killWait = min(KILL_WAIT, budget.dividedBy(5));
    Duration killAt =
        min(settings.stopGrace().plus(settings.stopTimeout()), budget.minus(killWait));
    Duration signalAt = min(settings.stopGrace(), killAt.dividedBy(2));
    long deadline = begin + budget.toNanos();

    boolean alive = p.isAlive();
    commands.close(alive ? STOP_LINE : null);
    boolean gone = awaitGone(begin + signalAt.toNanos());
    if (!gone) {
      ctx.log(
          LogLevel.INFO,
          "process "
              + pid
              + " still running "
              + human(Duration.ofNanos(System.nanoTime() - begin))
              + " after the stop command; sending SIG"
              + settings.stopSignal()
              + (settings.useSetsid() ? " to its process group" : ""));
      signal(settings.stopSignal());
      gone = awaitGone(begin + killAt.toNanos());
    }
    if (!gone) {
      ctx.log(
          LogLevel.WARN,
          "process "
              + pid
              + " still running "
              + human(Duration.ofNanos(System.nanoTime() - begin))
              + " after the stop command and SIG"
              + settings.stopSignal()
              + "; sending SIGKILL");
      killAll();
      gone = awaitGone(deadline);
    }
    long left = Math.max(deadline - System.nanoTime(), TimeUnit.MILLISECONDS.toNanos(100));
    awaitQuietly(
        CompletableFuture.allOf(stdoutDone, stderrDone, watcherDone), Duration.ofNanos(left));
    RotatingLog file = fileLog;
    fileLog = null;
    closeQuietly(file);
    if (!gone) {
      throw new RehoboamException(
          ErrorCode.TIMEOUT,
          "process "
              + pid
              + " or one it started did not exit after SIGKILL within "
              + human(budget));
    }
  }

  /** The processes of this run still alive: the marked ones (Linux) or the program's tree. */
  private List<Long> survivors() {
    if (hasProc) {
      return ProcessControl.marked(ProcessBotSettings.INSTANCE_VARIABLE, instanceId);
    }
    List<Long> out = new ArrayList<>();
    Process p = process;
    if (p.isAlive()) {
      out.add(p.pid());
    }
    p.descendants().filter(ProcessHandle::isAlive).forEach(h -> out.add(h.pid()));
    return out;
  }

  /** Waits until the program and everything of its run is gone, or the deadline passes. */
  private boolean awaitGone(long deadlineNanos) {
    Process p = process;
    while (true) {
      long left = deadlineNanos - System.nanoTime();
      if (p.isAlive()) {
        if (left <= 0) {
          return false;
        }
        try {
          p.waitFor(Math.min(left, POLL_NANOS), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          killAll();
          return !p.isAlive();
        }
        continue;
      }
      if (survivors().isEmpty()) {
        return true;
      }
      if (left <= 0) {
        return false;
      }
      LockSupport.parkNanos(Math.min(left, POLL_NANOS));
      if (Thread.currentThread().isInterrupted()) {
        killAll();
        return survivors().isEmpty();
      }
    }
  }

  /**
   * Sends the stop signal: to the process group; without one, to the program, or once the program
   * is gone, to each process it left behind.
   */
  private void signal(StopSignal signal) {
    if (settings.useSetsid()) {
      ProcessControl.signalGroup(killProgram, pid, signal);
    } else if (process.isAlive()) {
      ProcessControl.signalProcess(killProgram, pid, signal);
    } else {
      for (long survivor : survivors()) {
        ProcessControl.signalProcess(killProgram, survivor, signal);
      }
    }
  }

  /** SIGKILL to the group and to every process of this run that left it. */
  private void killAll() {
    Process p = process;
    if (p == null) {
      return;
    }
    if (settings.useSetsid() && killProgram != null) {
      ProcessControl.signalGroup(killProgram, pid, StopSignal.KILL);
    }
    p.destroyForcibly();
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    if (hasProc) {
      for (long survivor :
          ProcessControl.marked(ProcessBotSettings.INSTANCE_VARIABLE, instanceId)) {
        ProcessHandle.of(survivor).ifPresent(ProcessHandle::destroyForcibly);
      }
    }
  }

  // ---------------------------------------------------------------- commands and health

  @Override
  public void command(String type, Map<String, Object> payload) {
    if (type == null || type.isBlank()) {
      throw RehoboamException.invalid("type", "must not be blank");
    }
    CommandChannel channel = commands;
    if (channel == null || stopping || exitCode != null || !channel.isOpen()) {
      throw new RehoboamException(
          ErrorCode.CONFLICT, "bot " + botId + ": the program is not running; no command sent");
    }
    Map<String, Object> message = new LinkedHashMap<>();
    message.put("type", type);
    message.put("payload", payload == null ? Map.of() : payload);
    String line;
    try {
      line = ProtocolParser.mapper().writeValueAsString(message);
    } catch (JsonProcessingException e) {
      throw RehoboamException.invalid(
          "payload", "cannot be written as JSON: " + e.getOriginalMessage());
    }
    if (line.length() > settings.maxLineBytes()) {
      throw RehoboamException.invalid(
          "payload", "is longer than max_line_bytes (" + settings.maxLineBytes() + ")");
    }
    channel.send(line);
  }

  @Override
  public BotHealth health() {
    if (process == null) {
      return BotHealth.down("not started");
    }
    Integer code = exitCode;
    if (code != null && !stopping) {
      return BotHealth.down("process " + pid + " " + describeExit(code));
    }
    BotHealth status = lastStatus;
    return status != null ? status : new BotHealth(BotHealth.Status.UP, "process " + pid);
  }

  // ---------------------------------------------------------------- helpers

  private static void awaitQuietly(CompletableFuture<?> future, Duration timeout) {
    try {
      future.get(Math.max(1, timeout.toNanos()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException | ExecutionException e) {
      // Bounded wait: what has not finished is left to end on its own.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void closeQuietly(RotatingLog file) {
    if (file != null) {
      try {
        file.close();
      } catch (IOException e) {
        log.debug("Closing {} failed: {}", file.file(), e.getMessage());
      }
    }
  }

  private static Duration min(Duration a, Duration b) {
    Duration m = a.compareTo(b) <= 0 ? a : b;
    return m.isNegative() ? Duration.ZERO : m;
  }

  static String human(Duration d) {
    long ms = d.toMillis();
    if (ms < 1000) {
      return ms + " ms";
    }
    return BigDecimal.valueOf(ms, 3).stripTrailingZeros().toPlainString() + " s";
  }
}
