package io.rehoboam.core.internal;

import io.rehoboam.core.BotRegistration;
import io.rehoboam.core.BotStatus;
import io.rehoboam.core.RestartPolicy;
import io.rehoboam.core.config.Secrets;
import io.rehoboam.core.log.LogText;
import io.rehoboam.spi.Bot;
import io.rehoboam.spi.BotHealth;
import io.rehoboam.spi.BotProvider;
import io.rehoboam.spi.BotSpec;
import io.rehoboam.spi.Settings;
import io.rehoboam.spi.event.BotState;
import io.rehoboam.spi.event.BotStatusEvent;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's side of one registered bot: its state machine, its supervision (restart policy,
 * backoff, heartbeat) and its counters.
 *
 * <p>Every state change happens under this object's monitor and publishes a {@code bot.status}
 * event there, so a bot's status events are in transition order. Calls into the bot ({@code
 * create}, {@code start}, {@code stop}) run on worker threads outside the monitor; each run of the
 * bot has a generation number, and anything that arrives for an older generation (a late start, a
 * late stop, a context call from an abandoned instance) is ignored.
 */
public final class BotRunner {
  private static final Logger log = LoggerFactory.getLogger(BotRunner.class);

  /** Why a running bot is being stopped; decides what happens once it has stopped. */
  private enum StopCause {
    REQUESTED,
    FAILED,
    COMPLETED
  }

  private record Waiter(Predicate<BotRunner> done, CompletableFuture<BotStatus> future) {}

  private volatile BotRegistration registration;
  private final BotProvider provider;
  private final EngineServices engine;
  private final Set<String> sensitiveNames;

  // Guarded by this.
  private BotState state = BotState.REGISTERED;
  private BotState desired = BotState.STOPPED;
  private long generation;
  private Bot instance;
  private BotContextImpl context;
  private Thread startingThread;
  private String failureDuringStart;
  private StopCause stopCause;
  private String stopReason;

  /** The schedule's next start and stop (null without a schedule), set by its keeper. */
  private volatile java.time.Instant nextStart;

  private volatile java.time.Instant nextStop;
  private Instant runStartedAt;
  private int consecutiveFailures;
  private final java.util.ArrayDeque<Instant> recentFailures = new java.util.ArrayDeque<>();
  private int restarts;
  private String errorMessage;
  private Map<String, Object> runOverrides = Map.of();
  private Set<String> secretValues;
  private boolean removed;
  private ScheduledFuture<?> backoffTimer;
  private ScheduledFuture<?> startTimeoutTimer;
  private ScheduledFuture<?> stopTimeoutTimer;
  private ScheduledFuture<?> stableTimer;
  private ScheduledFuture<?> heartbeatTimer;
  private final List<Waiter> waiters = new ArrayList<>();

  // Written by bots through their context, read by status(): no lock needed.
  private volatile Instant startTime;
  private volatile Instant lastActivity;
  private volatile Instant lastBeat;
  private volatile String scriptPath;
  private volatile Long processId;
  private final AtomicLong opportunitiesFound = new AtomicLong();
  private final LogRing logs;
  private final Object profitLock = new Object();
  private BigDecimal totalProfit = BigDecimal.ZERO;

  public BotRunner(BotRegistration registration, BotProvider provider, EngineServices engine) {
    this.registration = registration;
    this.provider = provider;
    this.engine = engine;
    this.sensitiveNames = Set.copyOf(provider.settingsSchema().sensitiveNames());
    this.secretValues = Secrets.secretValues(registration.settings(), sensitiveNames);
    this.logs = new LogRing(engine.logLinesPerBot());
  }

  public String id() {
    return registration.id();
  }

  public BotRegistration registration() {
    return registration;
  }

