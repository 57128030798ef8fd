package io.rehoboam.core;

import io.rehoboam.core.book.OpportunityBook;
import io.rehoboam.core.book.OpportunityFilter;
import io.rehoboam.core.config.BotConfig;
import io.rehoboam.core.config.EnvOverrides;
import io.rehoboam.core.config.RehoboamConfig;
import io.rehoboam.core.events.EventBus;
import io.rehoboam.core.events.EventListener;
import io.rehoboam.core.events.EventSubscription;
import io.rehoboam.core.internal.BotRunner;
import io.rehoboam.core.internal.EngineServices;
import io.rehoboam.core.internal.ExecutionEngine;
import io.rehoboam.core.internal.MarketSources;
import io.rehoboam.core.internal.Monitoring;
import io.rehoboam.core.internal.NamedThreadFactory;
import io.rehoboam.core.internal.OpportunityRate;
import io.rehoboam.core.internal.ProviderContextImpl;
import io.rehoboam.core.internal.ProviderRegistry;
import io.rehoboam.core.internal.QuoteValuation;
import io.rehoboam.core.internal.SettingsValidation;
import io.rehoboam.core.journal.Journal;
import io.rehoboam.core.journal.JournalState;
import io.rehoboam.core.log.LogText;
import io.rehoboam.core.metrics.internal.EngineMetrics;
import io.rehoboam.core.risk.RiskLimits;
import io.rehoboam.core.risk.RiskPolicy;
import io.rehoboam.core.scan.ScanEngine;
import io.rehoboam.core.scan.StrategyDescriptor;
import io.rehoboam.core.schedule.internal.ScheduleKeeper;
import io.rehoboam.spi.BotProvider;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.Settings;
import io.rehoboam.spi.event.AnalysisEvent;
import io.rehoboam.spi.event.BotSettingsEvent;
import io.rehoboam.spi.event.BotState;
import io.rehoboam.spi.event.Event;
import io.rehoboam.spi.event.OpportunityExpiredEvent;
import io.rehoboam.spi.event.SystemEvent;
import io.rehoboam.spi.market.MarketSource;
import io.rehoboam.spi.market.MarketSourceProvider;
import io.rehoboam.spi.trade.Execution;
import io.rehoboam.spi.trade.Opportunity;
import io.rehoboam.spi.trade.TradeExecutor;
import io.rehoboam.spi.trade.TradeExecutorProvider;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.DoubleSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embeddable arbitrage service: registers, starts, stops and supervises bots and reports every
 * change as an event.
 *
 * <p>Build one with {@link #builder()}, call {@link #initialize()} (discovers providers, registers
 * the configured bots, starts those marked autostart) and {@link #close()} when done. All methods
 * are thread-safe. Synchronous commands wait at most the bot's start or stop timeout (plus a small
 * margin) and then return the status as it is; the {@code ...Async} variants never block.
 */