  /**
   * Checks settings against the provider's schema, then by building (never starting) a bot with
   * them: the provider parses them as it would for a run.
   *
   * @throws io.rehoboam.spi.RehoboamException INVALID_CONFIG naming the bot and the field (the
   *     schema), INVALID_ARGUMENT naming what is wrong (the provider)
   */
  public void validate(Settings settings) {
    SettingsValidation.check(
        "bot '" + registration.id() + "'", provider.settingsSchema(), settings, engine.env());
    BotSpec spec =
        new BotSpec(registration.id(), registration.type(), registration.name(), settings);
    Bot probe;
    try {
      // Generation -1 is never current: whatever the probe calls on its context is ignored.
      probe = provider.create(spec, new BotContextImpl(this, -1, settings));
    } catch (io.rehoboam.spi.RehoboamException e) {
      throw new io.rehoboam.spi.RehoboamException(
          io.rehoboam.spi.ErrorCode.INVALID_ARGUMENT, redact(e.getMessage()), e);
    } catch (RuntimeException | LinkageError e) {
      throw new io.rehoboam.spi.RehoboamException(
          io.rehoboam.spi.ErrorCode.INVALID_ARGUMENT, "settings: " + redact(describe(e)), e);
    }
    if (probe == null) {
      throw new io.rehoboam.spi.RehoboamException(
          io.rehoboam.spi.ErrorCode.INVALID_ARGUMENT, "settings: the provider built no bot");
    }
  }

  /** Replaces the registered settings; the next run (or the restart that follows) uses them. */
  public synchronized void replaceSettings(Settings settings) {
    registration = registration.withSettings(settings);
    runOverrides = Map.of();
    Set<String> secrets = new java.util.HashSet<>(secretValues);
    secrets.addAll(Secrets.secretValues(settings, sensitiveNames));
    secretValues = Set.copyOf(secrets);
  }

  public Set<String> sensitiveNames() {
    return sensitiveNames;
  }

  /**
   * Checks the settings a start with {@code overrides} would run with against the provider's
   * schema, before anything is journalled or started.
   *
   * @throws io.rehoboam.spi.RehoboamException INVALID_CONFIG naming the bot and the field
   */
  public void checkOverrides(Map<String, ?> overrides) {
    if (overrides == null) {
      return;
    }
    SettingsValidation.check(
        "bot '" + registration.id() + "'",
        provider.settingsSchema(),
        registration.settings().with(overrides),
        engine.env());
  }

  RestartPolicy policy() {
    return registration.restart();
  }

  EngineServices engine() {
    return engine;
  }

  // ---------------------------------------------------------------- commands

  /**
   * Asks for the bot to run. Completes when this start attempt has an outcome: running, or failed
   * (backoff or error), or superseded by a stop.
   */
  public CompletableFuture<BotStatus> start(Map<String, ?> overrides) {
    return start(overrides, "start requested");
  }

  /**
   * As {@link #start(Map)}, giving {@code why} as the reason of the state change (for example
   * {@code schedule: window opened}).
   */
  public CompletableFuture<BotStatus> start(Map<String, ?> overrides, String why) {
    synchronized (this) {
      boolean atRest =
          state == BotState.REGISTERED || state == BotState.STOPPED || state == BotState.ERROR;
      if (overrides != null && state == BotState.STARTING) {
        throw new io.rehoboam.spi.RehoboamException(
            io.rehoboam.spi.ErrorCode.CONFLICT,
            "bot "
                + id()
                + " is starting with other settings; start it with new ones once it runs");
      }
      if (overrides != null) {
        runOverrides = Map.copyOf(new LinkedHashMap<String, Object>(overrides));
        Set<String> secrets = new java.util.HashSet<>(secretValues);
        secrets.addAll(Secrets.secretValues(runSettings(), sensitiveNames));
        secretValues = Set.copyOf(secrets);
      } else if (atRest) {
        // Overrides are for the run they were given to: a plain start runs the registered settings.
        runOverrides = Map.of();
      }
      desired = BotState.RUNNING;
      long startedFrom = generation;
      boolean restartWithSettings = overrides != null && state == BotState.RUNNING;
      CompletableFuture<BotStatus> done =
          await(
              r -> {
                if (r.removed) {
                  return true;
                }
                if (restartWithSettings && r.generation == startedFrom) {
                  return false; // the run with the old settings is still ending
                }
                return r.state == BotState.RUNNING
                    || r.state == BotState.BACKOFF
                    || r.state == BotState.ERROR
                    || (r.state == BotState.STOPPED && r.desired == BotState.STOPPED);
              });
      if (restartWithSettings) {
        // New settings for a running bot take effect now: it is restarted with them.
        launchStop(StopCause.REQUESTED, "restarting with new settings");
        checkWaiters();
        return done;
      }
      switch (state) {
        case REGISTERED, STOPPED, ERROR -> {
          consecutiveFailures = 0;
          recentFailures.clear();
          errorMessage = null;
          launchStart(why);
        }
        case BACKOFF -> {
          cancel(backoffTimer);
          launchStart(why + " while waiting to restart");
        }
        default -> {
          // STARTING or RUNNING: already on its way; STOPPING: restarts once stopped (desired =
          // RUNNING).
        }
      }
      checkWaiters();
      return done;
    }
  }

  /**
   * Asks for the bot to stop. Completes when it is at rest, or when a later start supersedes the
   * stop.
   */
  public CompletableFuture<BotStatus> stop() {
    return stop("stop requested");
  }

  /** As {@link #stop()}, giving {@code why} as the reason of the state change. */
  public CompletableFuture<BotStatus> stop(String why) {
    synchronized (this) {
      desired = BotState.STOPPED;
      CompletableFuture<BotStatus> done =
          await(
              r ->
                  r.removed
                      || r.desired == BotState.RUNNING
                      || r.state == BotState.STOPPED
                      || r.state == BotState.ERROR
                      || r.state == BotState.REGISTERED);
      switch (state) {
        case RUNNING -> launchStop(StopCause.REQUESTED, why);
        case BACKOFF -> {
          cancel(backoffTimer);
          transition(BotState.STOPPED, why + " while waiting to restart");
        }
        default -> {
          // STARTING: stopped as soon as start returns. STOPPING/at rest: nothing more to do.
        }
      }
      checkWaiters();
      return done;
    }
  }

  /** Marks the runner removed (after it stopped); pending waiters complete. */
  public synchronized void markRemoved() {
    removed = true;
    cancelTimers();
    cancel(backoffTimer);
    checkWaiters();
  }

  // ---------------------------------------------------------------- start

  private void launchStart(String reason) {
    generation++;
    long gen = generation;
    failureDuringStart = null;
    transition(BotState.STARTING, reason);
    startTimeoutTimer = schedule(() -> onStartTimeout(gen), policy().startTimeout());
    engine.runOnWorker(() -> runStart(gen));
  }

  private void runStart(long gen) {
    BotContextImpl ctx;
    BotSpec spec;
    synchronized (this) {
      if (gen != generation || state != BotState.STARTING) {
        return;
      }
      spec =
          new BotSpec(registration.id(), registration.type(), registration.name(), runSettings());
      ctx = new BotContextImpl(this, gen, spec.settings());
      context = ctx;
      startingThread = Thread.currentThread();
    }
    Bot bot = null;
    try {
      bot = provider.create(spec, ctx);
      if (bot == null) {
        throw new IllegalStateException(
            "provider " + provider.getClass().getName() + " built no bot");
      }
      synchronized (this) {
        if (gen == generation) {
          instance = bot;
        }
      }
      bot.start();
    } catch (Exception | LinkageError | AssertionError e) {
      onStartFailed(gen, bot, describe(e));
      return;
    } finally {
      synchronized (this) {
        if (startingThread == Thread.currentThread()) {
          startingThread = null;
        }
      }
      // A start timeout interrupts this thread; the flag must not leak into the next task.
      Thread.interrupted();
    }
    onStarted(gen, bot);
  }