public final class ArbitrageService implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ArbitrageService.class);
  private static final Duration WAIT_MARGIN = Duration.ofSeconds(2);

  private final RehoboamConfig config;
  private final Map<String, String> env;
  private final Clock clock;
  private final boolean discover;
  private final ClassLoader classLoader;
  private final Duration closeTimeout;
  private final ProviderRegistry<BotProvider> botProviders =
      new ProviderRegistry<>(BotProvider.class, BotProvider::type, BotProvider::spiVersion);
  private final ProviderRegistry<MarketSourceProvider> sourceProviders =
      new ProviderRegistry<>(
          MarketSourceProvider.class, MarketSourceProvider::type, MarketSourceProvider::spiVersion);
  private final ProviderRegistry<TradeExecutorProvider> executorProviders =
      new ProviderRegistry<>(
          TradeExecutorProvider.class,
          TradeExecutorProvider::type,
          TradeExecutorProvider::spiVersion);
  private final MarketSources sources = new MarketSources();
  private final Map<String, TradeExecutor> executors =
      new java.util.concurrent.ConcurrentSkipListMap<>();
  private volatile String defaultExecutor;
  private final OpportunityBook book;
  private final RiskPolicy risk;
  private final ExecutionEngine executions;
  private final Duration executeTimeout;
  private java.util.concurrent.ScheduledFuture<?> purgeTask;
  private final Map<String, BotRunner> runners = new ConcurrentHashMap<>();
  private final BotOwnership ownership;
  private final List<String> order = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final EventBus events;
  private final ScheduledExecutorService scheduler;
  private final boolean ownsScheduler;
  private final ThreadPoolExecutor workers;
  private final EngineServices engine;
  private final Monitoring monitoring;
  private final io.rehoboam.core.internal.GuardedJournal journal;
  private final io.rehoboam.core.internal.FatalErrors fatal;
  private java.util.concurrent.ScheduledFuture<?> journalRetryTask;
  private final Duration journalRetryInterval;
  private final Map<String, java.math.BigDecimal> restoredProfit = new ConcurrentHashMap<>();
  private final ScheduleKeeper schedules;

  /** Null unless the builder was given a meter registry; typed so Micrometer loads only then. */
  private final io.rehoboam.core.metrics.internal.MicrometerMetrics metrics;

  private EventSubscription metricsSubscription;
  private final AtomicBoolean prepared = new AtomicBoolean();
  private final AtomicBoolean initialized = new AtomicBoolean();

  /** Set once {@link #prepare()} has built the sources and executors and registered the bots. */
  private volatile boolean ready;

  private volatile JournalState recovered = JournalState.empty();
  private final AtomicBoolean closing = new AtomicBoolean();
  private volatile boolean closed;

  private ArbitrageService(Builder b) {
    this.config = b.config;
    this.env = Map.copyOf(b.env);
    this.clock = b.clock;
    this.discover = b.discover;
    this.classLoader = b.classLoader;
    this.closeTimeout = b.closeTimeout;
    this.fatal = new io.rehoboam.core.internal.FatalErrors(clock);
    this.events =
        new EventBus(
            b.eventCapacity,
            new NamedThreadFactory("events", fatal),
            clock,
            new EventBus.FailureListener() {
              @Override
              public void listenerFailed(String subscription, Throwable error) {
                fatal.seen("event listener '" + subscription + "'", error);
              }

              @Override
              public void deliveryDied(String subscription, Throwable error) {
                fatal.deliveryDied(subscription, error);
              }
            });
    this.ownership = b.ownership;
    this.journal =
        b.journal == null
            ? null
            : new io.rehoboam.core.internal.GuardedJournal(
                b.journal,
                clock,
                new io.rehoboam.core.internal.GuardedJournal.Listener() {
                  @Override
                  public void failing(String problem) {
                    events.publish(
                        (seq, at) ->
                            new SystemEvent(seq, at, SystemEvent.Kind.JOURNAL_FAILING, problem));
                  }

                  @Override
                  public void recovered(String message) {
                    events.publish(
                        (seq, at) ->
                            new SystemEvent(seq, at, SystemEvent.Kind.JOURNAL_RECOVERED, message));
                  }
                });
    this.journalRetryInterval = b.journalRetryInterval;
    if (b.scheduler != null) {
      this.scheduler = b.scheduler;
      this.ownsScheduler = false;
    } else {
      ScheduledThreadPoolExecutor s =
          new ScheduledThreadPoolExecutor(1, new NamedThreadFactory("scheduler", fatal));
      s.setRemoveOnCancelPolicy(true);
      this.scheduler = s;
      this.ownsScheduler = true;
    }
    this.workers =
        new ThreadPoolExecutor(
            0,
            Integer.MAX_VALUE,
            30,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            new NamedThreadFactory("worker", fatal));
    this.engine =
        new EngineServices(
            clock,
            scheduler,
            new io.rehoboam.core.internal.GuardedScheduler(scheduler),
            workers,
            events,
            b.random,
            new OpportunityRate(clock),
            b.logLinesPerBot,
            new OpportunityBook(clock),
            sources,
            this::executions,
            b.meterRegistry == null ? EngineMetrics.NONE : newMetrics(b),
            env,
            executors);
    // No instanceof: that would load the Micrometer-typed class even when metrics are off.
    this.metrics =
        b.meterRegistry == null
            ? null
            : (io.rehoboam.core.metrics.internal.MicrometerMetrics) engine.metrics();
    this.book = engine.book();

    this.risk =
        new RiskPolicy(
            b.riskLimits != null ? b.riskLimits : RiskLimits.from(config.risk(), config.source()),
            clock,
            events);
    this.executeTimeout = b.executeTimeout;
    this.defaultExecutor = b.defaultExecutor;
    this.executions =
        new ExecutionEngine(
            book,
            risk,
            id ->
                ExecutionEngine.lookup(executors, java.util.Optional.ofNullable(defaultExecutor))
                    .apply(id),
            new QuoteValuation(sources::all),
            events,
            clock,
            journal);
    this.monitoring = new Monitoring(engine, runners::values, b.monitoringInterval);
    this.schedules = new ScheduleKeeper(clock, scheduler, new ScheduleControl());
    b.providers.forEach(botProviders::register);
    b.sourceProviders.forEach(sourceProviders::register);
    b.executorProviders.forEach(executorProviders::register);
    b.sources.forEach(sources::add);
    b.executors.forEach(e -> executors.put(e.id(), e));
  }

  private ExecutionEngine executions() {
    return executions;
  }

  /** Only called with a registry, so only then is Micrometer loaded. */
  private static EngineMetrics newMetrics(Builder b) {
    return new io.rehoboam.core.metrics.internal.MicrometerMetrics(
        (io.micrometer.core.instrument.MeterRegistry) b.meterRegistry);
  }

  public static Builder builder() {
    return new Builder();
  }

  // ---------------------------------------------------------------- life cycle

  /**
   * Discovers bot providers (unless switched off), registers the configured bots and starts those
   * marked autostart (without waiting for them). Call once; later calls do nothing. Calls {@link
   * #prepare()} first unless it was called.
   *
   * @throws RehoboamException PROVIDER_CONFLICT or SPI_VERSION_MISMATCH from discovery,
   *     INVALID_CONFIG for a configured bot of an unknown type
   */
  public void initialize() {
    ensureOpen();
    prepare();
    if (!initialized.compareAndSet(false, true)) {
      return;
    }
    for (String botId : List.copyOf(order)) {
      BotState desired = recovered.desiredStates().get(botId);
      BotRunner runner = runners.get(botId);
      if (runner != null && runner.registration().schedule() != null) {
        followSchedule(runner, desired, recovered.desiredSince().get(botId));
        continue;
      }
      if (desired == BotState.RUNNING
          || (desired == null && runner != null && runner.registration().autostart())) {
        startHere(runner(botId), null, "start requested");
      }
      if (desired != null) {
        recoveryEvent("bot " + botId + " returns to its desired state " + desired.name());
      }
    }
    recovered = JournalState.empty();
    events.publish(
        (seq, at) ->
            new SystemEvent(
                seq,
                at,
                SystemEvent.Kind.STARTED,
                "service started with " + config.bots().size() + " bots"));
  }

  /**
   * The first half of {@link #initialize()}: discovers providers, builds the sources and executors,
   * recovers the journal and registers every configured and recovered bot, starting none. A server
   * calls it before it listens, so its first answer already lists the bots, and {@link
   * #initialize()} after. Idempotent.
   *
   * @throws RehoboamException as {@link #initialize()}
   */
  public void prepare() {
    ensureOpen();
    if (!prepared.compareAndSet(false, true)) {
      return;
    }
    if (metrics != null) {
      metrics.bind(this::bots, events::totalDropped);
      metricsSubscription = events.subscribe("metrics", metrics, e -> true);
    }
    events.publish(
        (seq, at) -> new SystemEvent(seq, at, SystemEvent.Kind.STARTING, "service starting"));
    if (discover) {
      botProviders.discover(classLoader, this::providerSkipped);
      sourceProviders.discover(classLoader, this::providerSkipped);
      executorProviders.discover(classLoader, this::providerSkipped);
    }
    // Every configured component is checked against its provider's settings schema before the
    // first one is built: a bad configuration starts nothing and journals nothing.
    validateConfiguration();
    createSources();
    createExecutors();
    recovered = recoverExecutions();
    if (journal != null) {
      io.rehoboam.core.risk.RiskControl control = journal.loadRiskControl();
      if (control != null) {
        risk.restore(control);
        io.rehoboam.core.risk.RiskState state = risk.state();
        recoveryEvent(
            "risk controls: kill switch "
                + (state.killSwitch().tripped()
                    ? "tripped by "
                        + state.killSwitch().by()
                        + " ("
                        + state.killSwitch().reason()
                        + ")"
                    : "not tripped")
                + (state.limitsChangedBy() == null
                    ? ""
                    : "; limits as changed by " + state.limitsChangedBy()));
      }
      risk.onControl(journal::riskControl);
    }
    long purgeNanos = Duration.ofSeconds(1).toNanos();
    purgeTask =
        scheduler.scheduleAtFixedRate(
            this::purgeExpired, purgeNanos, purgeNanos, TimeUnit.NANOSECONDS);
    if (journal != null) {
      long retryNanos = journalRetryInterval.toNanos();
      journalRetryTask =
          scheduler.scheduleWithFixedDelay(
              this::retryJournal, retryNanos, retryNanos, TimeUnit.NANOSECONDS);
    }
    List<BotConfig> bots = config.bots();
    for (BotConfig bot : bots) {
      register(
          new BotRegistration(
              bot.id(),
              bot.type(),
              bot.name(),
              bot.autostart(),
              bot.restart(),
              bot.settings(),
              bot.schedule()),
          false);
    }
    for (BotRegistration r : recovered.registrations()) {
      if (runners.containsKey(r.id())) {
        recoveryEvent("bot " + r.id() + " registered at run time is now in the configuration");
      } else if (botProviders.find(r.type()).isEmpty()) {
        recoveryEvent("bot " + r.id() + " not registered again: its type " + r.type() + " is gone");
      } else {
        try {
          register(r, false);
          recoveryEvent("bot " + r.id() + " registered again");
        } catch (RehoboamException e) {
          recoveryEvent("bot " + r.id() + " not registered again: " + e.getMessage());
        }
      }
    }
    if (journal != null) {
      for (Map.Entry<String, Settings> e : journal.loadBotSettings().entrySet()) {
        BotRunner runner = runners.get(e.getKey());
        if (runner != null) {
          // Secrets are not journalled: the environment's and the configuration's stay.
          Settings kept = e.getValue();
          for (String secret : runner.sensitiveNames()) {
            for (String name : runner.registration().settings().names()) {
              if (name.equalsIgnoreCase(secret)) {
                Object value = runner.registration().settings().raw(name).orElse(null);
                if (value != null) {
                  kept = kept.with(Map.of(name, value));
                }
              }
            }
          }
          runner.replaceSettings(kept);
          recoveryEvent("bot " + e.getKey() + " runs with the settings an operator changed");
        }
      }
    }
    ready = true;
  }

  /**
   * Checks the configured sources, executors and bots: each names a known type and its settings
   * pass its provider's schema. The first problem is an INVALID_CONFIG error naming the file, the
   * entry and the field.
   */
  private void validateConfiguration() {
    forEachEntry(
        "sources",
        config.sources(),
        sourceProviders,
        (where, id, provider, settings) ->
            SettingsValidation.check(where, provider.settingsSchema(), settings, env));
    forEachEntry(
        "executors",
        config.executors(),
        executorProviders,
        (where, id, provider, settings) -> {
          settings.bool("default", false);
          SettingsValidation.check(
              where, provider.settingsSchema(), settings.without("default"), env);
        });
    for (BotConfig bot : config.bots()) {
      String where = config.source() + ": bots[" + bot.id() + "]";
      BotProvider provider =
          botProviders
              .find(bot.type())
              .orElseThrow(
                  () ->
                      configError(
                          where
                              + ".type: unknown bot type '"
                              + bot.type()
                              + "' (known: "
                              + String.join(", ", botProviders.types())
                              + ")"));
      Settings settings = bot.settings().with(EnvOverrides.forBot(bot.id(), env));
      SettingsValidation.check(where, provider.settingsSchema(), settings, env);
    }
  }

  /**
   * Reads the journal back (when there is one) and settles what it left in flight before any new
   * execution can start: claims and idempotency keys, executors' signed-transaction hook, today's
   * realized losses for the risk policy, each bot's realized profit.
   */
  private JournalState recoverExecutions() {
    if (journal == null) {
      return JournalState.empty();
    }
    JournalState state = journal.load();
    for (TradeExecutor executor : executors.values()) {
      if (executor instanceof io.rehoboam.spi.trade.Reconciler reconciler) {
        reconciler.journalTo(journal::transactionSigned);
      }
    }
    restoredProfit.putAll(state.profitByBot());
    java.math.BigDecimal lossToday =
        state.lossOn(java.time.LocalDate.ofInstant(clock.instant(), java.time.ZoneOffset.UTC));
    if (lossToday.signum() > 0) {
      risk.recordRealized(lossToday.negate(), null);
      recoveryEvent("realized losses today: " + lossToday.toPlainString());
    }
    executions.recover(
        state,
        (botId, execution) -> {
          if (botId != null
              && execution.realizedProfitUsd() != null
              && (execution.status() == io.rehoboam.spi.trade.ExecutionStatus.CONFIRMED
                  || execution.status() == io.rehoboam.spi.trade.ExecutionStatus.SIMULATED)) {
            BotRunner runner = runners.get(botId);
            if (runner != null) {
              runner.restoreProfit(execution.realizedProfitUsd());
            } else {
              restoredProfit.merge(botId, execution.realizedProfitUsd(), java.math.BigDecimal::add);
            }
          }
        });
    return state;
  }

  private void recoveryEvent(String message) {
    log.info("Recovery: {}", LogText.escape(message));
    events.publish((seq, at) -> new SystemEvent(seq, at, SystemEvent.Kind.RECOVERY, message));
  }

  private void createSources() {
    forEachConfigured(
        "sources",
        config.sources(),
        sourceProviders,
        p -> p.settingsSchema().sensitiveNames(),
        (id, provider, section) ->
            sources.add(provider.create(id, section, new ProviderContextImpl(engine))));
  }

  private void createExecutors() {
    forEachConfigured(
        "executors",
        config.executors(),
        executorProviders,
        p -> p.settingsSchema().sensitiveNames(),
        (id, provider, section) -> {
          boolean isDefault = section.bool("default", false);
          executors.put(
              id, provider.create(id, section.without("default"), new ProviderContextImpl(engine)));
          if (isDefault) {
            defaultExecutor = id;
          }
        });
    if (defaultExecutor == null && executors.size() == 1) {
      defaultExecutor = executors.keySet().iterator().next();
    }
  }

  /** Visits one entry of a configuration section: where it is, its id, provider and settings. */
  @FunctionalInterface
  private interface EntryVisitor<P> {
    void visit(String where, String id, P provider, Settings settings);
  }

  /** For each entry {@code <id>: {type: ..., ...}} of a section: its provider and its settings. */
  private <P> void forEachEntry(
      String sectionName, Settings entries, ProviderRegistry<P> registry, EntryVisitor<P> visitor) {
    for (Map.Entry<String, Object> e : entries.asMap().entrySet()) {
      String where = config.source() + ": " + sectionName + "." + e.getKey();
      Settings section = sectionOf(e.getValue(), where);
      String type =
          section.string("type").orElseThrow(() -> configError(where + ".type: is required"));
      P provider =
          registry
              .find(type)
              .orElseThrow(
                  () ->
                      configError(
                          where
                              + ".type: unknown type '"
                              + type
                              + "' (known: "
                              + String.join(", ", registry.types())
                              + ")"));
      visitor.visit(where, e.getKey(), provider, section.without("type"));
    }
  }

  /** Builds one component of a configuration section: its id, its provider, its other settings. */
  @FunctionalInterface
  private interface ComponentFactory<P> {
    void create(String id, P provider, Settings settings);
  }

  /**
   * For each entry {@code <id>: {type: ..., ...}} of a section: finds the provider of its type and
   * builds it, turning every problem into an error that names the file, the section and the entry.
   */
  private <P> void forEachConfigured(
      String sectionName,
      Settings entries,
      ProviderRegistry<P> registry,
      java.util.function.Function<P, java.util.Set<String>> sensitiveOf,
      ComponentFactory<P> factory) {
    forEachEntry(
        sectionName,
        entries,
        registry,
        (where, id, provider, settings) -> {
          try {
            factory.create(id, provider, settings);
          } catch (RehoboamException ex) {
            // A provider's message may quote a value; never let a secret setting's value through.
            java.util.Set<String> secrets =
                io.rehoboam.core.config.Secrets.secretValues(settings, sensitiveOf.apply(provider));
            throw configError(
                where + ": " + io.rehoboam.core.config.Secrets.redact(ex.getMessage(), secrets));
          }
        });
  }

  private static Settings sectionOf(Object value, String where) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new java.util.LinkedHashMap<>();
      map.forEach((k, v) -> copy.put(String.valueOf(k), v));
      return Settings.of(copy);
    }
    throw configError(where + ": expected a section (a map of settings)");
  }

  private static RehoboamException configError(String message) {
    return new RehoboamException(ErrorCode.INVALID_CONFIG, message);
  }

  private void purgeExpired() {
    try {
      for (Opportunity o : book.purgeExpired()) {
        executions.forget(o.id());
        events.publish(
            (seq, at) -> new OpportunityExpiredEvent(seq, at, o.sourceBot(), o.id(), "expired"));
      }
    } catch (RuntimeException e) {
      log.error("Purging expired opportunities failed", e);
    }
  }

  private void retryJournal() {
    try {
      journal.retry();
    } catch (RuntimeException e) {
      log.error("Retrying the journal failed", e);
    }
  }

  /**
   * The service's own health, beyond its bots and sources: whether it is live (false once it can no
   * longer do its work, which only a restart repairs: {@code memory}, an OutOfMemoryError on one of
   * its threads; {@code events}, a thread delivering events died) and its problems by component
   * ({@code journal}: writes fail, executions are refused until they succeed again).
   */
  public ServiceHealth health() {
    Map<String, String> fatalProblems = fatal.problems();
    Map<String, String> problems = new java.util.LinkedHashMap<>(fatalProblems);
    if (journal != null) {
      journal
          .problem()
          .ifPresent(
              p ->
                  problems.put(
                      "journal",
                      "journal "
                          + journal.location()
                          + " does not take writes since "
                          + p.since()
                          + " (executions are refused; retried every "
                          + journalRetryInterval.toMillis()
                          + " ms"
                          + (p.resultsWaiting() == 0
                              ? ""
                              : "; " + p.resultsWaiting() + " execution result(s) kept in memory")
                          + "): "
                          + p.message()));
    }
    return new ServiceHealth(fatalProblems.isEmpty(), problems);
  }

  private void providerSkipped(String reason) {
    log.warn("{}", LogText.escape(reason));
    events.publish(
        (seq, at) -> new SystemEvent(seq, at, SystemEvent.Kind.PROVIDER_SKIPPED, reason));
  }

  /** Registers a bot provider in code; it replaces a discovered provider of the same type. */
  public void registerProvider(BotProvider provider) {
    ensureOpen();
    botProviders.register(Objects.requireNonNull(provider, "provider"));
  }

  /** The bot types this service can build, sorted. */
  public List<String> botTypes() {
    return botProviders.types();
  }

  // ---------------------------------------------------------------- registry

  /**
   * Registers a bot. Environment overrides ({@code ARB_<BOT_ID>__<SETTING>}) are laid over its
   * settings.
   *
   * @throws RehoboamException ALREADY_EXISTS for a taken id, INVALID_ARGUMENT for an unknown type
   */
  public BotStatus register(BotRegistration registration) {
    ensureInitialized();
    return register(registration, journal != null);
  }

  private BotStatus register(BotRegistration registration, boolean journalIt) {
    ensureOpen();
    Objects.requireNonNull(registration, "registration");
    BotProvider provider =
        botProviders
            .find(registration.type())
            .orElseThrow(
                () ->
                    RehoboamException.invalid(
                        "type",
                        "unknown bot type '"
                            + registration.type()
                            + "' (known: "
                            + String.join(", ", botProviders.types())
                            + ")"));
    Map<String, String> overrides = EnvOverrides.forBot(registration.id(), env);
    BotRegistration effective =
        overrides.isEmpty()
            ? registration
            : registration.withSettings(registration.settings().with(overrides));
    SettingsValidation.check(
        "bot '" + effective.id() + "'", provider.settingsSchema(), effective.settings(), env);
    BotRunner runner = new BotRunner(effective, provider, engine);
    synchronized (runners) {
      if (runners.putIfAbsent(effective.id(), runner) != null) {
        throw new RehoboamException(
            ErrorCode.ALREADY_EXISTS,
            "a bot with id '" + effective.id() + "' is already registered");
      }
      if (journalIt) {
        try {
          // Secrets (declared or named like one, at any depth) never go to disk: a recovered bot
          // gets them again from the environment (ARB_<BOT_ID>__<SETTING>), like any configured
          // bot.
          journal.registered(
              registration.withSettings(
                  io.rehoboam.core.config.Secrets.withoutSecrets(
                      registration.settings(), provider.settingsSchema().sensitiveNames())));
        } catch (RuntimeException e) {
          runners.remove(effective.id(), runner);
          throw e;
        }
      }
      order.add(effective.id());
    }
    java.math.BigDecimal profit = restoredProfit.remove(effective.id());
    if (profit != null) {
      runner.restoreProfit(profit);
    }
    if (effective.schedule() != null && initialized.get()) {
      followSchedule(runner, null, null);
    }
    log.info(
        "Registered bot {} of type {} (settings: {})",
        effective.id(),
        effective.type(),
        LogText.escape(
            io.rehoboam.core.config.Secrets.mask(effective.settings(), runner.sensitiveNames())));
    events.publish(
        (seq, at) ->
            new SystemEvent(
                seq,
                at,
                SystemEvent.Kind.BOT_REGISTERED,
                "bot " + effective.id() + " of type " + effective.type()));
    return runner.status();
  }

  /** Stops the bot (waiting at most its stop timeout) and removes it; returns its last status. */
  public BotStatus unregister(String botId) {
    BotRunner runner = runner(botId);
    BotStatus last = await(runner.stop(), runner.registration().restart().stopTimeout(), runner);
    synchronized (runners) {
      runners.remove(botId, runner);
      order.remove(botId);
    }
    schedules.untrack(botId);
    runner.markRemoved();
    if (journal != null) {
      journal.unregistered(botId);
    }
    events.publish(
        (seq, at) ->
            new SystemEvent(
                seq, at, SystemEvent.Kind.BOT_UNREGISTERED, "bot " + botId + " unregistered"));
    return last;
  }

  /** Every registered bot's status, in registration order. */
  public List<BotStatus> bots() {
    List<BotStatus> out = new ArrayList<>();
    for (String id : order) {
      BotRunner r = runners.get(id);
      if (r != null) {
        out.add(viewed(r));
      }
    }
    return List.copyOf(out);
  }

  /** A bot's status; for a bot another server of a cluster runs, in the state it reported. */
  private BotStatus viewed(BotRunner r) {
    BotStatus s = r.status();
    if (ownership.owns(r.id())) {
      return s;
    }
    return ownership
        .stateElsewhere(r.id())
        .map(
            state ->
                new BotStatus(
                    s.botId(),
                    s.name(),
                    state,
                    s.scriptPath(),
                    null,
                    s.startTime(),
                    s.lastActivity(),
                    s.opportunitiesFound(),
                    s.totalProfit(),
                    s.errorMessage(),
                    s.type(),
                    s.restarts(),
                    s.desiredState(),
                    s.health()))
        .orElse(s);
  }

  /**
   * A bot's settings as its current (or next) run sees them: the registered settings (with {@code
   * ARB_} overrides) and the run's start overrides laid over them; sensitive settings are masked
   * ({@code ***}). NOT_FOUND when no bot has this id.
   */
  public Map<String, Object> botSettings(String botId) {
    return runner(botId).maskedSettings();
  }

  /** The start overrides of a bot's current run (masked like {@link #botSettings}); often empty. */
  public Map<String, Object> botRunOverrides(String botId) {
    return runner(botId).maskedRunOverrides();
  }

  /**
   * Changes a bot's settings: the changes are laid over its registered settings, checked by
   * building (not starting) a bot with them, kept (journalled, secrets left out: they come from the
   * environment again), and, when the bot runs, it is restarted with them. Published as a {@code
   * bot.settings} event ({@link BotSettingsEvent}: the names changed, how they were applied, by
   * whom and the settings now, masked).
   *
   * @param by who changes them, for the record
   * @throws RehoboamException NOT_FOUND, INVALID_ARGUMENT naming the setting
   */
  public SettingsChange changeSettings(String botId, Map<String, Object> changes, String by) {
    BotRunner runner = runner(botId);
    if (changes == null || changes.isEmpty()) {
      throw RehoboamException.invalid("settings", "give at least one setting to change");
    }
    for (String name : changes.keySet()) {
      if (name == null || name.isBlank()) {
        throw RehoboamException.invalid("settings", "a setting name must not be blank");
      }
    }
    Settings next = runner.registration().settings().with(changes);
    runner.validate(next);
    if (journal != null) {
      journal.botSettings(
          botId, io.rehoboam.core.config.Secrets.withoutSecrets(next, runner.sensitiveNames()));
    }
    runner.replaceSettings(next);
    BotState state = runner.state();
    boolean running =
        state == BotState.RUNNING || state == BotState.STARTING || state == BotState.BACKOFF;
    BotStatus status = running ? restart(botId) : runner.status();
    String applied = running ? SettingsChange.RESTARTED : SettingsChange.STORED;
    List<String> changed = List.copyOf(new java.util.TreeSet<>(changes.keySet()));
    Map<String, Object> masked = runner.maskedSettings();
    events.publish((seq, at) -> new BotSettingsEvent(seq, at, botId, changed, applied, by, masked));
    log.info(
        "Bot {}: settings {} changed by {} ({})",
        botId,
        LogText.escape(String.join(", ", changed)),
        LogText.escape(by),
        applied);
    return new SettingsChange(botId, applied, masked, status);
  }

  /**
   * One bot's status; NOT_FOUND when no bot has this id. A bot another server of a cluster runs is
   * shown in the state that server reported ({@link BotOwnership#stateElsewhere}).
   */
  public BotStatus bot(String botId) {
    return viewed(runner(botId));
  }

  /**
   * The last {@code lines} log lines of a bot (its own log calls and, for process bots, its
   * output), oldest first, secrets redacted. Kept across restarts and after the bot stopped.
   */
  public List<String> logs(String botId, int lines) {
    if (lines < 0) {
      throw RehoboamException.invalid("lines", "must not be negative");
    }
    return runner(botId).recentLogs(lines);
  }

  /**
   * Sends a command to a running bot (a process bot writes it to the program's stdin as a JSON
   * line).
   *
   * @throws RehoboamException NOT_FOUND for an unknown bot, CONFLICT when it is not running,
   *     INVALID_ARGUMENT when the bot does not take the command
   */
  public void sendCommand(String botId, String type, Map<String, Object> payload) {
    if (type == null || type.isBlank()) {
      throw RehoboamException.invalid("type", "must not be blank");
    }
    ensureInitialized();
    runner(botId).command(type, payload == null ? Map.of() : Map.copyOf(payload));
  }

  /**
   * Sends a command to a running bot and waits (at most {@code wait}) for its reply: the log lines
   * it writes from then on, until the first arrives. The command is sent whatever the wait.
   *
   * @throws RehoboamException as {@link #sendCommand}; INVALID_ARGUMENT for a wait beyond 30 s
   */
  public CommandReply command(
      String botId, String type, Map<String, Object> payload, Duration wait) {
    if (wait == null || wait.isNegative() || wait.compareTo(Duration.ofSeconds(30)) > 0) {
      throw RehoboamException.invalid("wait", "must be 0..30 s");
    }
    runner(botId); // NOT_FOUND before anything is subscribed
    java.util.concurrent.LinkedBlockingQueue<String> lines =
        new java.util.concurrent.LinkedBlockingQueue<>();
    EventSubscription sub =
        events.subscribe(
            "command-reply",
            e -> lines.add(((io.rehoboam.spi.event.BotLogEvent) e).message()),
            e -> e instanceof io.rehoboam.spi.event.BotLogEvent l && botId.equals(l.botId()));
    try {
      sendCommand(botId, type, payload);
      List<String> reply = new ArrayList<>();
      String first = lines.poll(wait.toNanos(), TimeUnit.NANOSECONDS);
      if (first != null) {
        reply.add(first);
        lines.drainTo(reply);
      }
      return new CommandReply(botId, type, first != null, reply);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new CommandReply(botId, type, false, List.of());
    } finally {
      sub.close();
    }
  }

  // ---------------------------------------------------------------- commands

  /** Starts a bot and waits (bounded) for the outcome; idempotent. */
  public BotStatus start(String botId) {
    return start(botId, null);
  }

  /** Starts a bot with settings overrides for this run and waits (bounded) for the outcome. */
  public BotStatus start(String botId, Map<String, ?> overrides) {
    ensureInitialized();
    runner(botId).checkOverrides(overrides);
    BotRunner runner = desire(botId, BotState.RUNNING);
    return await(
        startHere(runner, overrides, "start requested"),
        runner.registration().restart().startTimeout(),
        runner);
  }

  /**
   * Starts a bot without waiting. The stage completes with the status once the start has an outcome
   * (running, or failed into backoff or error, or superseded by a stop).
   */
  public CompletionStage<BotStatus> startAsync(String botId) {
    return startAsync(botId, null);
  }

  public CompletionStage<BotStatus> startAsync(String botId, Map<String, ?> overrides) {
    ensureInitialized();
    runner(botId).checkOverrides(overrides);
    return startHere(desire(botId, BotState.RUNNING), overrides, "start requested")
        .minimalCompletionStage();
  }

  /**
   * Whether this service runs the bot now ({@link Builder#ownership}): always, unless it is a
   * server of a cluster and another server holds the bot's lease.
   */
  public boolean runsHere(String botId) {
    return ownership.owns(botId);
  }

  /**
   * Starts a bot without recording a desired state: for a server of a cluster that just gained the
   * bot's lease, where the desired state already says it runs. Does nothing (returns the status)
   * when this service does not own the bot.
   */
  public CompletionStage<BotStatus> resume(String botId) {
    ensureInitialized();
    return startHere(runner(botId), null, "start requested").minimalCompletionStage();
  }

  /**
   * Stops a bot without recording a desired state: for a server of a cluster that lost the bot's
   * lease (another server runs it now), or sees it desired stopped.
   */
  public CompletionStage<BotStatus> suspend(String botId) {
    return runner(botId).stop().minimalCompletionStage();
  }

  /** Stops a bot and waits (bounded by its stop timeout) until it is at rest; idempotent. */
  public BotStatus stop(String botId) {
    BotRunner runner = desire(botId, BotState.STOPPED);
    return await(runner.stop(), runner.registration().restart().stopTimeout(), runner);
  }

  public CompletionStage<BotStatus> stopAsync(String botId) {
    return desire(botId, BotState.STOPPED).stop().minimalCompletionStage();
  }

  /** Stops then starts a bot. */
  public BotStatus restart(String botId) {
    ensureInitialized();
    stop(botId);
    return start(botId);
  }

  public CompletionStage<BotStatus> restartAsync(String botId) {
    ensureInitialized();
    BotRunner runner = desire(botId, BotState.RUNNING);
    if (!ownership.owns(botId)) {
      return startHere(runner, null, "start requested").minimalCompletionStage();
    }
    return runner.stop().thenCompose(s -> runner.start(null));
  }

  // ---------------------------------------------------------------- events and monitoring

  /** Subscribes to every event. */
  public EventSubscription subscribe(EventListener listener) {
    return subscribe(listener, e -> true);
  }

  /**
   * Subscribes to the events {@code filter} accepts. Delivery is on a thread of the subscription's
   * own, in event order; a slow listener loses the oldest events beyond the bus capacity (counted
   * in {@link EventSubscription#dropped()}), never slows publishers or other subscribers.
   */
  public EventSubscription subscribe(EventListener listener, Predicate<? super Event> filter) {
    ensureOpen();
    return events.subscribe("subscriber", listener, filter);
  }

  /**
   * Publishes a {@code system} event, for an application or adapter that records something about
   * the service as a whole in its event stream (the HTTP adapter's audit records, kind {@code
   * audit}).
   *
   * @param kind what kind of record, for example {@code audit}; not blank
   * @param message the record, for example a JSON object as text
   * @return the published event with its seq, or null when the service is already closed
   * @throws RehoboamException INVALID_ARGUMENT for a blank kind
   */
  public SystemEvent publishSystemEvent(String kind, String message) {
    io.rehoboam.spi.Checks.notBlank(kind, "kind");
    return events.publish((seq, at) -> new SystemEvent(seq, at, kind, message));
  }

  /**
   * Publishes a market analysis ({@code analysis} event) an advisor bot made, with the next seq and
   * the bus's time in place of {@code analysis}'s own.
   *
   * @return the published event, or null when the service is already closed
   */
  public AnalysisEvent publishAnalysis(AnalysisEvent analysis) {
    io.rehoboam.spi.Checks.notNull(analysis, "analysis");
    return events.publish(analysis::sequenced);
  }

  /** Total events dropped for slow subscribers. */
  public long eventDrops() {
    return events.totalDropped();
  }

  /** Switches the periodic monitoring snapshot on; idempotent. Supervision runs regardless. */
  public void startMonitoring() {
    ensureOpen();
    monitoring.start();
  }

  /** Switches the periodic monitoring snapshot off; idempotent. */
  public void stopMonitoring() {
    monitoring.stop();
  }

  public boolean isMonitoring() {
    return monitoring.isOn();
  }

  /** Publishes one monitoring snapshot now, whether periodic snapshots are on or not. */
  public void snapshotNow() {
    ensureOpen();
    monitoring.emit();
  }

  // ---------------------------------------------------------------- opportunities and execution

  /** The live opportunities matching {@code filter}, best (highest net profit) first. */
  public List<Opportunity> opportunities(OpportunityFilter filter) {
    ensureOpen();
    return book.query(Objects.requireNonNull(filter, "filter"));
  }

  /**
   * One live opportunity; NOT_FOUND when unknown, EXPIRED when past its expiry (for as long again
   * as it lived, see {@link OpportunityBook}).
   */
  public Opportunity opportunity(String opportunityId) {
    ensureOpen();
    return book.require(opportunityId);
  }

  /**
   * Executes an opportunity through the risk policy and a trade executor and waits (bounded) for
   * the result.
   *
   * @throws RehoboamException NOT_FOUND (unknown opportunity or executor), EXPIRED,
   *     ALREADY_EXECUTED, RISK_REJECTED (the message names the limit), INVALID_ARGUMENT, CONFLICT
   *     (idempotency key reused for another opportunity), TIMEOUT
   */
  public Execution execute(String opportunityId, ExecuteRequest request) {
    CompletableFuture<Execution> future =
        executeAsync(opportunityId, request).toCompletableFuture();
    try {
      return future.get(executeTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new RehoboamException(
          ErrorCode.TIMEOUT,
          "execution of "
              + opportunityId
              + " did not finish within "
              + executeTimeout
              + "; it continues and its events follow");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RehoboamException re) {
        throw re;
      }
      throw new RehoboamException(
          ErrorCode.INTERNAL, "execution failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RehoboamException(ErrorCode.TIMEOUT, "interrupted while waiting for the execution");
    }
  }

  /** Executes without blocking; the stage fails with the same errors {@link #execute} throws. */
  public CompletionStage<Execution> executeAsync(String opportunityId, ExecuteRequest request) {
    ensureInitialized();
    return executions.execute(
        opportunityId, Objects.requireNonNull(request, "request"), null, null);
  }

  // ---------------------------------------------------------------- history and PnL

  /**
   * A page of the trade history, newest first: every execution sent to an executor (not those the
   * risk policy refused), from the journal when there is one, so it survives restarts.
   *
   * @throws RehoboamException INVALID_ARGUMENT for a cursor this service did not make
   */
  public io.rehoboam.core.history.ExecutionPage executions(
      io.rehoboam.core.history.ExecutionQuery query) {
    ensureOpen();
    return executions.history().query(Objects.requireNonNull(query, "query"));
  }

  /** One execution of the trade history with its legs and transactions; NOT_FOUND when unknown. */
  public io.rehoboam.core.history.TradeRecord execution(String executionId) {
    ensureOpen();
    return executions
        .history()
        .find(executionId)
        .orElseThrow(
            () ->
                new RehoboamException(
                    ErrorCode.NOT_FOUND, "no execution with id '" + executionId + "'"));
  }

  /**
   * Profit and loss over the trade history: totals, per bot, per strategy and a time series.
   * Without filters its {@code by_bot} realized profits are the bots' {@code total_profit}.
   */
  public io.rehoboam.core.history.PnlReport pnl(io.rehoboam.core.history.PnlQuery query) {
    ensureOpen();
    return executions.history().pnl(Objects.requireNonNull(query, "query"));
  }

  // ---------------------------------------------------------------- run-time risk control

  /** The risk limits in force, how much of them is used now, and the kill switch. */
  public io.rehoboam.core.risk.RiskState riskState() {
    ensureOpen();
    return risk.state();
  }

  /**
   * Trips the kill switch: every execution is refused until it is reset. Journalled (a restart
   * keeps it tripped) and published as a {@code risk} event; tripping a tripped switch changes
   * nothing.
   *
   * @param by who trips it (an API key id, an operator's name), kept with it
   */
  public io.rehoboam.core.risk.RiskState tripKillSwitch(String reason, String by) {
    ensureOpen();
    risk.trip(reason, by);
    return risk.state();
  }

  /** Resets the kill switch (and today's loss tally); journalled and published. */
  public io.rehoboam.core.risk.RiskState resetKillSwitch(String reason, String by) {
    ensureOpen();
    risk.reset(reason, by);
    return risk.state();
  }

  /**
   * Changes risk limits at run time ({@link RiskLimits#with}: keys {@code max_trade_input}, {@code
   * max_trades_per_minute}, {@code daily_loss_limit}, {@code min_net_profit}; null switches one
   * off). Validated first; journalled so a restart keeps them; published as a {@code risk} event
   * {@code limits_changed}.
   *
   * @throws RehoboamException INVALID_ARGUMENT naming the key
   */
  public io.rehoboam.core.risk.RiskState changeRiskLimits(Map<String, ?> changes, String by) {
    ensureOpen();
    synchronized (risk) {
      return risk.changeLimits(risk.limits().with(changes), by);
    }
  }

  /** The risk policy: its limits, and the kill switch to trip or reset. */
  public RiskPolicy risk() {
    return risk;
  }

  /** The ids of the service's market sources. */
  public List<String> marketSourceIds() {
    return sources.ids();
  }

  /**
   * Whether a bot has used this market source since the service started. A source no bot uses is
   * idle by design: its health is shown but does not make the service unready.
   */
  public boolean marketSourceInUse(String sourceId) {
    return sources.inUse(sourceId);
  }

  /** A market source by id; NOT_FOUND when unknown. */
  public MarketSource marketSource(String sourceId) {
    return sources.get(sourceId);
  }

  /** The ids of the service's trade executors, sorted. */
  public List<String> executorIds() {
    return List.copyOf(executors.keySet());
  }

  /** The strategies the scan engine offers, then those of the bot types that offer their own. */
  public List<StrategyDescriptor> strategies() {
    Map<String, StrategyDescriptor> out = new java.util.LinkedHashMap<>();
    ScanEngine.strategies().forEach(d -> out.put(d.id(), d));
    for (BotProvider provider : botProviders.all()) {
      if (provider instanceof io.rehoboam.core.scan.StrategyOffer offer) {
        offer.strategies().forEach(d -> out.putIfAbsent(d.id(), d));
      }
    }
    return List.copyOf(out.values());
  }

  // ---------------------------------------------------------------- close

  /**
   * Stops every bot in parallel within the close timeout, drains subscribers and stops every thread
   * the service started. Idempotent.
   */
  @Override
  public void close() {
    if (!closing.compareAndSet(false, true)) {
      return;
    }
    events.publish(
        (seq, at) -> new SystemEvent(seq, at, SystemEvent.Kind.STOPPING, "service stopping"));
    monitoring.stop();
    schedules.close();
    List<CompletableFuture<BotStatus>> stops = new ArrayList<>();
    for (BotRunner r : runners.values()) {
      stops.add(r.stop());
    }
    try {
      CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new))
          .get(closeTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      log.warn("Not every bot stopped within {}; closing anyway", closeTimeout);
    } catch (ExecutionException e) {
      log.warn("A bot failed while stopping", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    runners.values().forEach(BotRunner::markRemoved);
    if (purgeTask != null) {
      purgeTask.cancel(false);
    }
    if (journalRetryTask != null) {
      journalRetryTask.cancel(false);
    }
    for (TradeExecutor executor : executors.values()) {
      try {
        executor.close();
      } catch (RuntimeException e) {
        log.warn("Trade executor {} failed to close", executor.id(), e);
      }
    }
    sources.closeAll();
    events.publish(
        (seq, at) -> new SystemEvent(seq, at, SystemEvent.Kind.STOPPED, "service stopped"));
    closed = true;
    if (ownsScheduler) {
      scheduler.shutdownNow();
    }
    workers.shutdown();
    try {
      if (!workers.awaitTermination(2, TimeUnit.SECONDS)) {
        workers.shutdownNow();
        if (!workers.awaitTermination(2, TimeUnit.SECONDS)) {
          log.warn("Some worker threads did not end (a bot ignores interruption)");
        }
      }
      if (ownsScheduler) {
        scheduler.awaitTermination(2, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    events.close(Duration.ofSeconds(5));
    if (journal != null) {
      journal.close();
    }
    if (metricsSubscription != null) {
      metricsSubscription.close();
    }
    if (metrics != null) {
      metrics.unbind();
    }
  }

  // ---------------------------------------------------------------- helpers

  /**
   * Starts the bot where it may run: here, unless this is a server of a cluster and another server
   * holds the bot's lease; then the stage is already complete with the status as it is (the desired
   * state, recorded by the caller, is for the owner to apply). Every start goes through here.
   */
  private CompletableFuture<BotStatus> startHere(
      BotRunner runner, Map<String, ?> overrides, String why) {
    if (!ownership.owns(runner.id())) {
      return CompletableFuture.completedFuture(runner.status());
    }
    return runner.start(overrides, why);
  }

  /** The bot's runner, once its desired state, set by a user, is journalled. */
  private BotRunner desire(String botId, BotState desired) {
    BotRunner runner = runner(botId);
    if (journal != null) {
      journal.desiredState(botId, desired, clock.instant());
    }
    return runner;
  }

  /**
   * Starts following a scheduled bot's schedule: brings it to the state the schedule (or a manual
   * start or stop recorded since the schedule's last transition) asks for, and arms the next
   * transition.
   */
  private void followSchedule(BotRunner runner, BotState recorded, java.time.Instant recordedAt) {
    io.rehoboam.core.schedule.Schedule schedule = runner.registration().schedule();
    java.time.Instant now = clock.instant();
    boolean open = schedule.isOpen(now);
    boolean held = recorded != null && ScheduleKeeper.stillHolds(schedule, recordedAt, now);
    boolean run = held ? recorded == BotState.RUNNING : open;
    if (!held && journal != null) {
      journal.desiredState(runner.id(), run ? BotState.RUNNING : BotState.STOPPED, now);
    }
    if (held && run != open) {
      recoveryEvent(
          "bot "
              + runner.id()
              + " keeps its manual "
              + (run ? "start" : "stop")
              + " until its schedule's next transition");
    }
    if (run) {
      startHere(
          runner, null, held ? "start requested before the restart" : "schedule: within a window");
    }
    schedules.track(runner.id(), schedule);
  }

  /** What the schedule keeper does to a bot at a transition. */
  private final class ScheduleControl implements ScheduleKeeper.Control {
    @Override
    public void apply(String botId, boolean run, String reason) {
      BotRunner runner = runners.get(botId);
      if (runner == null || closing.get()) {
        return;
      }
      if (journal != null) {
        journal.desiredState(botId, run ? BotState.RUNNING : BotState.STOPPED, clock.instant());
      }
      if (run) {
        startHere(runner, null, reason);
      } else {
        runner.stop(reason);
      }
    }

    @Override
    public void times(String botId, java.time.Instant nextStart, java.time.Instant nextStop) {
      BotRunner runner = runners.get(botId);
      if (runner != null) {
        runner.scheduleTimes(nextStart, nextStop);
      }
    }
  }

  private BotRunner runner(String botId) {
    ensureOpen();
    if (botId == null) {
      throw RehoboamException.invalid("bot_id", "must not be null");
    }
    BotRunner r = runners.get(botId);
    if (r == null) {
      throw new RehoboamException(ErrorCode.NOT_FOUND, "no bot with id '" + botId + "'");
    }
    return r;
  }

  /**
   * Refuses work that needs the providers, sources and executors {@link #initialize()} (its first
   * half, {@link #prepare()}) sets up.
   */
  private void ensureInitialized() {
    ensureOpen();
    if (!ready) {
      throw new RehoboamException(
          ErrorCode.CONFLICT,
          "the service is not initialized: call initialize() before registering, starting or"
              + " executing");
    }
  }

  private void ensureOpen() {
    if (closing.get() || closed) {
      throw new RehoboamException(ErrorCode.SHUTTING_DOWN, "the service is closing or closed");
    }
  }

  private static BotStatus await(
      CompletableFuture<BotStatus> future, Duration bound, BotRunner runner) {
    try {
      return future.get(bound.plus(WAIT_MARGIN).toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      return runner.status();
    } catch (ExecutionException e) {
      throw new RehoboamException(
          ErrorCode.INTERNAL, "bot " + runner.id() + ": " + e.getCause(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return runner.status();
    }
  }

  /** Builds an {@link ArbitrageService}. Every option has a sensible default. */
  public static final class Builder {
    private RehoboamConfig config = RehoboamConfig.empty();
    private Map<String, String> env = System.getenv();
    private Clock clock = Clock.systemUTC();
    private ScheduledExecutorService scheduler;
    private Duration journalRetryInterval = Duration.ofSeconds(1);
    private DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();
    private boolean discover = true;
    private ClassLoader classLoader = ArbitrageService.class.getClassLoader();
    private int eventCapacity = 1 << 16;
    private Duration monitoringInterval = Duration.ofSeconds(10);
    private Duration closeTimeout = Duration.ofSeconds(30);
    private int logLinesPerBot = 1000;
    private final List<BotProvider> providers = new ArrayList<>();
    private final List<MarketSourceProvider> sourceProviders = new ArrayList<>();
    private final List<TradeExecutorProvider> executorProviders = new ArrayList<>();
    private final List<MarketSource> sources = new ArrayList<>();
    private final List<TradeExecutor> executors = new ArrayList<>();
    private String defaultExecutor;
    private RiskLimits riskLimits;
    private Duration executeTimeout = Duration.ofSeconds(60);
    private Journal journal;
    private BotOwnership ownership = BotOwnership.ALL;

    /**
     * A MeterRegistry, held as Object so that the builder loads no Micrometer class without one.
     */
    private Object meterRegistry;

    private Builder() {}

    /**
     * How often a journal that stopped taking writes is tried again (default 1 s); executions are
     * refused until a write succeeds.
     */
    public Builder journalRetryInterval(Duration interval) {
      Objects.requireNonNull(interval, "interval");
      if (interval.isZero() || interval.isNegative()) {
        throw RehoboamException.invalid("journal_retry_interval", "must be positive");
      }
      this.journalRetryInterval = interval;
      return this;
    }

    /**
     * A durable journal: executions are written ahead, bots' desired states and run-time
     * registrations kept, and {@link ArbitrageService#initialize()} recovers from it. The service
     * closes it on close. Default: none (nothing survives a restart).
     */
    public Builder journal(Journal journal) {
      this.journal = Objects.requireNonNull(journal, "journal");
      return this;
    }

    /**
     * Which bots this service may run (default {@link BotOwnership#ALL}): in a cluster, those whose
     * lease it holds. A bot it does not own is not started by {@link #build() initialize} or {@link
     * ArbitrageService#start}; a start is recorded as its desired state.
     */
    public Builder ownership(BotOwnership ownership) {
      this.ownership = Objects.requireNonNull(ownership, "ownership");
      return this;
    }

    /**
     * Records the service's metrics ({@link io.rehoboam.core.metrics.RehoboamMeters}) in {@code
     * registry} from {@link ArbitrageService#initialize()} until {@link ArbitrageService#close()},
     * which removes them again. Without it (the default) nothing is recorded and Micrometer need
     * not be on the class path.
     */
    public Builder meterRegistry(io.micrometer.core.instrument.MeterRegistry registry) {
      this.meterRegistry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /** The parsed configuration (default: empty, no bots). */
    public Builder config(RehoboamConfig config) {
      this.config = Objects.requireNonNull(config, "config");
      return this;
    }

    /** The environment for {@code ARB_...} overrides (default: the process environment). */
    public Builder env(Map<String, String> env) {
      this.env = Objects.requireNonNull(env, "env");
      return this;
    }

    /** The clock for all time in the engine (default: system UTC). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * A scheduler for the engine's timers (restart backoff, timeouts, heartbeats, monitoring). The
     * service does not shut down a scheduler it was given. Default: one named thread of its own.
     */
    public Builder scheduler(ScheduledExecutorService scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /** Source of the backoff jitter, values in [0,1) (default: a thread-local random). */
    public Builder random(DoubleSupplier random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /** Whether {@link #initialize()} discovers providers with ServiceLoader (default true). */
    public Builder discoverProviders(boolean discover) {
      this.discover = discover;
      return this;
    }

    /** The class loader used for discovery (default: the one that loaded Rehoboam). */
    public Builder classLoader(ClassLoader classLoader) {
      this.classLoader = Objects.requireNonNull(classLoader, "classLoader");
      return this;
    }

    /** Registers a bot provider explicitly; it wins over a discovered one of the same type. */
    public Builder provider(BotProvider provider) {
      providers.add(Objects.requireNonNull(provider, "provider"));
      return this;
    }

    /** Registers a market source provider explicitly (wins over a discovered one). */
    public Builder marketSourceProvider(MarketSourceProvider provider) {
      sourceProviders.add(Objects.requireNonNull(provider, "provider"));
      return this;
    }

    /** Registers a trade executor provider explicitly (wins over a discovered one). */
    public Builder executorProvider(TradeExecutorProvider provider) {
      executorProviders.add(Objects.requireNonNull(provider, "provider"));
      return this;
    }

    /** Adds a ready market source; the service closes it on close. */
    public Builder marketSource(MarketSource source) {
      sources.add(Objects.requireNonNull(source, "source"));
      return this;
    }

    /** Adds a ready trade executor; the service closes it on close. */
    public Builder executor(TradeExecutor executor) {
      executors.add(Objects.requireNonNull(executor, "executor"));
      return this;
    }

    /**
     * The executor used when a request names none (default: the only one, or one marked default).
     */
    public Builder defaultExecutor(String executorId) {
      this.defaultExecutor = executorId;
      return this;
    }

    /** Risk limits, replacing the configuration's {@code risk} section. */
    public Builder riskLimits(RiskLimits limits) {
      this.riskLimits = Objects.requireNonNull(limits, "limits");
      return this;
    }

    /** How long a synchronous {@code execute} waits (default 60 s). */
    public Builder executeTimeout(Duration timeout) {
      if (timeout == null || timeout.isNegative() || timeout.isZero()) {
        throw RehoboamException.invalid("execute_timeout", "must be positive");
      }
      this.executeTimeout = timeout;
      return this;
    }

    /**
     * Events a subscriber may fall behind before it loses the oldest (power of two, default 65536).
     */
    public Builder eventCapacity(int capacity) {
      this.eventCapacity = capacity;
      return this;
    }

    public Builder monitoringInterval(Duration interval) {
      if (interval == null || interval.isNegative() || interval.isZero()) {
        throw RehoboamException.invalid("monitoring_interval", "must be positive");
      }
      this.monitoringInterval = interval;
      return this;
    }

    /** How many log lines the service keeps in memory per bot (default 1000). */
    public Builder logLinesPerBot(int lines) {
      if (lines < 1) {
        throw RehoboamException.invalid("log_lines", "must be at least 1");
      }
      this.logLinesPerBot = lines;
      return this;
    }

    /** How long {@link ArbitrageService#close()} waits for bots to stop (default 30 s). */
    public Builder closeTimeout(Duration timeout) {
      if (timeout == null || timeout.isNegative()) {
        throw RehoboamException.invalid("close_timeout", "must not be negative");
      }
      this.closeTimeout = timeout;
      return this;
    }

    public ArbitrageService build() {
      return new ArbitrageService(this);
    }
  }
}