  private void onStarted(long gen, Bot bot) {
    synchronized (this) {
      if (gen == generation && state == BotState.STARTING) {
        cancel(startTimeoutTimer);
        if (failureDuringStart != null) {
          // It reported a failure while starting: a failed start, whatever start() returned.
          String reason = failureDuringStart;
          instance = null;
          stopQuietly(bot);
          afterRunEnded(true, "failed to start: " + reason);
          return;
        }
        Instant now = engine.clock().instant();
        runStartedAt = now;
        startTime = now;
        lastBeat = now;
        if (desired == BotState.STOPPED) {
          // Stopped while starting: it never counts as running, but what it started must be
          // stopped.
          launchStop(StopCause.REQUESTED, "stop requested while starting");
          return;
        }
        // Timers are armed before the event goes out: whoever sees "running" can rely on them.
        Duration startSeconds = policy().startSeconds();
        if (startSeconds.isZero()) {
          consecutiveFailures = 0;
        } else {
          stableTimer = schedule(() -> onStable(gen), startSeconds);
        }
        scheduleHeartbeatCheck(gen);
        // The failure that led here is over; it stays in the log and the status events.
        errorMessage = null;
        transition(BotState.RUNNING, "started");
        return;
      }
    }
    // This start was abandoned (timed out) while the bot was starting: release what it built.
    stopQuietly(bot);
  }

  private void onStartFailed(long gen, Bot bot, String reason) {
    synchronized (this) {
      if (gen != generation || state != BotState.STARTING) {
        return;
      }
      cancel(startTimeoutTimer);
      instance = null;
      afterRunEnded(true, "failed to start: " + reason);
    }
    // Let a half-started bot release what it holds; it is no longer ours to wait for.
    stopQuietly(bot);
  }

  private synchronized void onStartTimeout(long gen) {
    if (gen != generation || state != BotState.STARTING) {
      return;
    }
    if (startingThread != null) {
      startingThread.interrupt();
    }
    Bot abandoned = instance;
    instance = null;
    generation++; // the late outcome of this start is ignored
    afterRunEnded(true, "start did not finish within " + human(policy().startTimeout()));
    if (abandoned != null) {
      engine.runOnWorker(() -> stopQuietly(abandoned));
    }
  }

  private synchronized void onStable(long gen) {
    if (gen == generation && state == BotState.RUNNING) {
      consecutiveFailures = 0;
    }
  }

  // ---------------------------------------------------------------- running

  void onFailure(long gen, String reason) {
    synchronized (this) {
      if (gen != generation) {
        return;
      }
      if (state == BotState.STARTING) {
        failureDuringStart = reason;
      } else if (state == BotState.RUNNING) {
        launchStop(StopCause.FAILED, reason);
      }
    }
  }

  void onCompleted(long gen, String reason) {
    synchronized (this) {
      if (gen != generation) {
        return;
      }
      if (state == BotState.STARTING) {
        failureDuringStart = "finished while starting: " + reason;
      } else if (state == BotState.RUNNING) {
        launchStop(StopCause.COMPLETED, reason);
      }
    }
  }

  private void scheduleHeartbeatCheck(long gen) {
    Duration timeout = policy().heartbeatTimeout();
    if (timeout.isZero()) {
      return;
    }
    Duration since = Duration.between(lastBeat, engine.clock().instant());
    Duration due = timeout.minus(since);
    heartbeatTimer = schedule(() -> onHeartbeatCheck(gen), due.isNegative() ? Duration.ZERO : due);
  }

  private synchronized void onHeartbeatCheck(long gen) {
    if (gen != generation || state != BotState.RUNNING) {
      return;
    }
    Duration silent = Duration.between(lastBeat, engine.clock().instant());
    if (silent.compareTo(policy().heartbeatTimeout()) >= 0) {
      launchStop(StopCause.FAILED, "no heartbeat for " + human(silent));
    } else {
      scheduleHeartbeatCheck(gen);
    }
  }

  boolean isCurrent(long gen) {
    // Unsynchronized read of generation is fine: a stale answer only lets one late call through or
    // not.
    return gen == generation && !removed;
  }

  // ---------------------------------------------------------------- stop

  private void launchStop(StopCause cause, String reason) {
    cancelTimers();
    stopCause = cause;
    stopReason = reason;
    transition(BotState.STOPPING, cause == StopCause.FAILED ? "failed: " + reason : reason);
    long gen = generation;
    Bot bot = instance;
    stopTimeoutTimer = schedule(() -> onStopTimeout(gen), policy().stopTimeout());
    engine.runOnWorker(() -> runStop(gen, bot));
  }

  private void runStop(long gen, Bot bot) {
    if (bot != null) {
      try {
        bot.stop(policy().stopTimeout());
      } catch (Exception | LinkageError | AssertionError e) {
        log.warn("Bot {} failed while stopping: {}", id(), LogText.escape(redact(describe(e))));
      } finally {
        Thread.interrupted();
      }
    }
    synchronized (this) {
      if (gen != generation || state != BotState.STOPPING) {
        return;
      }
      cancel(stopTimeoutTimer);
      afterStopped();
    }
  }

  private synchronized void onStopTimeout(long gen) {
    if (gen != generation || state != BotState.STOPPING) {
      return;
    }
    String message =
        "did not stop within "
            + human(policy().stopTimeout())
            + "; abandoned (it may still hold resources)";
    log.warn("Bot {} {}", id(), LogText.escape(message));
    errorMessage = message;
    generation++; // its late stop outcome is ignored
    afterStopped();
  }

  private void releaseContext() {
    if (context != null) {
      context.release();
      context = null;
    }
  }

  private void afterStopped() {
    releaseContext();
    instance = null;
    processId = null;
    if (stopCause == StopCause.FAILED) {
      afterRunEnded(true, stopReason);
    } else if (stopCause == StopCause.COMPLETED) {
      afterRunEnded(false, "completed: " + stopReason);
    } else {
      // A stop by the bot's schedule says so in the final state too.
      boolean bySchedule = stopReason != null && stopReason.startsWith("schedule");
      transition(BotState.STOPPED, bySchedule ? "stopped (" + stopReason + ")" : "stopped");
      if (desired == BotState.RUNNING && !removed) {
        consecutiveFailures = 0;
        launchStart("start requested while stopping");
      }
    }
  }

  /** A run ended (failed or completed); decide between stopped, backoff and error. */
  private void afterRunEnded(boolean failed, String reason) {
    cancelTimers();
    releaseContext();
    instance = null;
    processId = null;
    if (failed) {
      errorMessage = redact(reason);
    }
    if (desired == BotState.STOPPED || removed) {
      transition(BotState.STOPPED, reason);
      return;
    }
    RestartPolicy policy = policy();
    boolean restart =
        failed
            ? policy.mode() != RestartPolicy.Mode.NEVER
            : policy.mode() == RestartPolicy.Mode.ALWAYS;
    if (!restart) {
      transition(failed ? BotState.ERROR : BotState.STOPPED, reason);
      return;
    }
    int inWindow = 0;
    if (failed) {
      consecutiveFailures++;
      inWindow = failureInWindow();
      if (!policy.unlimitedRetries()
          && consecutiveFailures <= policy.maxRetries()
          && inWindow > policy.maxRetries()) {
        errorMessage =
            redact(
                "crash loop: "
                    + inWindow
                    + " failures within "
                    + human(policy.failureWindow())
                    + " (max_retries "
                    + policy.maxRetries()
                    + "); last: "
                    + reason);
        transition(BotState.ERROR, errorMessage);
        return;
      }
      if (!policy.unlimitedRetries() && consecutiveFailures > policy.maxRetries()) {
        errorMessage =
            redact(
                "gave up after "
                    + consecutiveFailures
                    + " consecutive failures (max_retries "
                    + policy.maxRetries()
                    + "); last: "
                    + reason);
        transition(BotState.ERROR, errorMessage);
        return;
      }
    }
    // A run that lasted resets the consecutive count, not the failures in the window: a bot that
    // crashes after every start_seconds still backs off further each time.
    Duration delay =
        policy.backoff(
            Math.max(1, Math.max(consecutiveFailures, inWindow)), engine.random().getAsDouble());
    long gen = generation;
    // Armed before the event goes out: whoever sees "backoff" sees the restart already scheduled.
    backoffTimer = schedule(() -> onBackoffElapsed(gen), delay);
    transition(BotState.BACKOFF, reason + "; restarting in " + human(delay));
  }

  /** Records a failed run now and returns how many failed runs lie within the failure window. */
  private int failureInWindow() {
    Instant now = engine.clock().instant();
    recentFailures.addLast(now);
    Instant cutoff = now.minus(policy().failureWindow());
    while (!recentFailures.isEmpty() && recentFailures.peekFirst().isBefore(cutoff)) {
      recentFailures.pollFirst();
    }
    return recentFailures.size();
  }

  private synchronized void onBackoffElapsed(long gen) {
    if (gen != generation || state != BotState.BACKOFF || desired != BotState.RUNNING || removed) {
      return;
    }
    restarts++;
    launchStart(
        "restart " + restarts + " after: " + (errorMessage == null ? "completion" : errorMessage));
  }

  // ---------------------------------------------------------------- status

  private void transition(BotState to, String reason) {
    BotState from = state;
    state = to;
    String safeReason = redact(reason);
    engine.events().publish((seq, at) -> new BotStatusEvent(seq, at, id(), from, to, safeReason));
    if (to == BotState.ERROR) {
      log.warn(
          "Bot {}: {} -> {} ({})",
          id(),
          from.wireName(),
          to.wireName(),
          LogText.escape(safeReason));
    } else {
      log.info(
          "Bot {}: {} -> {} ({})",
          id(),
          from.wireName(),
          to.wireName(),
          LogText.escape(safeReason));
    }
    checkWaiters();
  }

  public synchronized BotState state() {
    return state;
  }

  /** A consistent snapshot of the bot's status. */
  public BotStatus status() {
    BotState s;
    BotState d;
    Bot bot;
    String error;
    int restartCount;
    synchronized (this) {
      s = state;
      d = desired;
      bot = instance;
      error = errorMessage;
      restartCount = restarts;
    }
    BigDecimal profit;
    synchronized (profitLock) {
      profit = totalProfit;
    }
    return new BotStatus(
        id(),
        registration.name(),
        s,
        scriptPath,
        processId,
        startTime,
        lastActivity,
        opportunitiesFound.get(),
        profit,
        error,
        registration.type(),
        restartCount,
        d,
        health(s, bot, error),
        registration.schedule(),
        nextStart,
        nextStop);
  }

  /** The bot's schedule's next start and stop, as its schedule keeper last computed them. */
  public void scheduleTimes(java.time.Instant start, java.time.Instant stop) {
    nextStart = start;
    nextStop = stop;
  }

  private BotHealth health(BotState s, Bot bot, String error) {
    return switch (s) {
      case RUNNING -> {
        if (bot == null) {
          yield BotHealth.degraded("running");
        }
        try {
          BotHealth h = bot.health();
          yield h == null ? BotHealth.up() : new BotHealth(h.status(), redact(h.message()));
        } catch (RuntimeException e) {
          yield BotHealth.down("health check failed: " + redact(describe(e)));
        }
      }
      case STARTING, STOPPING -> BotHealth.degraded(s.wireName());
      case BACKOFF ->
          BotHealth.degraded("waiting to restart" + (error == null ? "" : ": " + error));
      case ERROR -> BotHealth.down(error == null ? "error" : error);
      case REGISTERED, STOPPED -> BotHealth.down("not running");
    };
  }

  // ---------------------------------------------------------------- context callbacks

  void touch() {
    Instant now = engine.clock().instant();
    lastActivity = now;
    lastBeat = now;
  }

  void heartbeat() {
    lastBeat = engine.clock().instant();
  }

  void countOpportunity() {
    opportunitiesFound.incrementAndGet();
    engine.opportunityRate().record();
  }

  void addProfit(BigDecimal quoteValue) {
    synchronized (profitLock) {
      totalProfit = totalProfit.add(quoteValue);
    }
  }

  /** Adds realized profit recorded by an earlier run of the service (from its journal). */
  public void restoreProfit(BigDecimal quoteValue) {
    addProfit(quoteValue);
  }

  void appendLog(java.time.Instant at, io.rehoboam.spi.LogLevel level, String message) {
    logs.add(at, level, message);
  }

  /** The last {@code n} log lines of this bot (all runs), oldest first. */
  public List<String> recentLogs(int n) {
    return logs.last(n);
  }

  /** Passes a command to the running instance. */
  public void command(String type, Map<String, Object> payload) {
    Bot bot;
    synchronized (this) {
      if (state != BotState.RUNNING || instance == null) {
        throw new io.rehoboam.spi.RehoboamException(
            io.rehoboam.spi.ErrorCode.CONFLICT,
            "bot " + id() + " is " + state.wireName() + "; commands need it running");
      }
      bot = instance;
    }
    bot.command(type, payload);
  }

  void processInfo(String commandLine, long pid) {
    scriptPath = commandLine;
    processId = pid < 0 ? null : pid;
  }

  /**
   * The settings of the current (or next) run, sensitive ones masked: the registered settings with
   * this run's start overrides laid over them.
   */
  public synchronized Map<String, Object> maskedSettings() {
    return Secrets.mask(runSettings(), sensitiveNames);
  }

  /** The start overrides of the current run, sensitive ones masked; empty when none. */
  public synchronized Map<String, Object> maskedRunOverrides() {
    return Secrets.mask(Settings.of(runOverrides), sensitiveNames);
  }

  /** {@code text} with every secret setting value replaced by {@code ***}. */
  String redact(String text) {
    return Secrets.redact(text, secretValues);
  }

  // ---------------------------------------------------------------- helpers

  private Settings runSettings() {
    return runOverrides.isEmpty()
        ? registration.settings()
        : registration.settings().with(runOverrides);
  }

  private CompletableFuture<BotStatus> await(Predicate<BotRunner> done) {
    CompletableFuture<BotStatus> future = new CompletableFuture<>();
    waiters.add(new Waiter(done, future));
    return future;
  }

  private void checkWaiters() {
    if (waiters.isEmpty()) {
      return;
    }
    BotStatus snapshot = null;
    for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
      Waiter w = it.next();
      if (w.done().test(this)) {
        it.remove();
        if (snapshot == null) {
          snapshot = status();
        }
        BotStatus s = snapshot;
        // Completed off this monitor so that callers' continuations never run while we hold it.
        engine.runOnWorker(() -> w.future().complete(s));
      }
    }
  }

  private ScheduledFuture<?> schedule(Runnable task, Duration delay) {
    return engine
        .scheduler()
        .schedule(
            () -> {
              try {
                task.run();
              } catch (RuntimeException e) {
                log.error("Supervision task of bot {} failed", id(), e);
              }
            },
            Math.max(0, delay.toNanos()),
            TimeUnit.NANOSECONDS);
  }

  private static void cancel(ScheduledFuture<?> timer) {
    if (timer != null) {
      timer.cancel(false);
    }
  }

  private void cancelTimers() {
    cancel(startTimeoutTimer);
    cancel(stableTimer);
    cancel(heartbeatTimer);
    cancel(stopTimeoutTimer);
  }

  private void stopQuietly(Bot bot) {
    if (bot == null) {
      return;
    }
    try {
      bot.stop(policy().stopTimeout());
    } catch (Exception | LinkageError | AssertionError e) {
      log.debug(
          "Bot {} failed while releasing an abandoned instance: {}",
          id(),
          LogText.escape(redact(describe(e))));
    }
  }

  static String describe(Throwable e) {
    String message = e.getMessage();
    String base = message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    Throwable cause = e.getCause();
    if (cause != null
        && cause != e
        && cause.getMessage() != null
        && !base.contains(cause.getMessage())) {
      base = base + " (" + cause.getMessage() + ")";
    }
    return base;
  }

  static String human(Duration d) {
    long ms = d.toMillis();
    if (ms < 1000) {
      return ms + " ms";
    }
    return BigDecimal.valueOf(ms, 3).stripTrailingZeros().toPlainString() + " s";
  }
}
